import { ServiceError, TokenError, within } from "./api.js";
import { decide, formatReleaseAt } from "./decide.js";
import { readJson, writeJson } from "./storage.js";

/** How long the Send button may wait for BoundaryGuard: saving the draft, a token and the service's answer. */
export const SEND_BUDGET_MS = 3000;

/** The task pane's button in the compose window (manifest.xml), opened from the Smart Alerts dialog. */
export const HELD_MAIL_COMMAND = "bgHeldMailButton";

/** The hold made by the last send, so the task pane opened from its dialog can show it first. */
export const LAST_HOLD_KEY = "boundaryguard.lastHold";

// The launch events need more than the Send budget only for their own bookkeeping, never while the user waits.
const REFRESH_TIMEOUT_MS = 20_000;

/**
 * The three launch-event handlers, over their dependencies: Office (the real one, or Microsoft's office-addin-mock
 * in the tests), the policy cache, the service client and the deferral log. Each always completes its event.
 */
export function launchEventHandlers({ office, cache, client, deferrals, storage, clock = () => Date.now(), budgetMs = SEND_BUDGET_MS }) {
  return {
    async onMessageSendHandler(event) {
      let completion = { allowEvent: true };
      try {
        completion = await decideSend({ office, cache, client, deferrals, storage, clock, budgetMs });
      } finally {
        // Whatever went wrong, the user is never left at a Send that does nothing.
        event.completed(completion);
      }
    },

    async onNewMessageComposeHandler(event) {
      try {
        const signal = AbortSignal.timeout(REFRESH_TIMEOUT_MS);
        await cache.refresh(await recipientsOf(office.context.mailbox.item), signal);
        await deferrals.report(signal);
      } catch {
        // Offline or no token yet: the send decides from the previous snapshot, or refreshes it then.
      } finally {
        event.completed();
      }
    },

    async onMessageRecipientsChangedHandler(event) {
      try {
        await cache.learnRecipients(await recipientsOf(office.context.mailbox.item), AbortSignal.timeout(REFRESH_TIMEOUT_MS));
      } catch {
        // A recipient whose hours are unknown is judged by the policy alone, here as in the service.
      } finally {
        event.completed();
      }
    },
  };
}

async function decideSend({ office, cache, client, deferrals, storage, clock, budgetMs }) {
  const budget = AbortSignal.timeout(budgetMs);
  const mailbox = office.context.mailbox;
  const item = mailbox.item;
  const now = clock();
  const recipients = await within(recipientsOf(item), budget);
  const { snapshot } = await cache.forSend(now, recipients, budget);
  const verdict = decide(snapshot, now, recipients);
  if (verdict.decision !== "hold") {
    // In working hours; or no policy covers this instant (never fetched and the service is unreachable), and a
    // send BoundaryGuard cannot judge is not stopped.
    return { allowEvent: true };
  }

  const sender = mailbox.userProfile.emailAddress;
  try {
    const itemId = await within(officeCall((done) => item.saveAsync(done)), budget);
    const messageId = mailbox.convertToRestId(itemId, office.MailboxEnums.RestVersion.v2_0);
    const hold = await client.hold(sender, messageId, budget);
    if (hold.state === "not-needed") {
      return { allowEvent: true };
    }

    await writeJson(storage, LAST_HOLD_KEY, { id: hold.id, at: now });
    return heldCompletion(office, Date.parse(hold.releaseAt), snapshot.timeZone);
  } catch (error) {
    // The service or the token did not answer in time: Outlook itself delays delivery to the same instant, so the
    // boundary still holds and the mail is never stuck; the service hears of it later.
    await officeCall((done) => item.delayDeliveryTime.setAsync(new Date(verdict.releaseAt), done));
    await deferrals.remember({
      mailbox: sender,
      deferredAt: now,
      releaseAt: verdict.releaseAt,
      reasons: verdict.reasons,
      cause: causeOf(error, budget),
    });
    return { allowEvent: true };
  }
}

function heldCompletion(office, releaseAt, timeZone) {
  const completion = {
    allowEvent: false,
    errorMessage:
      `Held — BoundaryGuard will deliver this on ${formatReleaseAt(releaseAt, timeZone)}, inside your recipients' ` +
      "working hours. You can close this message: it waits in Drafts until then.",
  };
  // Mailbox 1.14 lets the dialog's second button open the task pane, where the mail can be sent now with a reason.
  if (office.context.requirements.isSetSupported("Mailbox", "1.14")) {
    completion.cancelLabel = "Send now…";
    completion.commandId = HELD_MAIL_COMMAND;
  }

  return completion;
}

/** Why the service could not hold the mail, for the deferral report (no content, only the kind of failure). */
function causeOf(error, budget) {
  if (error instanceof TokenError) {
    return "token";
  }

  if (budget.aborted) {
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

/** An Office callback API as a promise. */
export function officeCall(invoke) {
  return new Promise((resolve, reject) => {
    invoke((result) => (result.status === "succeeded" ? resolve(result.value) : reject(result.error ?? new Error("Office call failed"))));
  });
}

/** The last hold made at Send, if any. */
export function lastHold(storage) {
  return readJson(storage, LAST_HOLD_KEY);
}
