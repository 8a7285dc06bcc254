// The service's add-in API (/api/v1), with a bearer token from the token source. Every call takes an AbortSignal so
// the send handler can keep to its budget; failures are ServiceError (the service answered no) or the token
// source's or fetch's own errors (the service or the token could not be reached).

export class ServiceError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `The BoundaryGuard service answered ${status}.`);
    this.name = "ServiceError";
    this.status = status;
    this.problem = problem;
  }
}

/** The token source failed: no token for the API, so the service was never asked. */
export class TokenError extends Error {
  constructor(cause) {
    super("No access token for the BoundaryGuard service.", { cause });
    this.name = "TokenError";
  }
}

export class ServiceClient {
  /**
   * @param {object} options
   * @param {string} options.baseUrl the service's origin, e.g. https://boundaryguard.med.example.edu
   * @param {() => Promise<string>} options.getToken an access token for the API
   * @param {typeof fetch} [options.fetch]
   */
  constructor({ baseUrl, getToken, fetch: fetchImpl = globalThis.fetch.bind(globalThis) }) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.getToken = getToken;
    this.fetch = fetchImpl;
  }

  policy(to = [], signal) {
    const query = to.map((a) => `to=${encodeURIComponent(a)}`).join("&");
    return this.#call("GET", `/api/v1/policy/me${query ? `?${query}` : ""}`, undefined, signal);
  }

  hold(mailbox, messageId, signal) {
    return this.#call("POST", "/api/v1/holds", { mailbox, messageId }, signal);
  }

  holds(signal) {
    return this.#call("GET", "/api/v1/holds", undefined, signal);
  }

  release(id, reason, signal) {
    return this.#call("POST", `/api/v1/holds/${encodeURIComponent(id)}/release`, { reason }, signal);
  }

  cancel(id, signal) {
    return this.#call("DELETE", `/api/v1/holds/${encodeURIComponent(id)}`, undefined, signal);
  }

  /** Reports a send that Outlook deferred with delayDeliveryTime because the service could not be reached. */
  reportDeferral(deferral, signal) {
    return this.#call("POST", "/api/v1/deferrals", deferral, signal);
  }

  deferrals(signal) {
    return this.#call("GET", "/api/v1/deferrals", undefined, signal);
  }

  async #call(method, path, body, signal) {
    const token = await within(
      Promise.resolve().then(() => this.getToken()).catch((e) => Promise.reject(new TokenError(e))),
      signal,
    );
    const response = await this.fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await response.text();
    if (!response.ok) {
      // A proxy in front of the service may answer with HTML: the status still says what happened.
      throw new ServiceError(response.status, parseOrNull(text));
    }

    return text ? JSON.parse(text) : null;
  }
}

function parseOrNull(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Rejects when `signal` aborts, whether or not `promise` has settled: a token source or an Office call cannot be
 * cancelled, but the caller's budget still ends on time.
 */
export function within(promise, signal) {
  if (!signal) {
    return promise;
  }

  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
