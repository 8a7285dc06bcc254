// npm run bench (after npm test has built the service): how long Send waits for the add-in, against the real service
// on its embedded default (sandbox Graph, SQLite, Debug build) on loopback. Smart Alerts counts 5 s from the click,
// the script's own start included: the handler's budget is 2.5 s, the rest is the script's cold start.
//
// 1. The send handler: the event script as the service serves it, run in each runtime profile (tests/support/runtimes.mjs),
//    one send after another as a faculty member sends them. Held at night (save, stored token, POST /api/v1/holds, where
//    the service reads and marks the draft through Graph); in working hours (the cached snapshot alone, no network);
//    and the worst cases, which wait on the budget itself (token never arrives, service unreachable, the hold's answer
//    lost once, every answer lost, no answer at all).
// 2. The cold start in Chromium: commands.html and launchevent.js downloaded and the handlers associated, with an empty
//    cache and again revalidated from the browser's cache (the service answers 304 to the ETag).
import { chromium } from "playwright-core";
import { device, message, PROFILES } from "../tests/support/runtimes.mjs";
import { startService } from "../tests/support/service.mjs";

const SENDER = "mwebb@med.example.edu";
const RESIDENT = "jlee@med.example.edu";
const SENDS = Number(process.env.SENDS ?? 200);
const WORST = Number(process.env.WORST ?? 10);
const COLD = Number(process.env.COLD ?? 20);

const summary = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)].toFixed(1);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (${sorted.length})`;
};

async function world(startAt, body) {
  // The bench sends hundreds of mails a minute from one person, far past the per-caller limit a person never reaches.
  const service = await startService({ startAt, settings: { "RateLimits:AddinPerCallerPerMinute": 1000000 } });
  try {
    const origin = Date.now();
    const clock = () => Date.parse(startAt) + (Date.now() - origin);
    const scriptUrl = `${service.baseUrl}/addin/launchevent.js`;
    const script = await (await fetch(scriptUrl)).text();
    const outlook = (profile, mode = "ok") => device(profile, { script, scriptUrl, clock, token: { token: service.token(SENDER), mode } });
    return await body({ service, outlook });
  } finally {
    await service.stop();
  }
}

async function sends(outlook, count, draftFor, expectHeld, prepare = () => {}) {
  const times = [];
  for (let i = 0; i < count; i++) {
    prepare(outlook);
    const draft = await draftFor();
    const mail = message({ sender: SENDER, to: [RESIDENT], save: async () => draft });
    const { completion, elapsed } = await outlook.run("onMessageSendHandler", mail);
    const held = completion.allowEvent === false || mail.calls.delayDeliveryTime !== null;
    if (held !== expectHeld) {
      throw new Error(`send ${i}: expected ${expectHeld ? "a hold" : "the send to go"}, got ${JSON.stringify(completion)}`);
    }

    times.push(elapsed);
  }

  return summary(times);
}

const compose = (outlook) => outlook.run("onNewMessageComposeHandler", message({ sender: SENDER, to: [RESIDENT] }));

for (const profile of Object.keys(PROFILES)) {
  await world("2026-12-04T23:40:00-05:00", async ({ service, outlook }) => {
    const draft = () => service.createDraft(SENDER, [RESIDENT]);
    const held = outlook(profile);
    await compose(held);
    console.log(`${profile}, held at Send (Fri 23:40):             ${await sends(held, SENDS, draft, true)}`);

    const hung = outlook(profile, "hang");
    console.log(`${profile}, token never arrives (worst case):   ${await sends(hung, WORST, draft, true)}`);

    const down = outlook(profile);
    await compose(down);
    down.network.down = true;
    console.log(`${profile}, service unreachable (fallback):     ${await sends(down, WORST, async () => "AAMkAGneverheld", true)}`);

    const lossy = outlook(profile);
    await compose(lossy);
    console.log(`${profile}, hold's answer lost (asked again):  ${await sends(lossy, WORST, draft, true, (o) => { o.network.loseNextAnswerTo = "POST /api/v1/holds"; })}`);

    const deaf = outlook(profile);
    await compose(deaf);
    deaf.network.loseAnswersTo = "POST /api/v1/holds";
    console.log(`${profile}, every hold answer lost (fallback):  ${await sends(deaf, WORST, draft, true)}`);

    const silent = outlook(profile);
    await compose(silent);
    silent.network.hangAnswersTo = "POST /api/v1/holds";
    console.log(`${profile}, hold never answered (worst case):  ${await sends(silent, WORST, draft, true)}`);
  });
  await world("2026-12-02T10:00:00-05:00", async ({ outlook }) => {
    const inHours = outlook(profile);
    await compose(inHours);
    console.log(`${profile}, in working hours (Wed 10:00):       ${await sends(inHours, SENDS, async () => "AAMkAGunused", false)}`);
  });
}

// Office.js stands in (Outlook loads it from its own copy or Microsoft's CDN, outside what this service serves).
const officeStandIn = `window.Office = { actions: { associate() { window.associatedAt ??= performance.now(); } },
  onReady: () => Promise.resolve({}), context: { requirements: { isSetSupported: () => true }, mailbox: { userProfile: {} } } };`;
await world("2026-12-04T23:40:00-05:00", async ({ service }) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"],
  });
  try {
    const cold = [];
    const revalidated = [];
    for (let i = 0; i < COLD; i++) {
      const context = await browser.newContext();
      await context.route("https://appsforoffice.microsoft.com/**", (route) => route.fulfill({ contentType: "text/javascript", body: officeStandIn }));
      for (const times of [cold, revalidated]) {
        const page = await context.newPage();
        await page.goto(`${service.baseUrl}/addin/commands.html`);
        await page.waitForFunction(() => window.associatedAt !== undefined);
        times.push(await page.evaluate(() => window.associatedAt));
        await page.close();
      }

      await context.close();
    }

    console.log(`cold start in Chromium, nothing cached:            ${summary(cold)}`);
    console.log(`cold start in Chromium, revalidated from its cache: ${summary(revalidated)}`);
  } finally {
    await browser.close();
  }
});
