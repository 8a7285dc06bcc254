import { ServiceError, TokenError } from "./api.js";
import { deadline, TimeoutError, within } from "./budget.js";
import { decide, formatReleaseAt } from "./decide.js";
import { itemSessionStorage, newId, readJson, writeJson } from "./storage.js";

/**
 * How long the Send button may wait for BoundaryGuard, everything after the click included (the fallback too).
 * Outlook shows "taking longer than expected" with Send Anyway 5 s after Send, counted from the click and including
 * the script's own start (learn.microsoft.com/office/dev/add-ins/outlook/onmessagesend-onappointmentsend-events,
 * "Long-running add-in operations"): half of that is the handler's, the rest the script's cold start.
 */
export const SEND_BUDGET_MS = 2500;

/** Of the budget, what is kept for the fallback: Outlook's delayDeliveryTime.setAsync and remembering the deferral. */
export const FALLBACK_RESERVE_MS = 600;

/** How long Send may spend refreshing a snapshot older than an hour before deciding from the one it has. */
const SEND_REFRESH_MS = 700;

/** The first request for a hold; if its answer is lost or late, the same key asks once more with what is left. */
const FIRST_HOLD_ATTEMPT_MS = 900;

/** The task pane's button in the compose window (manifest.xml), opened from the Smart Alerts dialog. */
export const HELD_MAIL_COMMAND = "bgHeldMailButton";

/** Shared with the task pane for the message being composed: the hold its last Send made. */
export const LAST_HOLD_KEY = "boundaryguard.lastHold";

/** Shared with the task pane: a Send now it recorded (with its reason) just before calling item.sendAsync. */
export const OVERRIDE_KEY = "boundaryguard.override";

/** How long a recorded Send now lets the next Send of the same message through. */
export const OVERRIDE_FRESH_MS = 2 * 60 * 1000;

// The other launch events have up to five minutes; nobody waits on them, but they should not linger.
const BOOKKEEPING_MS = 20_000;

/**
 * The three launch-event handlers, over their dependencies: Office (the real one, or Microsoft's office-addin-mock
 * in the tests), the policy cache, the service client, the token source, the deferral log and the durable store.
 * Each always completes its event, Send within SEND_BUDGET_MS whatever does not answer.
 */
export function launchEventHandlers({
  office, cache, client, deferrals, storage, getToken, sendMode = "softBlock", clock = () => Date.now(), budgetMs = SEND_BUDGET_MS,
}) {
  const prefetchToken = () => (getToken?.prefetch ? getToken.prefetch() : Promise.resolve());
  return {
    async onMessageSendHandler(event) {
      const limit = deadline(budgetMs);
      let completed = false;
      const complete = (options) => {
        if (!completed) {
          completed = true;
          limit.dispose();
          event.completed(options);
        }
      };
      // The last word, should anything hang past every bound below: the mail is neither sent unjudged nor lost.
      const watchdog = setTimeout(() => complete(notHeldCompletion()), budgetMs);
      let completion;
      try {
        completion = await decideSend({ office, cache, client, deferrals, storage, clock, limit, sendMode });
      } catch {
        completion = notHeldCompletion();
      }

      clearTimeout(watchdog);
      complete(completion);
    },

    async onNewMessageComposeHandler(event) {
      const limit = deadline(BOOKKEEPING_MS);
      try {
        // The token first, so that Send finds one stored; then the policy and the deferrals to report.
        await within(prefetchToken(), limit).catch(() => {});
        await cache.refresh(await recipientsOf(office.context.mailbox.item), limit);
        await deferrals.report(limit);
      } catch {
        // Offline or no token yet: Send decides from the previous snapshot or the served default policy.
      } finally {
        limit.dispose();
        event.completed();
      }
    },

    async onMessageRecipientsChangedHandler(event) {
      const limit = deadline(BOOKKEEPING_MS);
      try {
        await within(prefetchToken(), limit).catch(() => {});
        await cache.learnRecipients(await recipientsOf(office.context.mailbox.item), limit);
      } catch {
        // A recipient whose hours are unknown is judged by the policy alone, here as in the service.
      } finally {
        limit.dispose();
        event.completed();
      }
    },
  };
}

async function decideSend({ office, cache, client, deferrals, storage, clock, limit, sendMode }) {
  const mailbox = office.context.mailbox;
  const item = mailbox.item;
  const now = clock();
  const session = itemSessionStorage(office);

  // The task pane's Send now: it recorded the reason with the service, then called item.sendAsync, which runs this
  // handler again. Let that send go.
  const override = await within(readJson(session, OVERRIDE_KEY), limit.within(200)).catch(() => null);
  if (override && now - override.at >= 0 && now - override.at < OVERRIDE_FRESH_MS) {
    await within(session.removeItem(OVERRIDE_KEY), limit.within(200)).catch(() => {});
    return { allowEvent: true };
  }

  // Recipients that cannot be read in time leave the policy alone to decide.
  const recipients = await within(recipientsOf(item), limit.within(400)).catch(() => []);
  const { snapshot } = await cache.forSend(now, recipients, limit.within(SEND_REFRESH_MS));
  const verdict = decide(snapshot, now, recipients);
  if (verdict.decision === "send") {
    return { allowEvent: true };
  }

  if (verdict.decision === "unknown") {
    // Nothing covers now, not even the policy the service wrote into this script: a broken deployment. Fail closed.
    return notHeldCompletion();
  }

  const sender = mailbox.userProfile.emailAddress;
  const key = newId();
  let hold;
  let failure;
  try {
    const itemId = await within(officeCall((done) => item.saveAsync(done)), limit.within(limit.remaining() - FALLBACK_RESERVE_MS));
    const messageId = mailbox.convertToRestId(itemId, office.MailboxEnums.RestVersion.v2_0);
    hold = await askForHold(client, { mailbox: sender, messageId, key, recipients }, limit);
  } catch (error) {
    failure = error;
  }

  if (hold) {
    // From here the service holds the mail: nothing that goes wrong now may also send it through Outlook.
    if (hold.state === "not-needed" || hold.override) {
      return { allowEvent: true };
    }

    if (session) {
      await within(writeJson(session, LAST_HOLD_KEY, { id: hold.id, key, at: now }), limit.within(200)).catch(() => {});
    }
    return heldCompletion(office, hold, snapshot.timeZone, sendMode);
  }

  if (failure instanceof ServiceError && failure.status === 409) {
    // The service says the message has already been sent: nothing is left to hold.
    return { allowEvent: true };
  }

  // No hold: Outlook itself delays delivery to the same instant, processed on the server, so the boundary holds and
  // the mail is never stuck (learn.microsoft.com/office/dev/add-ins/outlook/delay-delivery); the service hears of it later.
  try {
    await within(officeCall((done) => item.delayDeliveryTime.setAsync(new Date(verdict.releaseAt), done)), limit);
  } catch {
    return notHeldCompletion();
  }

  await within(
    deferrals.remember({ mailbox: sender, deferredAt: now, releaseAt: verdict.releaseAt, reasons: verdict.reasons, cause: causeOf(failure), holdKey: key }),
    limit,
  ).catch(() => {});
  return { allowEvent: true };
}

/** POST /holds with `key`; a lost or late answer is asked again with the same key, which finds the hold if it was made. */
async function askForHold(client, request, limit) {
  const forHold = () => limit.remaining() - FALLBACK_RESERVE_MS;
  try {
    return await client.hold(request, limit.within(Math.min(FIRST_HOLD_ATTEMPT_MS, forHold())));
  } catch (error) {
    const answered = error instanceof ServiceError && error.status < 500 && error.status !== 408 && error.status !== 429;
    if (answered || error instanceof TokenError || forHold() < 150) {
      throw error;
    }

    return client.hold(request, limit.within(forHold()));
  }
}

function heldCompletion(office, hold, timeZone, sendMode) {
  let when;
  try {
    when = formatReleaseAt(Date.parse(hold.releaseAt), timeZone);
  } catch {
    when = hold.releaseAt;
  }

  const completion = {
    allowEvent: false,
    errorMessage:
      `Held — BoundaryGuard will deliver this on ${when}, inside your recipients' working hours. ` +
      "You can close this message: it waits in Drafts until then.",
  };
  // Mailbox 1.14 lets one dialog button open the task pane, with contextData for it
  // (learn.microsoft.com/office/dev/add-ins/outlook/smart-alerts-onmessagesend-walkthrough, "Customize the text and
  // functionality of a button"). In "prompt user" mode Outlook's own Send Anyway is the dialog's one send button, so
  // ours only shows the held mail; otherwise ours is the way to send now, with a reason.
  if (office.context.requirements.isSetSupported("Mailbox", "1.14")) {
    completion.cancelLabel = sendMode === "promptUser" ? "See held mail" : "Send now…";
    completion.commandId = HELD_MAIL_COMMAND;
    completion.contextData = JSON.stringify({ holdId: hold.id });
  }

  return completion;
}

/** Neither held nor delayed (Outlook refused, or nothing answered in time): not sent, and the user is told why. */
function notHeldCompletion() {
  return {
    allowEvent: false,
    errorMessage:
      "BoundaryGuard could not hold this message for working hours just now, so it was not sent. " +
      "Press Send again in a moment; it stays open here.",
  };
}

/** Why the service could not hold the mail, for the deferral report (no content, only the kind of failure). */
function causeOf(error) {
  if (error instanceof TokenError) {
    return "token";
  }

  if (error instanceof TimeoutError) {
    return "timeout";
  }

  return error instanceof ServiceError ? "refused" : "unreachable";
}

/** Every recipient of the message being composed, To, Cc and Bcc. */
export async function recipientsOf(item) {
  const fields = [item.to, item.cc, item.bcc].filter(Boolean);
  const lists = await Promise.all(fields.map((field) => officeCall((done) => field.getAsync(done))));
  return lists.flat().map((r) => r.emailAddress).filter(Boolean);
}

/** An Office callback API as a promise; a synchronous throw (an API the client lacks) is a rejection too. */
export function officeCall(invoke) {
  return new Promise((resolve, reject) => {
    invoke((result) => (result.status === "succeeded" ? resolve(result.value) : reject(result.error ?? new Error("Office call failed"))));
  });
}

/** The last hold made at Send for the message being composed, if the client shares it with the task pane. */
export function lastHold(office) {
  return readJson(itemSessionStorage(office), LAST_HOLD_KEY);
}
