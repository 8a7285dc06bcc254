// The "Held mail" task pane in a real browser (Debian's Chromium, driven by Playwright) against the real service on
// its demo clock. Outlook's two parts are stood in for at the edges only: Office.js (which Outlook loads from
// Microsoft's CDN) and Outlook's Nested App Authentication bridge, which hands MSAL.js the user's token.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { startService } from "./support/service.mjs";

const SENDER = "mwebb@med.example.edu";
const RESIDENT = "jlee@med.example.edu";
const CLIENT_ID = "5f4b9a0e-2c1d-4e8f-9b7a-6d3c2e1f0a98";
const API_SCOPE = "api://boundaryguard.med.example.edu/access_as_user";

// Office.js as the task pane uses it: ready, with the signed-in user's mailbox.
const officeStandIn = (mailbox) => `window.Office = {
  context: { mailbox: { userProfile: { emailAddress: ${JSON.stringify(mailbox)} } },
             requirements: { isSetSupported: () => true } },
  onReady(callback) { const info = { host: "Outlook", platform: "OfficeOnline" };
                      setTimeout(() => callback && callback(info)); return Promise.resolve(info); },
};`;

// Outlook's side of NAA: answers MSAL's GetInitContext and GetToken with the user's account and token, and keeps
// the token requests so the test can check what MSAL asked for.
function installBridge({ accessToken, username }) {
  const unsigned = (claims) => `${btoa(JSON.stringify({ alg: "none" }))}.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.`;
  const account = {
    homeAccountId: "00000000-0000-0000-0000-0000000000aa.72f988bf-86f1-41af-91ab-2d7cd011db47",
    environment: "login.microsoftonline.com",
    tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    localAccountId: "00000000-0000-0000-0000-0000000000aa",
    username,
  };
  const listeners = [];
  window.tokenRequests = [];
  window.nestedAppAuthBridge = {
    addEventListener: (_type, listener) => listeners.push(listener),
    removeEventListener: () => {},
    postMessage(text) {
      const request = JSON.parse(text);
      const response = { messageType: "NestedAppAuthResponse", requestId: request.requestId, success: true };
      if (request.method === "GetInitContext") {
        response.initContext = { sdkName: "outlook-stand-in", sdkVersion: "1.0", capabilities: { queryAccount: false } };
      } else if (request.method.startsWith("GetToken")) {
        window.tokenRequests.push(request.tokenParams);
        const now = Math.floor(Date.now() / 1000);
        response.token = {
          access_token: accessToken,
          expires_in: 3600,
          scope: request.tokenParams.scope,
          id_token: unsigned({ oid: account.localAccountId, tid: account.tenantId, preferred_username: username, name: "Marcus Webb", aud: request.tokenParams.clientId, iat: now, exp: now + 3600 }),
        };
        response.account = account;
      } else {
        Object.assign(response, { success: false, error: { status: "PERSISTENT_ERROR", code: "unsupported", description: request.method } });
      }

      setTimeout(() => listeners.forEach((listener) => listener(JSON.stringify(response))));
    },
  };
}

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

  async function openTaskPane() {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.route("https://appsforoffice.microsoft.com/**", (route) =>
      route.fulfill({ contentType: "text/javascript", body: officeStandIn(SENDER) }));
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
});
