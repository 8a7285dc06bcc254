import { compileSnapshot } from "./decide.js";
import { readJson, writeJson } from "./storage.js";

const KEY = "boundaryguard.policy";

/** The policy is refreshed on every new compose and in the task pane; older than this, a send refreshes it first. */
export const POLICY_MAX_AGE_MS = 60 * 60 * 1000;

/** Recipients' working hours change rarely; those learned when recipients were added are kept this long. */
export const PEOPLE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The cached snapshot of GET /api/v1/policy/me, with the working hours of recipients learned as they were added.
 * Stored as the service sent it, plus when each part was fetched (by this client's clock).
 */
export class PolicyCache {
  constructor({ storage, client, clock = () => Date.now() }) {
    this.storage = storage;
    this.client = client;
    this.clock = clock;
  }

  /**
   * The snapshot to decide a send at `now` with, or null when there is none that covers `now`. A fresh one is used
   * as it is; an old one is refreshed first, and used as it is only when the refresh fails (it still holds the
   * right instants, just perhaps not the latest closures).
   */
  async forSend(now, recipients, signal) {
    const cached = await readJson(this.storage, KEY);
    if (cached && now - cached.fetchedAt < POLICY_MAX_AGE_MS && now < Date.parse(cached.policy.validUntil)) {
      return { snapshot: this.#compile(cached, now), refreshed: false };
    }

    try {
      return { snapshot: await this.refresh(recipients, signal), refreshed: true };
    } catch {
      return cached && now < Date.parse(cached.policy.validUntil)
        ? { snapshot: this.#compile(cached, now), refreshed: false }
        : { snapshot: null, refreshed: false };
    }
  }

  /** Fetches the policy, with the working hours of `recipients` the cache does not know yet, and stores it. */
  async refresh(recipients = [], signal) {
    const now = this.clock();
    const cached = await readJson(this.storage, KEY);
    const people = Object.fromEntries(
      Object.entries(cached?.people ?? {}).filter(([, p]) => now - p.fetchedAt < PEOPLE_MAX_AGE_MS),
    );
    const unknown = [...new Set(recipients.map((r) => r.toLowerCase()))].filter((r) => !people[r]);
    const policy = await this.client.policy(unknown, signal);
    for (const [address, intervals] of Object.entries(policy.people ?? {})) {
      people[address.toLowerCase()] = { fetchedAt: now, intervals };
    }

    const entry = { fetchedAt: now, policy, people };
    await writeJson(this.storage, KEY, entry);
    return this.#compile(entry, now);
  }

  /** Learns the hours of recipients added to a message, unless known already: OnMessageRecipientsChanged. */
  async learnRecipients(recipients, signal) {
    const cached = await readJson(this.storage, KEY);
    const now = this.clock();
    const fresh = cached && now - cached.fetchedAt < POLICY_MAX_AGE_MS;
    const known = (r) => cached?.people?.[r.toLowerCase()] && now - cached.people[r.toLowerCase()].fetchedAt < PEOPLE_MAX_AGE_MS;
    if (!fresh || !recipients.every(known)) {
      await this.refresh(recipients, signal);
    }
  }

  #compile(entry, now) {
    const people = Object.fromEntries(
      Object.entries(entry.people ?? {})
        .filter(([, p]) => now - p.fetchedAt < PEOPLE_MAX_AGE_MS)
        .map(([address, p]) => [address, p.intervals]),
    );
    return compileSnapshot({ ...entry.policy, people });
  }
}
