// The "Held mail" task pane in a real browser (Debian's Chromium, driven by Playwright) against the real service on
// its demo clock. Outlook's two parts are stood in for at the edges only: Office.js (which Outlook loads from
// Microsoft's CDN) and Outlook's Nested App Authentication bridge, which hands MSAL.js the user's token.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { installBridge } from "./support/naa.mjs";
import { startService } from "./support/service.mjs";

const SENDER = "mwebb@med.example.edu";
const RESIDENT = "jlee@med.example.edu";
const CLIENT_ID = "5f4b9a0e-2c1d-4e8f-9b7a-6d3c2e1f0a98";
const API_SCOPE = "api://boundaryguard.med.example.edu/access_as_user";

// Office.js as the task pane uses it: ready, with the signed-in user's mailbox, opened from the ribbon of a message
// being read; or, given `compose`, in the compose window of the held draft, opened from the Smart Alerts dialog with
// its contextData, where Outlook can send the draft itself (item.sendAsync, Mailbox 1.15) and keeps item.sessionData.
const officeStandIn = (mailbox, compose) => `window.Office = {
  PlatformType: { PC: "PC", OfficeOnline: "OfficeOnline", Mac: "Mac" },
  context: { platform: "PC", mailbox: { userProfile: { emailAddress: ${JSON.stringify(mailbox)} }, item: ${compose ? `{
               getInitializationContextAsync(callback) { callback({ status: "succeeded", value: ${JSON.stringify(JSON.stringify(compose.context))} }); },
               sessionData: { values: {},
                 getAsync(key, callback) { callback(key in this.values ? { status: "succeeded", value: this.values[key] } : { status: "failed" }); },
                 setAsync(key, value, callback) { this.values[key] = value; callback({ status: "succeeded" }); },
                 removeAsync(key, callback) { delete this.values[key]; callback({ status: "succeeded" }); } },
               sendAsync(callback) { window.sentByOutlook = (window.sentByOutlook ?? 0) + 1; callback({ status: "succeeded" }); },
             }` : "null"} },
             requirements: { isSetSupported: (name, version) => name !== "Mailbox" || Number(version.split(".")[1]) <= 15 } },
  onReady(callback) { const info = { host: "Outlook", platform: "PC" };
                      setTimeout(() => callback && callback(info)); return Promise.resolve(info); },
};`;

describe("the Held mail task pane, Friday 23:40", () => {
  let service;
  let browser;
  before(async () => {
    service = await startService({
      startAt: "2026-12-04T23:40:00-05:00",
      settings: { "Addin:ClientId": CLIENT_ID, "Addin:ApiScope": API_SCOPE },
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"],
    });
  });
  after(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function openTaskPane(compose) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.route("https://appsforoffice.microsoft.com/**", (route) =>
      route.fulfill({ contentType: "text/javascript", body: officeStandIn(SENDER, compose) }));
    await page.addInitScript(installBridge, { accessToken: service.token(SENDER), username: SENDER });
    await page.goto(`${service.baseUrl}/addin/taskpane.html`);
    return { page, errors };
  }

  async function holdDraft() {
    const draft = await service.createDraft(SENDER, [RESIDENT]);
    const { status, body } = await service.api(SENDER, "POST", "/api/v1/holds", { mailbox: SENDER, messageId: draft });
    assert.equal(status, 201);
    return { draft, hold: body };
  }

  test("taskPane_TwoHeldDrafts_ListedWithReleaseTimesAndCancelKeepsTheDraft", async () => {
    const first = await holdDraft();
    const second = await holdDraft();
    const { page, errors } = await openTaskPane();

    const held = page.locator("#held > li");
    await held.first().waitFor();
    assert.equal(await held.count(), 2);
    for (const row of await held.all()) {
      assert.match(await row.locator(".when").innerText(), /^Goes Mon 7 Dec at 07:00$/);
      assert.match(await row.locator(".meta").innerText(), /^Held Fri 4 Dec at 23:4\d · after hours, outside a recipient's hours$/);
    }

    // MSAL asked Outlook for the configured API scope, with the configured app registration.
    const [request] = await page.evaluate(() => window.tokenRequests);
    assert.equal(request.clientId, CLIENT_ID);
    assert.equal(request.scope.split(" ")[0], API_SCOPE);

    await page.locator(`li[data-hold-id="${first.hold.id}"] button`, { hasText: "Cancel hold" }).click();
    await page.locator("#status", { hasText: "Hold cancelled" }).waitFor();
    await page.locator("#held > li").nth(1).waitFor({ state: "detached" });

    assert.deepEqual(await page.locator("#held > li").evaluateAll((rows) => rows.map((r) => r.dataset.holdId)), [second.hold.id]);
    assert.equal(await page.locator(`#history li[data-hold-id="${first.hold.id}"] .state`).innerText(), "Cancelled");
    const holds = (await service.api(SENDER, "GET", "/api/v1/holds")).body;
    assert.equal(holds.find((h) => h.id === first.hold.id).state, "cancelled");
    assert.equal(holds.find((h) => h.id === second.hold.id).state, "held");
    assert.equal((await service.message(SENDER, first.draft)).isDraft, true, "a cancelled hold leaves the draft in Drafts");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("taskPane_SendNow_NeedsAReasonThenSendsAndRecordsTheOverride", async () => {
    const { draft, hold } = await holdDraft();
    const sendsBefore = await service.sends();
    const { page, errors } = await openTaskPane();
    const row = page.locator(`li[data-hold-id="${hold.id}"]`);
    await row.waitFor();
    const sendNow = row.locator("button", { hasText: "Send now" });

    assert.equal(await sendNow.isDisabled(), true, "no reason chosen yet");
    await row.locator("select").selectOption("time-critical");
    await sendNow.click();
    await page.locator("#status", { hasText: "Sent." }).waitFor();

    assert.equal(await page.locator(`#history li[data-hold-id="${hold.id}"] .state`).innerText(), "Sent early");
    const after = (await service.api(SENDER, "GET", `/api/v1/holds/${hold.id}`)).body;
    assert.equal(after.state, "overridden");
    assert.equal(after.override, "time-critical");
    assert.equal(await service.sends(), sendsBefore + 1);
    assert.equal((await service.message(SENDER, draft)).isDraft, false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("taskPane_OpenedFromTheDialogInCompose_SendNowRecordsTheReasonAndOutlookSendsTheDraft", async () => {
    const { draft, hold } = await holdDraft();
    const sendsBefore = await service.sends();
    const { page, errors } = await openTaskPane({ context: { holdId: hold.id } });
    const row = page.locator(`li[data-hold-id="${hold.id}"]`);
    await row.waitFor();
    assert.match(await row.locator(".meta").innerText(), /^This message · /);
    assert.equal(await page.locator("#deferred-note").innerText().then((t) => t.includes("Sent Items")), true,
      "classic Outlook keeps mail it delays itself on the server, not in the Outbox");

    await row.locator("select").selectOption("patient-care");
    await row.locator("button", { hasText: "Send now" }).click();
    await page.waitForFunction(() => window.sentByOutlook === 1);

    const after = (await service.api(SENDER, "GET", `/api/v1/holds/${hold.id}`)).body;
    assert.equal(after.override, "patient-care", "the reason is recorded before Outlook sends");
    assert.equal(await service.sends(), sendsBefore, "Outlook sends the open draft; BoundaryGuard does not send it too");
    const marker = JSON.parse(await page.evaluate(() => Office.context.mailbox.item.sessionData.values["boundaryguard.override"]));
    assert.equal(marker.holdId, hold.id, "the Send handler that sendAsync runs lets this send go");
    assert.equal((await service.message(SENDER, draft)).isDraft, true);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
