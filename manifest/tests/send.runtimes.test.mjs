// The send handler in every Outlook that runs Smart Alerts: each scenario runs the event script exactly as the service
// serves it (filled with the service's address, send mode and default policy) in every runtime profile
// (support/runtimes.mjs), against the real service on its embedded default (sandbox, SQLite, simulated clock).
// Marcus Webb (Medicine, 07:00–19:00 Eastern, Mon–Fri) writes to residents and colleagues.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SEND_BUDGET_MS } from "../src/send.js";
import { device, message, PROFILES } from "./support/runtimes.mjs";
import { startService } from "./support/service.mjs";

const SENDER = "mwebb@med.example.edu";
const RESIDENT = "jlee@med.example.edu";
const NIGHT_FLOAT = "hbrooks@med.example.edu";
const COLLEAGUE = "sokafor@med.example.edu"; // works 09:00–18:00 Eastern
const MONDAY_0700 = "2026-12-07T12:00:00.000Z";
const HELD_MESSAGE = "Held — BoundaryGuard will deliver this on Mon 7 Dec at 07:00, inside your recipients' working hours. " +
  "You can close this message: it waits in Drafts until then.";

/**
 * One service for a suite, its clock at `startAt`, and the event script it serves. A draft that has not synced is looked
 * for every second (not every five), so a test sees its hold confirmed quickly.
 */
function world(startAt) {
  const state = {};
  before(async () => {
    const origin = Date.now();
    state.clock = () => Date.parse(startAt) + (Date.now() - origin);
    state.service = await startService({ startAt, settings: { "Holds:SyncFirstRetry": "00:00:01" } });
    state.scriptUrl = `${state.service.baseUrl}/addin/launchevent.js`;
    state.script = await (await fetch(state.scriptUrl)).text();
  });
  after(() => state.service?.stop());
  return state;
}

function deviceIn(state, profile, tokenMode = "ok") {
  return device(profile, {
    script: state.script,
    scriptUrl: state.scriptUrl,
    clock: state.clock,
    token: { token: state.service.token(SENDER), mode: tokenMode },
  });
}

/** Opens a new message to `to` (OnNewMessageCompose: token, policy, reports), as Outlook does before any Send. */
async function compose(outlook, to = []) {
  const { completion } = await outlook.run("onNewMessageComposeHandler", message({ sender: SENDER, to }));
  assert.deepEqual(completion, {});
}

async function holdsOf(service, draft) {
  return (await service.api(SENDER, "GET", "/api/v1/holds")).body.filter((h) => h.messageId === draft);
}

/** The draft's one hold once `done(hold)` holds, polling the service for up to `seconds`. */
async function holdOnce(service, draft, done, seconds = 15) {
  for (const stop = Date.now() + seconds * 1000; ; await new Promise((resolve) => setTimeout(resolve, 250))) {
    const holds = await holdsOf(service, draft);
    if ((holds.length === 1 && done(holds[0])) || Date.now() > stop) {
      assert.equal(holds.length, 1);
      return holds[0];
    }
  }
}

function assertWithinBudget(elapsed) {
  assert.ok(elapsed <= SEND_BUDGET_MS + 100, `Send waited ${Math.round(elapsed)} ms`);
}

for (const profile of Object.keys(PROFILES)) {
  describe(`${profile}: Friday 23:40, after hours`, () => {
    const state = world("2026-12-04T23:40:00-05:00");

    test("held: the draft is held until Monday 07:00 and the dialog says so, within the budget", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => draft });
      outlook.network.requests.length = 0;

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.equal(completion.allowEvent, false);
      assert.equal(completion.errorMessage, HELD_MESSAGE);
      assert.equal(completion.cancelLabel, "Send now…", "soft block: our button is the one way to send now");
      assert.equal(completion.commandId, "bgHeldMailButton");
      const [hold] = await holdsOf(state.service, draft);
      assert.deepEqual(JSON.parse(completion.contextData), { holdId: hold.id });
      assert.equal(hold.state, "held");
      assert.equal(hold.releaseAt, "2026-12-07T07:00:00-05:00");
      assert.equal(mail.calls.delayDeliveryTime, null);
      assert.deepEqual(outlook.network.requests, ["POST /api/v1/holds"], "the token was fetched at compose, not at Send");
      assertWithinBudget(elapsed);
    });

    test("first use, no token and no service: Outlook delays delivery to Monday 07:00 by the served default policy", async () => {
      const outlook = deviceIn(state, profile, "fail");
      outlook.network.down = true;
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGneverheld" });

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.deepEqual(completion, { allowEvent: true });
      assert.equal(mail.calls.delayDeliveryTime?.toISOString(), MONDAY_0700);
      const [deferral] = JSON.parse(outlook.durable.get("boundaryguard.deferrals"));
      assert.equal(deferral.releaseAt, MONDAY_0700);
      assert.deepEqual(deferral.reasons, ["after-hours"]);
      assert.match(deferral.holdKey, /^[0-9a-f-]{36}$/);
      assertWithinBudget(elapsed);
    });

    test("service down after compose: delayed to Monday 07:00, reported once when it answers again", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      outlook.network.down = true;
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGneverheld" });

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.deepEqual(completion, { allowEvent: true });
      assert.equal(mail.calls.delayDeliveryTime?.toISOString(), MONDAY_0700);
      const [pending] = JSON.parse(outlook.durable.get("boundaryguard.deferrals"));
      assert.equal(pending.cause, "unreachable");
      assertWithinBudget(elapsed);

      outlook.network.down = false;
      await compose(outlook);
      assert.deepEqual(JSON.parse(outlook.durable.get("boundaryguard.deferrals")), []);
      const reported = (await state.service.api(SENDER, "GET", "/api/v1/deferrals")).body.filter((d) => d.id === pending.id);
      assert.equal(reported.length, 1);
      assert.equal(reported[0].releaseAt, "2026-12-07T07:00:00-05:00");
    });

    test("token refused: delayed to Monday 07:00 and the service never asked", async () => {
      const outlook = deviceIn(state, profile, "fail");
      await compose(outlook, [RESIDENT]);
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => draft });

      const { completion } = await outlook.run("onMessageSendHandler", mail);

      assert.deepEqual(completion, { allowEvent: true });
      assert.equal(mail.calls.delayDeliveryTime?.toISOString(), MONDAY_0700);
      assert.equal(JSON.parse(outlook.durable.get("boundaryguard.deferrals"))[0].cause, "token");
      assert.deepEqual(await holdsOf(state.service, draft), []);
    });

    test("token never arrives: Send completes within the budget, delayed to Monday 07:00", async () => {
      const outlook = deviceIn(state, profile, "hang");
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => draft });

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.deepEqual(completion, { allowEvent: true });
      assert.equal(mail.calls.delayDeliveryTime?.toISOString(), MONDAY_0700);
      assert.equal(JSON.parse(outlook.durable.get("boundaryguard.deferrals"))[0].cause, "timeout");
      assertWithinBudget(elapsed);
    });

    test("expired snapshot that claims it is open: refreshed before deciding, and held", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      const stale = JSON.parse(outlook.durable.get("boundaryguard.policy"));
      stale.fetchedAt -= 61 * 60 * 1000;
      stale.policy.open.unshift({ start: new Date(state.clock() - 60_000).toISOString(), end: new Date(state.clock() + 3_600_000).toISOString() });
      outlook.durable.set("boundaryguard.policy", JSON.stringify(stale));
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);
      outlook.network.requests.length = 0;

      const { completion } = await outlook.run("onMessageSendHandler", message({ sender: SENDER, to: [RESIDENT], save: async () => draft }));

      assert.equal(outlook.network.requests[0], "POST /api/v1/policy/me");
      assert.equal(completion.allowEvent, false);
      assert.equal((await holdsOf(state.service, draft)).length, 1);
    });

    test("the hold's answer is lost: asked again with the same key, one hold, no delayed copy", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => draft });
      outlook.network.loseNextAnswerTo = "POST /api/v1/holds";

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.equal(completion.allowEvent, false);
      assert.equal(completion.errorMessage, HELD_MESSAGE);
      assert.equal(mail.calls.delayDeliveryTime, null);
      assert.equal((await holdsOf(state.service, draft)).length, 1);
      assert.equal(outlook.durable.get("boundaryguard.deferrals"), undefined);
      assertWithinBudget(elapsed);
    });

    test("the hold's answer is late: the second ask finds it, one hold, no delayed copy", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => draft });
      Object.assign(outlook.network, { delayNextAnswerTo: "POST /api/v1/holds", delayMs: 1200 });

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.equal(completion.allowEvent, false);
      assert.equal(mail.calls.delayDeliveryTime, null);
      assert.equal((await holdsOf(state.service, draft)).length, 1);
      assertWithinBudget(elapsed);
    });

    test("cached mode: the draft has not reached Exchange at Send: held at once by its key, confirmed when it syncs", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);
      // office.messagecompose (saveAsync): in cached mode the item ID returns an error until the item is synced.
      await state.service.unsynced(draft, "00:00:02");
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => draft });

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.equal(completion.allowEvent, false);
      assert.equal(completion.errorMessage, HELD_MESSAGE);
      assert.equal(mail.calls.delayDeliveryTime, null);
      assert.equal((await holdOnce(state.service, draft, () => true)).awaitingSync, true);
      assertWithinBudget(elapsed);
      const synced = await holdOnce(state.service, draft, (hold) => !hold.awaitingSync);
      assert.equal(synced.awaitingSync, false);
      assert.equal(synced.state, "held");
      assert.equal(synced.releaseAt, "2026-12-07T07:00:00-05:00");
    });

    test("every answer to the hold lost: Outlook delays it, and the report cancels the hold the service made, so it goes once", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => draft });
      outlook.network.loseAnswersTo = "POST /api/v1/holds";

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.deepEqual(completion, { allowEvent: true });
      assert.equal(mail.calls.delayDeliveryTime?.toISOString(), MONDAY_0700);
      assert.equal((await holdsOf(state.service, draft))[0].state, "held", "the service made the hold whose answers were lost");
      assertWithinBudget(elapsed);

      outlook.network.loseAnswersTo = null;
      await compose(outlook);
      const [hold] = await holdsOf(state.service, draft);
      assert.equal(hold.state, "cancelled", "Outlook delivers it at 07:00 itself; BoundaryGuard must not send it too");
      assert.equal(hold.failureReason, "deferred-by-outlook");
    });

    test("the service makes the hold but never answers: Send completes within the budget, delayed, and the hold cancelled", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => draft });
      outlook.network.hangAnswersTo = "POST /api/v1/holds";

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.deepEqual(completion, { allowEvent: true });
      assert.equal(mail.calls.delayDeliveryTime?.toISOString(), MONDAY_0700);
      assertWithinBudget(elapsed);
      outlook.network.hangAnswersTo = null;
      await compose(outlook);
      assert.equal((await holdsOf(state.service, draft))[0].state, "cancelled");
    });

    test("an error after the hold was made (storage full) never sends a delayed copy", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => draft });
      outlook.failWrites();
      mail.sessionFails = true;

      const { completion } = await outlook.run("onMessageSendHandler", mail);

      assert.equal(completion.allowEvent, false);
      assert.equal(completion.errorMessage, HELD_MESSAGE);
      assert.equal(mail.calls.delayDeliveryTime, null);
      assert.equal((await holdsOf(state.service, draft)).length, 1);
    });

    test("Send pressed again on the held draft: the same hold, not a second", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      const draft = await state.service.createDraft(SENDER, [RESIDENT]);

      const first = await outlook.run("onMessageSendHandler", message({ sender: SENDER, to: [RESIDENT], save: async () => draft }));
      const second = await outlook.run("onMessageSendHandler", message({ sender: SENDER, to: [RESIDENT], save: async () => draft }));

      assert.deepEqual(second.completion, first.completion);
      assert.equal((await holdsOf(state.service, draft)).length, 1);
    });

    test("neither the service nor Outlook's delayed delivery answers: not sent, and the user is told", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      outlook.network.down = true;
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGneverheld" });
      mail.delayFails = true;

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.equal(completion.allowEvent, false);
      assert.match(completion.errorMessage, /could not hold this message .* so it was not sent/);
      assertWithinBudget(elapsed);
    });

    test("Send now from the task pane: its item.sendAsync runs Send again, which lets the mail go at once", async () => {
      const outlook = deviceIn(state, profile);
      const session = new Map();
      // What the task pane recorded in the store it shares with the event runtime before calling item.sendAsync.
      const marker = JSON.stringify({ holdId: "00000000-0000-0000-0000-000000000001", at: state.clock() });
      if (PROFILES[profile].sessionData) {
        session.set("boundaryguard.override", marker);
      } else {
        outlook.durable.set("boundaryguard.override", marker);
      }

      outlook.network.requests.length = 0;
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGunused", session });

      const { completion } = await outlook.run("onMessageSendHandler", mail);

      assert.deepEqual(completion, { allowEvent: true });
      assert.equal(mail.calls.save, 0);
      assert.deepEqual(outlook.network.requests, []);
    });
  });

  describe(`${profile}: Wednesday 18:30, in the policy's working hours (07:00–19:00)`, () => {
    const state = world("2026-12-02T18:30:00-05:00");

    test("in hours: the send goes at once, nothing saved, nothing asked of the service", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook, [RESIDENT]);
      outlook.network.requests.length = 0;
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGunused" });

      const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);

      assert.deepEqual(completion, { allowEvent: true });
      assert.equal(mail.calls.save, 0);
      assert.equal(mail.calls.delayDeliveryTime, null);
      assert.deepEqual(outlook.network.requests, []);
      assert.ok(elapsed < 200, `Send waited ${Math.round(elapsed)} ms`);
    });

    test("in hours, first use with the service down: the served default policy lets it go", async () => {
      const outlook = deviceIn(state, profile, "fail");
      outlook.network.down = true;
      const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGunused" });

      const { completion } = await outlook.run("onMessageSendHandler", mail);

      assert.deepEqual(completion, { allowEvent: true });
      assert.equal(mail.calls.delayDeliveryTime, null);
    });

    test("recipients changed to a colleague whose day has ended: held until their morning", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook);
      await outlook.run("onMessageRecipientsChangedHandler", message({ sender: SENDER, to: [COLLEAGUE] }));
      const draft = await state.service.createDraft(SENDER, [COLLEAGUE]);

      const { completion } = await outlook.run("onMessageSendHandler", message({ sender: SENDER, to: [COLLEAGUE], save: async () => draft }));

      assert.equal(completion.allowEvent, false);
      assert.match(completion.errorMessage, /on Thu 3 Dec at 09:00,/);
      const [hold] = await holdsOf(state.service, draft);
      assert.equal(hold.releaseAt, "2026-12-03T09:00:00-05:00");
      assert.deepEqual(hold.reasons, ["recipient-off-hours"]);
    });

    test("recipients' addresses travel in the policy request's body, never in a URL; classic Windows preflights it", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook);
      await outlook.run("onMessageRecipientsChangedHandler", message({ sender: SENDER, to: [COLLEAGUE, RESIDENT] }));

      const learned = JSON.parse(outlook.durable.get("boundaryguard.policy")).people;
      assert.deepEqual(Object.keys(learned).sort(), [RESIDENT, COLLEAGUE].sort(), "the service read the addresses from the body");
      assert.ok(outlook.network.urls.includes(`POST ${state.service.baseUrl}/api/v1/policy/me`), outlook.network.urls.join("\n"));
      const named = outlook.network.urls.filter((u) => [SENDER, RESIDENT, COLLEAGUE].some((a) => u.includes(a) || u.includes(encodeURIComponent(a))));
      assert.deepEqual(named, []);
      // The JavaScript-only runtime calls the API from another origin: JSON and a bearer token make the POST preflighted.
      const preflighted = PROFILES[profile].browser ? [] : ["POST /api/v1/policy/me authorization,content-type"];
      assert.deepEqual([...new Set(outlook.network.preflights.filter((p) => p.includes("/policy/me")))], preflighted);
    });

    test("a night-float resident whose hours never meet the policy's: the send goes, as the service decides", async () => {
      const outlook = deviceIn(state, profile);
      await compose(outlook);
      await outlook.run("onMessageRecipientsChangedHandler", message({ sender: SENDER, to: [NIGHT_FLOAT] }));
      const draft = await state.service.createDraft(SENDER, [NIGHT_FLOAT]);
      const mail = message({ sender: SENDER, to: [NIGHT_FLOAT], save: async () => draft });

      const { completion } = await outlook.run("onMessageSendHandler", mail);

      assert.deepEqual(completion, { allowEvent: true });
      assert.equal(mail.calls.save, 0);
      const asked = await state.service.api(SENDER, "POST", "/api/v1/holds", { mailbox: SENDER, messageId: draft });
      assert.equal(asked.body.state, "not-needed");
    });
  });
}
