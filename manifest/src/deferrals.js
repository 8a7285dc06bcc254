import { newId, readJson, writeJson } from "./storage.js";

const KEY = "boundaryguard.deferrals";

/**
 * Sends Outlook deferred itself (delayDeliveryTime) because the service could not hold them in time. Each is kept in
 * the durable store until the service has it, so the scorecard counts it; the id makes a report that is repeated
 * count once, and `holdKey` (the key the send asked for a hold with) lets the service cancel a hold whose answer was
 * lost, so that Outlook alone delivers the mail.
 */
export class Deferrals {
  constructor({ storage, client }) {
    this.storage = storage;
    this.client = client;
  }

  async remember({ mailbox, deferredAt, releaseAt, reasons, cause, holdKey }) {
    const pending = (await readJson(this.storage, KEY)) ?? [];
    pending.push({
      id: newId(),
      mailbox,
      deferredAt: new Date(deferredAt).toISOString(),
      releaseAt: new Date(releaseAt).toISOString(),
      reasons,
      cause,
      ...(holdKey ? { holdKey } : {}),
    });
    await writeJson(this.storage, KEY, pending);
  }

  pending() {
    return readJson(this.storage, KEY).then((p) => p ?? []);
  }

  /** Reports what is pending; what the service did not take stays for the next time. Returns how many it took. */
  async report(limit) {
    const pending = await this.pending();
    const reported = new Set();
    for (const deferral of pending) {
      try {
        await this.client.reportDeferral(deferral, limit);
        reported.add(deferral.id);
      } catch {
        break;
      }
    }

    if (reported.size > 0) {
      // Read again: a send may have added one while these were on their way.
      const now = (await this.pending()).filter((d) => !reported.has(d.id));
      await writeJson(this.storage, KEY, now);
    }

    return reported.size;
  }
}
