// The service's add-in API (/api/v1), with a bearer token from the token source. Every call takes a deadline
// (budget.js) so the send handler keeps to its budget; failures are ServiceError (the service answered no),
// TokenError, TimeoutError, or fetch's own errors (the service could not be reached).
import { within } from "./budget.js";

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
   * @param {string} options.baseUrl the service's API origin, e.g. https://boundaryguard.med.example.edu (absolute: the
   *   JavaScript-only runtime does not resolve relative URLs, learn.microsoft.com/office/dev/add-ins/develop/event-based-activation)
   * @param {(limit?: object) => Promise<string>} options.getToken an access token for the API
   * @param {typeof fetch} [options.fetch]
   */
  constructor({ baseUrl, getToken, fetch: fetchImpl = (url, init) => globalThis.fetch(url, init) }) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.getToken = getToken;
    this.fetch = fetchImpl;
  }

  /** The caller's policy snapshot with the hours of `recipients`, named in the body: an address in a URL reaches logs. */
  policy(recipients = [], limit) {
    return this.#call("POST", "/api/v1/policy/me", { recipients }, limit);
  }

  /**
   * Holds a draft. `key` is the add-in's id for this Send: asked again with the same key, the service answers with the
   * hold it already made, so an answer lost or late is found, never made twice. `recipients` let the service decide
   * while a draft saved in cached mode has not reached the server yet; they are not stored.
   */
  hold({ mailbox, messageId, key, recipients }, limit) {
    return this.#call("POST", "/api/v1/holds", { mailbox, messageId, key, recipients }, limit);
  }

  /** Records why a held draft open in the compose window is being sent now; the task pane then sends it itself. */
  override(id, reason, limit) {
    return this.#call("POST", `/api/v1/holds/${encodeURIComponent(id)}/override`, { reason }, limit);
  }

  holds(limit) {
    return this.#call("GET", "/api/v1/holds", undefined, limit);
  }

  release(id, reason, limit) {
    return this.#call("POST", `/api/v1/holds/${encodeURIComponent(id)}/release`, { reason }, limit);
  }

  cancel(id, limit) {
    return this.#call("DELETE", `/api/v1/holds/${encodeURIComponent(id)}`, undefined, limit);
  }

  /** Reports a send that Outlook deferred with delayDeliveryTime because the service could not be reached. */
  reportDeferral(deferral, limit) {
    return this.#call("POST", "/api/v1/deferrals", deferral, limit);
  }

  deferrals(limit) {
    return this.#call("GET", "/api/v1/deferrals", undefined, limit);
  }

  async #call(method, path, body, limit) {
    const token = await within(
      Promise.resolve().then(() => this.getToken(limit)).catch((e) => Promise.reject(e instanceof TokenError ? e : new TokenError(e))),
      limit,
    );
    const response = await within(this.fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: limit?.signal,
    }), limit);
    const text = await within(response.text(), limit);
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

