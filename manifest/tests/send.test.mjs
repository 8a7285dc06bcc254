// The send handler against the real service (embedded sandbox, SQLite, simulated clock), with Outlook played by
// Microsoft's office-addin-mock. Marcus Webb (Medicine, 07:00–19:00 Eastern, Mon–Fri) writes to a resident.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ServiceClient } from "../src/api.js";
import { formatReleaseAt } from "../src/decide.js";
import { Deferrals } from "../src/deferrals.js";
import { PolicyCache, POLICY_MAX_AGE_MS } from "../src/policy-cache.js";
import { launchEventHandlers, SEND_BUDGET_MS } from "../src/send.js";
import { composeMessage, launchEvent, memoryStorage } from "./support/outlook.mjs";
import { startService } from "./support/service.mjs";

const SENDER = "mwebb@med.example.edu";
const RESIDENT = "jlee@med.example.edu";
const NIGHT_FLOAT = "hbrooks@med.example.edu";
const COLLEAGUE = "sokafor@med.example.edu"; // works 09:00–18:00 Eastern

/** The add-in wired as launchevent.js wires it, with the test's token source, clock and Outlook. */
function addin(service, { office, clock, getToken, baseUrl = service.baseUrl, storage = memoryStorage(), budgetMs = SEND_BUDGET_MS }) {
  const calls = { fetch: [] };
  const fetchCounted = (url, init) => {
    calls.fetch.push(`${init?.method ?? "GET"} ${new URL(url).pathname}`);
    return fetch(url, init);
  };
  const client = new ServiceClient({ baseUrl, getToken: getToken ?? (async () => service.token(SENDER)), fetch: fetchCounted });
  const cache = new PolicyCache({ storage, client, clock });
  const deferrals = new Deferrals({ storage, client });
  const handlers = launchEventHandlers({ office, cache, client, deferrals, storage, clock, budgetMs });
  return { client, cache, deferrals, handlers, storage, calls };
}

async function send(handlers) {
  const { event, done } = launchEvent();
  const started = performance.now();
  handlers.onMessageSendHandler(event);
  const completion = await done;
  return { completion, elapsed: performance.now() - started };
}

/** The service's simulated clock, as the device would read it (it started when the service process did). */
function clockFrom(startAt) {
  const origin = Date.now();
  const start = Date.parse(startAt);
  return () => start + (Date.now() - origin);
}

/** One service for a suite's tests, its clock at `startAt`; `world.service` and `world.clock` once started. */
function serviceAt(startAt) {
  const world = {};
  before(async () => {
    world.clock = clockFrom(startAt);
    world.service = await startService({ startAt });
  });
  after(() => world.service?.stop());
  return world;
}

describe("Friday 23:40, after hours", () => {
  const world = serviceAt("2026-12-04T23:40:00-05:00");

  test("onMessageSend_AfterHours_DraftHeldUntilMonday0700AndSendBlockedWithTheReleaseTime", async () => {
    const { service, clock } = world;
    const draft = await service.createDraft(SENDER, [RESIDENT]);
    const { office, calls: outlook } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => draft });
    const { handlers, storage } = addin(service, { office, clock });

    const { completion, elapsed } = await send(handlers);

    assert.equal(completion.allowEvent, false);
    assert.equal(completion.errorMessage,
      "Held — BoundaryGuard will deliver this on Mon 7 Dec at 07:00, inside your recipients' working hours. " +
      "You can close this message: it waits in Drafts until then.");
    assert.ok(completion.errorMessage.length <= 500, "Smart Alerts shows at most 500 characters");
    assert.equal(completion.cancelLabel, "Send now…");
    assert.equal(completion.commandId, "bgHeldMailButton");
    assert.equal(outlook.save, 1);
    assert.equal(outlook.delayDeliveryTime, null);
    assert.ok(elapsed < SEND_BUDGET_MS, `the send waited ${elapsed} ms`);

    const holds = (await service.api(SENDER, "GET", "/api/v1/holds")).body;
    assert.equal(holds.length, 1);
    assert.equal(holds[0].state, "held");
    assert.equal(holds[0].messageId, draft, "held by the draft's immutable id, from the REST id Outlook gave");
    assert.equal(holds[0].releaseAt, "2026-12-07T07:00:00-05:00");
    assert.deepEqual(holds[0].reasons, ["after-hours", "recipient-off-hours"], "the resident works 07:00–19:00 too");
    assert.equal(JSON.parse(await storage.getItem("boundaryguard.lastHold")).id, holds[0].id);
  });

  test("onMessageSend_PressedAgainOnAHeldDraft_SameHoldNoSecondOne", async () => {
    const { service, clock } = world;
    const draft = await service.createDraft(SENDER, [RESIDENT]);
    const { office } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => draft });
    const { handlers } = addin(service, { office, clock });

    const first = await send(handlers);
    const second = await send(handlers);

    assert.equal(first.completion.allowEvent, false);
    assert.deepEqual(second.completion, first.completion);
    const holds = (await service.api(SENDER, "GET", "/api/v1/holds")).body.filter((h) => h.messageId === draft);
    assert.equal(holds.length, 1);
  });

  test("onMessageSend_OlderOutlookWithoutMailbox114_HeldWithTheMessageOnly", async () => {
    const { service, clock } = world;
    const draft = await service.createDraft(SENDER, [RESIDENT]);
    const { office } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => draft, mailboxVersion: "1.13" });
    const { handlers } = addin(service, { office, clock });

    const { completion } = await send(handlers);

    assert.equal(completion.allowEvent, false);
    assert.equal(completion.cancelLabel, undefined);
    assert.equal(completion.commandId, undefined);
  });

  test("sendNow_WithAReason_SentThroughGraphAndRecordedAsAnOverride", async () => {
    const { service, clock } = world;
    const draft = await service.createDraft(SENDER, [RESIDENT]);
    const { office } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => draft });
    const { handlers, client } = addin(service, { office, clock });
    await send(handlers);
    const hold = (await client.holds()).find((h) => h.messageId === draft);
    const sendsBefore = await service.sends();

    // What the task pane's Send now does: without a reason the service refuses and nothing is sent.
    const refused = await service.api(SENDER, "POST", `/api/v1/holds/${hold.id}/release`, {});
    assert.equal(refused.status, 400);
    assert.equal(await service.sends(), sendsBefore);
    const sent = await client.release(hold.id, "patient-care");

    assert.equal(sent.state, "overridden");
    assert.equal(sent.override, "patient-care");
    assert.equal(await service.sends(), sendsBefore + 1);
    assert.equal((await service.message(SENDER, draft)).isDraft, false);
  });

  test("onMessageSend_ServiceDown_OutlookDelaysDeliveryToMonday0700AndTheSendGoes", async () => {
    const { service, clock } = world;
    const storage = memoryStorage();
    // The snapshot was fetched on compose, while the service answered.
    await addin(service, { office: composeMessage({ sender: SENDER }).office, clock, storage }).cache.refresh();
    const { office, calls: outlook } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGnever-held" });
    const down = addin(service, { office, clock, storage, baseUrl: "http://127.0.0.1:9" });

    const { completion, elapsed } = await send(down.handlers);

    assert.equal(completion.allowEvent, true);
    assert.equal(outlook.delayDeliveryTime.toISOString(), "2026-12-07T12:00:00.000Z");
    assert.ok(elapsed < SEND_BUDGET_MS, `the send waited ${elapsed} ms`);
    const [pending] = await down.deferrals.pending();
    assert.equal(pending.cause, "unreachable");
    assert.equal(pending.releaseAt, "2026-12-07T12:00:00.000Z");
    assert.deepEqual(pending.reasons, ["after-hours"]);

    // Later, with the service back: reported once, however often the report is repeated.
    const up = addin(service, { office, clock, storage });
    assert.equal(await up.deferrals.report(), 1);
    assert.deepEqual(await up.deferrals.pending(), []);
    const again = await service.api(SENDER, "POST", "/api/v1/deferrals", pending);
    assert.equal(again.status, 200);
    const reported = (await up.client.deferrals()).filter((d) => d.id === pending.id);
    assert.equal(reported.length, 1);
    assert.equal(reported[0].releaseAt, "2026-12-07T07:00:00-05:00");
    assert.equal(reported[0].cause, "unreachable");
  });

  test("onMessageSend_TokenFails_FallsBackToDelayedDelivery", async () => {
    const { service, clock } = world;
    const storage = memoryStorage();
    await addin(service, { office: composeMessage({ sender: SENDER }).office, clock, storage }).cache.refresh();
    const draft = await service.createDraft(SENDER, [RESIDENT]);
    const { office, calls: outlook } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => draft });
    const { handlers, deferrals } = addin(service, {
      office, clock, storage, getToken: async () => { throw new Error("AADSTS65001: consent required"); },
    });

    const { completion } = await send(handlers);

    assert.equal(completion.allowEvent, true);
    assert.equal(outlook.delayDeliveryTime.toISOString(), "2026-12-07T12:00:00.000Z");
    assert.equal((await deferrals.pending())[0].cause, "token");
    const holds = (await service.api(SENDER, "GET", "/api/v1/holds")).body.filter((h) => h.messageId === draft);
    assert.deepEqual(holds, [], "the service was never asked");
  });

  test("onMessageSend_TokenNeverArrives_SendGoesWithinTheBudget", async () => {
    const { service, clock } = world;
    const storage = memoryStorage();
    await addin(service, { office: composeMessage({ sender: SENDER }).office, clock, storage }).cache.refresh();
    const { office, calls: outlook } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGunused" });
    const { handlers, deferrals } = addin(service, { office, clock, storage, getToken: () => new Promise(() => {}) });

    const { completion, elapsed } = await send(handlers);

    assert.equal(completion.allowEvent, true);
    assert.equal(outlook.delayDeliveryTime.toISOString(), "2026-12-07T12:00:00.000Z");
    assert.equal((await deferrals.pending())[0].cause, "timeout");
    assert.ok(elapsed >= SEND_BUDGET_MS - 50 && elapsed < SEND_BUDGET_MS + 500, `the send waited ${elapsed} ms`);
  });

  test("onMessageSend_ExpiredSnapshot_RefreshedBeforeDeciding", async () => {
    const { service, clock } = world;
    const storage = memoryStorage();
    const { cache } = addin(service, { office: composeMessage({ sender: SENDER }).office, clock, storage });
    await cache.refresh();
    // An hour and more old, and claiming it is open now: it must not be trusted.
    const stale = JSON.parse(await storage.getItem("boundaryguard.policy"));
    stale.fetchedAt -= POLICY_MAX_AGE_MS + 60_000;
    stale.policy.open.unshift({ start: new Date(clock() - 60_000).toISOString(), end: new Date(clock() + 3_600_000).toISOString() });
    await storage.setItem("boundaryguard.policy", JSON.stringify(stale));
    const draft = await service.createDraft(SENDER, [RESIDENT]);
    const { office } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => draft });
    const { handlers, calls } = addin(service, { office, clock, storage });

    const { completion } = await send(handlers);

    assert.equal(calls.fetch[0], "GET /api/v1/policy/me");
    assert.equal(completion.allowEvent, false);
    assert.match(completion.errorMessage, /Mon 7 Dec at 07:00/);
    const refreshed = JSON.parse(await storage.getItem("boundaryguard.policy"));
    assert.ok(clock() - refreshed.fetchedAt < 60_000);
  });

  test("onMessageSend_ExpiredSnapshotAndServiceDown_StaleSnapshotStillHoldsTheBoundary", async () => {
    const { service, clock } = world;
    const storage = memoryStorage();
    await addin(service, { office: composeMessage({ sender: SENDER }).office, clock, storage }).cache.refresh();
    const stale = JSON.parse(await storage.getItem("boundaryguard.policy"));
    stale.fetchedAt -= POLICY_MAX_AGE_MS + 60_000;
    await storage.setItem("boundaryguard.policy", JSON.stringify(stale));
    const { office, calls: outlook } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGunused" });
    const { handlers } = addin(service, { office, clock, storage, baseUrl: "http://127.0.0.1:9" });

    const { completion } = await send(handlers);

    assert.equal(completion.allowEvent, true);
    assert.equal(outlook.delayDeliveryTime.toISOString(), "2026-12-07T12:00:00.000Z");
  });

  test("onMessageSend_NoSnapshotEverAndServiceDown_SendGoesUnjudged", async () => {
    const { service, clock } = world;
    const { office, calls: outlook } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGunused" });
    const { handlers, deferrals } = addin(service, { office, clock, baseUrl: "http://127.0.0.1:9" });

    const { completion } = await send(handlers);

    assert.deepEqual(completion, { allowEvent: true });
    assert.equal(outlook.save, 0);
    assert.equal(outlook.delayDeliveryTime, null);
    assert.deepEqual(await deferrals.pending(), []);
  });
});

describe("Wednesday 18:30, in the policy's working hours (07:00–19:00)", () => {
  const world = serviceAt("2026-12-02T18:30:00-05:00");

  test("onMessageSend_InHours_SendGoesAtOnceWithoutSavingOrAskingTheService", async () => {
    const { service, clock } = world;
    const storage = memoryStorage();
    const compose = addin(service, { office: composeMessage({ sender: SENDER }).office, clock, storage });
    const { event, done } = launchEvent();
    compose.handlers.onNewMessageComposeHandler(event);
    await done;
    const { office, calls: outlook } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => "AAMkAGunused" });
    const { handlers, calls } = addin(service, { office, clock, storage });

    const { completion, elapsed } = await send(handlers);

    assert.deepEqual(completion, { allowEvent: true });
    assert.equal(outlook.save, 0);
    assert.equal(outlook.delayDeliveryTime, null);
    assert.deepEqual(calls.fetch, [], "decided from the snapshot cached at compose");
    assert.ok(elapsed < 200, `the send waited ${elapsed} ms`);
    assert.deepEqual((await service.api(SENDER, "GET", "/api/v1/holds")).body, []);
  });

  test("onMessageRecipientsChanged_ColleagueWhoseDayHasEnded_InHoursSendHeldUntilTheirMorning", async () => {
    const { service, clock } = world;
    const storage = memoryStorage();
    const learn = addin(service, { office: composeMessage({ sender: SENDER, to: [COLLEAGUE] }).office, clock, storage });
    const { event, done } = launchEvent();
    learn.handlers.onMessageRecipientsChangedHandler(event);
    await done;
    const draft = await service.createDraft(SENDER, [COLLEAGUE]);
    const { office } = composeMessage({ sender: SENDER, to: [COLLEAGUE], save: async () => draft });
    const { handlers } = addin(service, { office, clock, storage });

    const { completion } = await send(handlers);

    assert.equal(completion.allowEvent, false);
    assert.match(completion.errorMessage, /on Thu 3 Dec at 09:00,/);
    const [hold] = (await service.api(SENDER, "GET", "/api/v1/holds")).body;
    assert.equal(hold.releaseAt, "2026-12-03T09:00:00-05:00");
    assert.deepEqual(hold.reasons, ["recipient-off-hours"]);
  });

  test("onMessageSend_NightFloatResidentWhoseHoursNeverMeetThePolicys_InHoursSendGoesAsTheServiceWould", async () => {
    const { service, clock } = world;
    const storage = memoryStorage();
    const learn = addin(service, { office: composeMessage({ sender: SENDER, to: [NIGHT_FLOAT] }).office, clock, storage });
    await learn.cache.learnRecipients([NIGHT_FLOAT]);
    const draft = await service.createDraft(SENDER, [NIGHT_FLOAT]);
    const { office, calls: outlook } = composeMessage({ sender: SENDER, to: [NIGHT_FLOAT], save: async () => draft });
    const { handlers } = addin(service, { office, clock, storage });

    const { completion } = await send(handlers);

    assert.deepEqual(completion, { allowEvent: true });
    assert.equal(outlook.save, 0);
    // The service, asked, agrees: the policy alone decides for hours that never meet, and it is open.
    assert.equal((await service.api(SENDER, "POST", "/api/v1/holds", { mailbox: SENDER, messageId: draft })).body.state, "not-needed");
  });
});
