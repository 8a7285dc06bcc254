// npm run bench (after npm test has built the service): how long Send waits for the add-in, against the real
// service on its embedded default (sandbox, SQLite), one send after another as a faculty member sends them.
// Held at night: save the draft, a token, POST /api/v1/holds (the service reads and marks the draft through Graph).
// In working hours: the decision from the cached snapshot alone, no network. Prints p50, p95 and max for each.
import { ServiceClient } from "../src/api.js";
import { Deferrals } from "../src/deferrals.js";
import { PolicyCache } from "../src/policy-cache.js";
import { launchEventHandlers } from "../src/send.js";
import { composeMessage, launchEvent, memoryStorage } from "../tests/support/outlook.mjs";
import { startService } from "../tests/support/service.mjs";

const SENDER = "mwebb@med.example.edu";
const RESIDENT = "jlee@med.example.edu";
const SENDS = Number(process.env.SENDS ?? 300);

async function measure(startAt, { hold }) {
  const service = await startService({ startAt });
  try {
    const origin = Date.now();
    const clock = () => Date.parse(startAt) + (Date.now() - origin);
    const storage = memoryStorage();
    const client = new ServiceClient({ baseUrl: service.baseUrl, getToken: async () => service.token(SENDER) });
    const cache = new PolicyCache({ storage, client, clock });
    await cache.refresh();
    const times = [];
    for (let i = 0; i < SENDS; i++) {
      const draft = hold ? await service.createDraft(SENDER, [RESIDENT]) : "AAMkAGunused";
      const { office } = composeMessage({ sender: SENDER, to: [RESIDENT], save: async () => draft });
      const handlers = launchEventHandlers({ office, cache, client, deferrals: new Deferrals({ storage, client }), storage, clock });
      const { event, done } = launchEvent();
      const started = performance.now();
      handlers.onMessageSendHandler(event);
      const completion = await done;
      times.push(performance.now() - started);
      if (completion.allowEvent === hold) {
        throw new Error(`send ${i}: expected ${hold ? "a hold" : "the send to go"}, got ${JSON.stringify(completion)}`);
      }
    }

    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)].toFixed(1);
    return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms over ${SENDS} sends`;
  } finally {
    await service.stop();
  }
}

console.log(`held at Send (Fri 23:40):      ${await measure("2026-12-04T23:40:00-05:00", { hold: true })}`);
console.log(`sent in working hours (Wed 10:00): ${await measure("2026-12-02T10:00:00-05:00", { hold: false })}`);
