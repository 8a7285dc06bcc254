// The event page in a real browser (Debian's Chromium, Playwright), served from one origin while the API answers on
// another, as an institution may deploy them: Outlook on the web, new Outlook and Mac load commands.html and, through
// it, launchevent.js. Proves the service's CORS and well-known answers to Chromium itself (the cold start is measured by
// npm run bench).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { installBridge } from "./support/naa.mjs";
import { startService } from "./support/service.mjs";

const SENDER = "mwebb@med.example.edu";
const RESIDENT = "jlee@med.example.edu";

// Office.js in a compose window: associate() keeps the handlers and when they were associated; saveAsync gives the
// draft id the test puts in window.draftId (as a REST id: the stand-in's convertToRestId is the identity).
const officeStandIn = `window.Office = {
  actions: { associate(name, handler) { (window.handlers ??= {})[name] = handler; window.associatedAt ??= performance.now(); } },
  onReady(callback) { const info = { host: "Outlook", platform: "OfficeOnline" }; setTimeout(() => callback && callback(info)); return Promise.resolve(info); },
  PlatformType: { PC: "PC", OfficeOnline: "OfficeOnline", Mac: "Mac" },
  MailboxEnums: { RestVersion: { v2_0: "v2.0" } },
  context: {
    platform: "OfficeOnline",
    requirements: { isSetSupported: (name, version) => name !== "Mailbox" || Number(version.split(".")[1]) <= 15 },
    mailbox: {
      userProfile: { emailAddress: ${JSON.stringify(SENDER)} },
      convertToRestId: (id) => id,
      item: {
        to: { getAsync: (cb) => cb({ status: "succeeded", value: [{ emailAddress: ${JSON.stringify(RESIDENT)} }] }) },
        cc: { getAsync: (cb) => cb({ status: "succeeded", value: [] }) },
        bcc: { getAsync: (cb) => cb({ status: "succeeded", value: [] }) },
        saveAsync: (cb) => cb({ status: "succeeded", value: window.draftId }),
        delayDeliveryTime: { setAsync: (date, cb) => { window.delayedTo = date.toISOString(); cb({ status: "succeeded" }); } },
      },
    },
  },
};`;

/** Runs a launch-event handler in the page; resolves with what it passed to event.completed. */
const runHandler = (page, name) => page.evaluate((handlerName) => new Promise((resolve) => {
  window.handlers[handlerName]({ completed: (options) => resolve(options ?? {}) });
}), name);

describe("the event page on the add-in's origin, the API on another, Friday 23:40", () => {
  let service;
  let browser;
  let addinOrigin;
  let apiOrigin;
  let foreign;
  before(async () => {
    service = await startService({
      startAt: "2026-12-04T23:40:00-05:00",
      // The same service under two names: localhost serves the add-in, 127.0.0.1 the API.
      settings: ({ port }) => ({ "Addin:BaseUrl": `http://localhost:${port}`, "Addin:ApiBaseUrl": `http://127.0.0.1:${port}` }),
    });
    apiOrigin = service.baseUrl;
    addinOrigin = apiOrigin.replace("127.0.0.1", "localhost");
    // A page of some other site, which must get nothing from the API.
    foreign = createServer((_request, response) => response.end("<!doctype html><title>elsewhere</title>"));
    await new Promise((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"],
    });
  });
  after(async () => {
    await browser?.close();
    foreign?.close();
    await service?.stop();
  });

  async function openEventPage(context) {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.route("https://appsforoffice.microsoft.com/**", (route) => route.fulfill({ contentType: "text/javascript", body: officeStandIn }));
    await page.addInitScript(installBridge, { accessToken: service.token(SENDER), username: SENDER });
    await page.goto(`${addinOrigin}/addin/commands.html`);
    await page.waitForFunction(() => window.handlers?.onMessageSendHandler);
    return { page, errors };
  }

  test("the well-known URI on the add-in's origin lists exactly the event script", async () => {
    const context = await browser.newContext();
    const { page } = await openEventPage(context);

    const allowed = await page.evaluate(async () => (await fetch("/.well-known/microsoft-officeaddins-allowed.json")).json());

    assert.deepEqual(allowed, { allowed: [`${addinOrigin}/addin/launchevent.js`] });
    await context.close();
  });

  test("compose then Send: the policy, and the hold, cross to the API's origin and the draft is held", async () => {
    const context = await browser.newContext();
    const { page, errors } = await openEventPage(context);
    const requests = [];
    page.on("request", (request) => requests.push(`${request.method()} ${request.url()}`));

    assert.deepEqual(await runHandler(page, "onNewMessageComposeHandler"), {});
    const draft = await service.createDraft(SENDER, [RESIDENT]);
    await page.evaluate((id) => { window.draftId = id; }, draft);
    const completion = await runHandler(page, "onMessageSendHandler");

    assert.equal(completion.allowEvent, false);
    assert.match(completion.errorMessage, /on Mon 7 Dec at 07:00,/);
    assert.equal(await page.evaluate(() => window.delayedTo ?? null), null);
    assert.ok(requests.includes(`POST ${apiOrigin}/api/v1/holds`), requests.join("\n"));
    assert.ok(requests.includes(`POST ${apiOrigin}/api/v1/policy/me`), requests.join("\n"));
    assert.ok(!requests.some((r) => r.includes(RESIDENT) || r.includes(encodeURIComponent(RESIDENT))), "no address in a URL");
    const holds = (await service.api(SENDER, "GET", "/api/v1/holds")).body.filter((h) => h.messageId === draft);
    assert.equal(holds.length, 1);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test("a page of another origin gets nothing from the API: Chromium refuses the cross-origin request", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${foreign.address().port}/`);

    const outcome = await page.evaluate(async ({ url, token }) => {
      try {
        await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
        return "answered";
      } catch (error) {
        return error.name;
      }
    }, { url: `${apiOrigin}/api/v1/holds`, token: service.token(SENDER) });

    assert.equal(outcome, "TypeError");
    await context.close();
  });
});
