import { compileSnapshot } from "./decide.js";
import { readJson, writeJson } from "./storage.js";

const KEY = "boundaryguard.policy";

/** The policy is refreshed on every new compose and in the task pane; older than this, a send refreshes it first. */
export const POLICY_MAX_AGE_MS = 60 * 60 * 1000;

/** Recipients' working hours change rarely; those learned when recipients were added are kept this long. */
export const PEOPLE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The cached snapshot of POST /api/v1/policy/me, with the working hours of recipients learned as they were added.
 * Stored as the service sent it, plus when each part was fetched (by this client's clock). Behind it stands the
 * institution's default policy, which the service writes into the add-in's script whenever it serves it
 * (config.defaultPolicy), so a send is judged even on first use, with the cache lost and the service out of reach.
 */
export class PolicyCache {
  constructor({ storage, client, clock = () => Date.now(), defaultPolicy = null }) {
    this.storage = storage;
    this.client = client;
    this.clock = clock;
    // The unfilled source carries a placeholder string there: only the service's object counts.
    this.defaultPolicy = defaultPolicy && typeof defaultPolicy === "object" && Array.isArray(defaultPolicy.open) ? defaultPolicy : null;
  }

  /**
   * The snapshot to decide a send at `now` with, and where it came from: "cached" (fresh), "refreshed", "stale" (old
   * and the refresh failed: it still holds the right instants, perhaps not the latest closures), "default" (the
   * served institution's policy), or null when nothing covers `now`. An old one is refreshed first, within `limit`.
   */
  async forSend(now, recipients, limit) {
    const cached = await readJson(this.storage, KEY);
    const usable = cached?.policy && now < Date.parse(cached.policy.validUntil);
    if (usable && now - cached.fetchedAt < POLICY_MAX_AGE_MS) {
      return { snapshot: this.#compile(cached, now), source: "cached" };
    }

    try {
      return { snapshot: await this.refresh(recipients, limit), source: "refreshed" };
    } catch {
      if (usable) {
        return { snapshot: this.#compile(cached, now), source: "stale" };
      }

      return this.defaultPolicy && now < Date.parse(this.defaultPolicy.validUntil)
        ? { snapshot: compileSnapshot(this.defaultPolicy), source: "default" }
        : { snapshot: null, source: null };
    }
  }

  /** Fetches the policy, with the working hours of `recipients` the cache does not know yet, and stores it. */
  async refresh(recipients = [], limit) {
    const now = this.clock();
    const cached = await readJson(this.storage, KEY);
    const people = Object.fromEntries(
      Object.entries(cached?.people ?? {}).filter(([, p]) => now - p.fetchedAt < PEOPLE_MAX_AGE_MS),
    );
    const unknown = [...new Set(recipients.map((r) => r.toLowerCase()))].filter((r) => !people[r]);
    const policy = await this.client.policy(unknown, limit);
    for (const [address, intervals] of Object.entries(policy.people ?? {})) {
      people[address.toLowerCase()] = { fetchedAt: now, intervals };
    }

    const entry = { fetchedAt: now, policy, people };
    // A store that fails costs the next send the cache, not this one its snapshot.
    await writeJson(this.storage, KEY, entry).catch(() => {});
    return this.#compile(entry, now);
  }

  /** Learns the hours of recipients added to a message, unless known already: OnMessageRecipientsChanged. */
  async learnRecipients(recipients, limit) {
    const cached = await readJson(this.storage, KEY);
    const now = this.clock();
    const fresh = cached && now - cached.fetchedAt < POLICY_MAX_AGE_MS;
    const known = (r) => cached?.people?.[r.toLowerCase()] && now - cached.people[r.toLowerCase()].fetchedAt < PEOPLE_MAX_AGE_MS;
    if (!fresh || !recipients.every(known)) {
      await this.refresh(recipients, limit);
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
