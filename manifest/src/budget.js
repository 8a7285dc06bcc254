// Deadlines for the launch events, built on setTimeout alone. AbortSignal.timeout, AbortSignal.any and
// signal.throwIfAborted are recent browser additions that the JavaScript-only runtime of classic Outlook on Windows is
// not documented to have (learn.microsoft.com/office/dev/add-ins/testing/runtimes), so nothing here relies on them;
// where AbortController exists, a deadline also aborts the fetch it was given to.

export class TimeoutError extends Error {
  constructor(message = "The time allowed ran out.") {
    super(message);
    this.name = "TimeoutError";
  }
}

/**
 * A deadline `ms` from now. `signal` goes to fetch (undefined where the runtime has no AbortController); `expired`
 * says whether it has passed; `remaining()` how long is left; `within(ms)` a shorter deadline inside this one.
 */
export function deadline(ms, { now = () => Date.now() } = {}) {
  const endsAt = now() + Math.max(0, ms);
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const listeners = new Set();
  let expired = false;
  const expire = () => {
    if (expired) {
      return;
    }

    expired = true;
    const reason = new TimeoutError();
    controller?.abort(reason);
    for (const listener of listeners) {
      listener(reason);
    }

    listeners.clear();
  };
  const timer = setTimeout(expire, Math.max(0, ms));
  return {
    signal: controller?.signal,
    get expired() {
      return expired;
    },
    endsAt,
    remaining: () => Math.max(0, endsAt - now()),
    within: (shorter) => deadline(Math.min(shorter, Math.max(0, endsAt - now())), { now }),
    /** Calls `listener(reason)` once when the deadline passes (at once if it has). Returns a function that cancels it. */
    onExpire(listener) {
      if (expired) {
        listener(new TimeoutError());
        return () => {};
      }

      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Frees the timer early: the work finished. */
    dispose() {
      clearTimeout(timer);
      listeners.clear();
    },
  };
}

/**
 * Settles with `promise`, or rejects with a TimeoutError when `limit` (a deadline) passes first: a token source or
 * an Office call cannot be cancelled, but the caller's budget still ends on time.
 */
export function within(promise, limit) {
  if (!limit) {
    return Promise.resolve(promise);
  }

  if (limit.expired) {
    return Promise.reject(new TimeoutError());
  }

  return new Promise((resolve, reject) => {
    const cancel = limit.onExpire(reject);
    Promise.resolve(promise).then(
      (value) => { cancel(); resolve(value); },
      (error) => { cancel(); reject(error); },
    );
  });
}
