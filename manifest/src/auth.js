import { createNestablePublicClientApplication, InteractionRequiredAuthError } from "@azure/msal-browser";
import { readJson, writeJson } from "./storage.js";

const TOKEN_KEY = "boundaryguard.token";

/** A stored token this close to its expiry is not used: a send must not reach the service with one about to lapse. */
export const TOKEN_MARGIN_MS = 5 * 60 * 1000;

/**
 * Access tokens for the BoundaryGuard API, for the signed-in user:
 * - Nested App Authentication, where Outlook supports it (Office.context.requirements.isSetSupported("NestedAppAuth",
 *   "1.1")): Outlook brokers the token for MSAL.js (learn.microsoft.com/office/dev/add-ins/develop/enable-nested-app-authentication-in-your-add-in,
 *   "Have a fallback when NAA isn't supported");
 * - otherwise, or where NAA cannot start, Office's own SSO, OfficeRuntime.auth.getAccessToken, which event-based
 *   add-ins may call (learn.microsoft.com/office/dev/add-ins/develop/event-based-activation, "Unsupported APIs").
 * In classic Outlook on Windows both work in the event runtime only once the add-in's origin lists launchevent.js in
 * /.well-known/microsoft-officeaddins-allowed.json (learn.microsoft.com/office/dev/add-ins/develop/use-sso-in-event-based-activation).
 *
 * Outlook ends the event runtime after every event, so a token is kept in the durable store until shortly before it
 * expires: the compose and recipients handlers fetch it ahead of Send (`prefetch`), and Send uses it without asking.
 * Launch events ask silently (they cannot show UI); the task pane may prompt.
 */
export function createTokenSource({ clientId, authority, apiScope }, { office, storage, interactive, now = () => Date.now(), mailbox = () => undefined }) {
  let application;
  let pending;

  async function naaToken() {
    application ??= createNestablePublicClientApplication({ auth: { clientId, authority } }).catch((error) => {
      application = undefined; // try again on the next call: the host may just not have been ready
      throw error;
    });
    const pca = await application;
    const request = { scopes: [apiScope] };
    let result;
    try {
      result = await pca.acquireTokenSilent(request);
    } catch (error) {
      if (!(interactive && error instanceof InteractionRequiredAuthError)) {
        throw error;
      }

      result = await pca.acquireTokenPopup(request);
    }

    return { token: result.accessToken, expiresAt: result.expiresOn ? new Date(result.expiresOn).getTime() : expiryOf(result.accessToken) };
  }

  async function ssoToken() {
    const token = await globalThis.OfficeRuntime.auth.getAccessToken({
      allowSignInPrompt: interactive,
      allowConsentPrompt: interactive,
      forMSGraphAccess: false,
    });
    return { token, expiresAt: expiryOf(token) };
  }

  async function acquire() {
    const naa = office?.context?.requirements?.isSetSupported?.("NestedAppAuth", "1.1") === true;
    const sso = typeof globalThis.OfficeRuntime?.auth?.getAccessToken === "function";
    let fresh;
    if (naa) {
      try {
        fresh = await naaToken();
      } catch (error) {
        // NAA reported but unusable in this runtime (its bridge missing): Office's SSO is the documented fallback.
        if (!sso || error instanceof InteractionRequiredAuthError) {
          throw error;
        }

        fresh = await ssoToken();
      }
    } else if (sso) {
      fresh = await ssoToken();
    } else {
      throw new Error("This Outlook offers neither Nested App Authentication nor Office SSO.");
    }

    const entry = { ...fresh, mailbox: mailbox() };
    await writeJson(storage, TOKEN_KEY, entry).catch(() => {});
    return entry.token;
  }

  /** A usable token: the stored one while it has time left, else a new one (one request at a time). */
  async function getToken() {
    const stored = await readJson(storage, TOKEN_KEY);
    if (stored?.token && stored.mailbox === mailbox() && stored.expiresAt - now() > TOKEN_MARGIN_MS) {
      return stored.token;
    }

    pending ??= acquire().finally(() => { pending = undefined; });
    return pending;
  }

  /** Makes sure a token is stored before the next Send needs it. */
  getToken.prefetch = () => getToken().then(() => true);
  return getToken;
}

/** The `exp` of a JWT in ms, or now + 5 minutes (the margin makes that "ask again next time") where it has none. */
export function expiryOf(token) {
  try {
    const claims = JSON.parse(base64UrlDecode(String(token).split(".")[1]));
    if (typeof claims.exp === "number") {
      return claims.exp * 1000;
    }
  } catch {
    // not a JWT we can read: treated as short-lived
  }

  return Date.now() + TOKEN_MARGIN_MS;
}

// atob is not documented in the JavaScript-only runtime: decode by hand.
function base64UrlDecode(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const c of text.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")) {
    const index = alphabet.indexOf(c);
    if (index < 0) {
      throw new Error("not base64url");
    }

    value = (value << 6) | index;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((value >> bits) & 0xff);
    }
  }

  return decodeURIComponent(out.split("").map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join(""));
}
