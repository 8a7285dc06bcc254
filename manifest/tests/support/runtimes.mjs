// The runtime profiles: the add-in's event script, exactly as the service serves it to Outlook, run in a bare
// JavaScript context (node:vm) that has only the globals the client's runtime documents, with Outlook played by
// Microsoft's office-addin-mock. Outlook ends the event runtime after every event, so each event gets a new context;
// what the runtime stores (OfficeRuntime.storage, localStorage) outlives it, as on the device.
//
// - classic Outlook on Windows: the JavaScript-only runtime, "a JavaScript engine supplemented with support for
//   WebSockets, Full CORS, and OfficeRuntime.storage", with no rendering engine, no cookies and no localStorage
//   (learn.microsoft.com/office/dev/add-ins/testing/runtimes). No window or document, so MSAL's Nested App
//   Authentication bridge (window.nestedAppAuthBridge) is not there; Office SSO (OfficeRuntime.auth) is. Nothing newer
//   than setTimeout is assumed: no AbortController, AbortSignal, crypto or atob. Every request, tokens included, is
//   refused unless the add-in's origin lists the script in /.well-known/microsoft-officeaddins-allowed.json, and a
//   request to another origin also needs that origin's CORS answer
//   (learn.microsoft.com/office/dev/add-ins/develop/use-sso-in-event-based-activation).
// - new Outlook on Windows and Outlook on the web: a browser runtime (commands.html), with window, localStorage,
//   AbortController and the NAA bridge; platform OfficeOnline; item.sessionData.
// - Outlook on Mac: a browser runtime too; platform Mac, where the event runtime and the task pane share data through
//   localStorage (the same page, "Share data across runtimes").
import vm from "node:vm";
import { OfficeMockObject } from "office-addin-mock";
import { installBridge } from "./naa.mjs";
import { versionAtLeast } from "./manifests.mjs";

export const PROFILES = {
  "classic Windows": { platform: "PC", browser: false, mailbox: "1.15", sessionData: true },
  "new Outlook and the web": { platform: "OfficeOnline", browser: true, mailbox: "1.15", sessionData: true },
  Mac: { platform: "Mac", browser: true, mailbox: "1.14", sessionData: false },
};

const succeeded = (value) => ({ status: "succeeded", value });

// Outlook gives item ids in Exchange's EWS form; convertToRestId turns one into the REST id Graph knows.
const ewsId = (restId) => restId.replace(/-/g, "/").replace(/_/g, "+");
const restId = (itemId) => itemId.replace(/\//g, "-").replace(/\+/g, "_");

/**
 * A device with the add-in installed in `profile`, whose clock reads `clock()` and whose script is `script` (the text
 * the service served at `scriptUrl`). `network` is the device's: its faults apply to every request the runtime makes:
 * down; for a "METHOD /path", loseNextAnswerTo or loseAnswersTo (the request arrives, its answer is lost), hangAnswersTo
 * (never answered), delayNextAnswerTo (answered after delayMs). It records each request as "METHOD /path" (requests),
 * as "METHOD url" with the whole URL (urls), and each CORS preflight as "METHOD /path headers" (preflights).
 */
export function device(profileName, { script, scriptUrl, clock, token }) {
  const profile = PROFILES[profileName];
  const durable = new Map(); // OfficeRuntime.storage on Windows, the origin's localStorage in a browser runtime
  const network = { down: false, loseNextAnswerTo: null, loseAnswersTo: null, hangAnswersTo: null, delayNextAnswerTo: null, delayMs: 0, requests: [], urls: [], preflights: [], allowedScripts: null };
  const pageOrigin = new URL(scriptUrl).origin;

  // The JavaScript-only runtime: no request and no token leaves it unless the add-in's origin lists this script (Outlook
  // reads the list itself: it needs no CORS).
  async function requireListed() {
    network.allowedScripts ??= await fetch(`${pageOrigin}/.well-known/microsoft-officeaddins-allowed.json`)
      .then((r) => (r.ok ? r.json() : { allowed: [] })).then((body) => body.allowed ?? []).catch(() => null);
    if (!network.allowedScripts?.includes(scriptUrl)) {
      throw new TypeError(`blocked: ${scriptUrl} is not listed in ${pageOrigin}/.well-known/microsoft-officeaddins-allowed.json`);
    }
  }

  async function networkFetch(url, init = {}) {
    const target = new URL(url);
    network.requests.push(`${init.method ?? "GET"} ${target.pathname}`);
    network.urls.push(`${init.method ?? "GET"} ${target.href}`);
    if (network.down) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new TypeError("fetch failed");
    }

    if (!profile.browser) {
      await requireListed();
    }

    const crossOrigin = !profile.browser || target.origin !== pageOrigin;
    const headers = { ...(init.headers ?? {}), ...(crossOrigin ? { Origin: pageOrigin } : {}) };
    const unsafeHeaders = unsafeHeaderNames(init.headers ?? {});
    if (crossOrigin && (!SIMPLE_METHODS.has(init.method ?? "GET") || unsafeHeaders.length > 0)) {
      // Anything but a simple request is preflighted (Fetch standard, "CORS-preflight request"): the add-in's calls all
      // are, for their Authorization header, and a body's Content-Type application/json is one more reason.
      const method = init.method ?? "GET";
      network.preflights.push(`${method} ${target.pathname} ${unsafeHeaders.join(",")}`);
      const preflight = await fetch(url, {
        method: "OPTIONS",
        headers: { Origin: pageOrigin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": unsafeHeaders.join(",") },
      });
      if (!corsAllows(preflight, pageOrigin)) {
        throw new TypeError(`CORS preflight to ${target.origin} refused for ${pageOrigin}`);
      }
    }

    const response = await fetch(url, { ...init, headers, signal: undefined });
    if (crossOrigin && !corsAllows(response, pageOrigin)) {
      throw new TypeError(`CORS: ${target.origin} did not allow ${pageOrigin}`);
    }

    const path = `${init.method ?? "GET"} ${target.pathname}`;
    if (network.loseNextAnswerTo === path || network.loseAnswersTo === path) {
      network.loseNextAnswerTo = null;
      await response.arrayBuffer();
      throw new TypeError("the connection was reset");
    }

    if (network.hangAnswersTo === path) {
      await new Promise(() => {});
    }

    if (network.delayNextAnswerTo === path) {
      network.delayNextAnswerTo = null;
      await new Promise((resolve) => setTimeout(resolve, network.delayMs));
    }

    return response;
  }

  // A browser's fetch honours the abort signal it is given; the JavaScript-only runtime is given none (no
  // AbortController there).
  const runtimeFetch = (url, init = {}) => {
    const signal = init.signal;
    const request = networkFetch(url, init);
    if (!signal) {
      return request;
    }

    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }

      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      request.then(resolve, reject);
    });
  };

  let writesFail = false;
  const full = () => Object.assign(new Error("The quota has been exceeded."), { name: "QuotaExceededError" });
  const storageApi = {
    getItem: async (key) => durable.get(key) ?? null,
    setItem: async (key, value) => {
      if (writesFail) {
        throw full();
      }

      durable.set(key, String(value));
    },
    removeItem: async (key) => { durable.delete(key); },
  };
  const localStorage = {
    getItem: (key) => durable.get(key) ?? null,
    setItem: (key, value) => {
      if (writesFail) {
        throw full();
      }

      durable.set(key, String(value));
    },
    removeItem: (key) => { durable.delete(key); },
  };

  /** One launch event: a new runtime, the script evaluated in it, the handler called. Resolves with what it completed. */
  async function run(handlerName, message) {
    const associated = {};
    const office = outlook(profile, message, associated);
    const deviceDate = shiftedDate(clock);
    const globals = {
      Office: office,
      console: { log() {}, warn() {}, error() {}, info() {}, debug() {} },
      setTimeout, clearTimeout, setInterval, clearInterval,
      fetch: runtimeFetch,
      Date: deviceDate,
      URL, URLSearchParams,
    };
    if (profile.browser) {
      Object.assign(globals, {
        localStorage, AbortController, AbortSignal, crypto: globalThis.crypto, atob, btoa, TextEncoder, TextDecoder,
        performance, queueMicrotask, navigator: { userAgent: "Mozilla/5.0 (Outlook runtime profile)" },
        location: new URL(scriptUrl), OfficeRuntime: undefined,
      });
    } else {
      globals.OfficeRuntime = {
        storage: storageApi,
        auth: {
          // Office SSO: brokered by Outlook, and only for a script the add-in's origin lists.
          async getAccessToken() {
            if (network.down) {
              throw new TypeError("fetch failed");
            }

            await requireListed();
            if (token.mode === "hang") {
              return new Promise(() => {});
            }

            if (token.mode === "fail") {
              throw Object.assign(new Error("The user has not consented."), { code: 13003 });
            }

            return token.token;
          },
        },
      };
    }

    const context = vm.createContext(globals);
    if (profile.browser) {
      vm.runInContext("globalThis.window = globalThis; globalThis.self = globalThis;", context);
      vm.runInContext(`(${installBridge})(${JSON.stringify({ accessToken: token.token, username: message.sender, mode: token.mode })})`, context);
    }

    vm.runInContext(script, context, { filename: scriptUrl });
    const handler = associated[handlerName];
    if (!handler) {
      throw new Error(`the script associated no ${handlerName}: ${Object.keys(associated).join(", ")}`);
    }

    let completed;
    const done = new Promise((resolve) => { completed = resolve; });
    const started = performance.now();
    // Outlook takes the options across to its own process; a copy in this realm also lets deepEqual compare them.
    handler({ completed: (options) => completed(structuredClone(options ?? {})) });
    const completion = await done;
    return { completion, elapsed: performance.now() - started, office };
  }

  /** From now on the device's storage takes nothing (full). */
  const failWrites = () => { writesFail = true; };
  return { profile, network, durable, run, failWrites };
}

function corsAllows(response, origin) {
  return response.headers.get("access-control-allow-origin") === origin;
}

const SIMPLE_METHODS = new Set(["GET", "HEAD", "POST"]);
const SIMPLE_CONTENT_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);

/** The request's headers that are not CORS-safelisted, lower case and sorted as a preflight names them (Fetch standard). */
function unsafeHeaderNames(headers) {
  const safelisted = (name, value) => ["accept", "accept-language", "content-language"].includes(name)
    || (name === "content-type" && SIMPLE_CONTENT_TYPES.has(String(value).split(";")[0].trim().toLowerCase()));
  return Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])
    .filter(([name, value]) => !safelisted(name, value)).map(([name]) => name).sort();
}

/** The device's Date: the real one, read as the simulated clock the service runs on. */
function shiftedDate(clock) {
  const offset = () => clock() - Date.now();
  return class DeviceDate extends Date {
    constructor(...args) {
      super(...(args.length === 0 ? [Date.now() + offset()] : args));
    }

    static now() {
      return Date.now() + offset();
    }
  };
}

/**
 * Outlook through office-addin-mock: a message composed by `message.sender` to `message.to`, whose saveAsync gives
 * (in EWS form) the id `message.save()` resolves to, with the item's session data, delayDeliveryTime and what the
 * script associated. `message.calls` records what the add-in asked of Outlook.
 */
function outlook(profile, message, associated) {
  const calls = message.calls;
  const recipients = (list) => ({
    getAsync(callback) {
      callback(succeeded(list.map((address) => ({ emailAddress: address, displayName: address, recipientType: "user" }))));
    },
  });
  const item = {
    to: recipients(message.to ?? []),
    cc: recipients([]),
    bcc: recipients([]),
    saveAsync(callback) {
      calls.save += 1;
      message.save().then((id) => callback(succeeded(ewsId(id))), (error) => callback({ status: "failed", error }));
    },
    delayDeliveryTime: {
      setAsync(date, callback) {
        if (message.delayFails) {
          callback({ status: "failed", error: { code: 9041, message: "Outlook could not set the delivery time." } });
          return;
        }

        calls.delayDeliveryTime = date;
        callback(succeeded());
      },
    },
  };
  if (profile.sessionData) {
    // Office.SessionData: kept per item for the compose session, shared by the add-in's runtimes.
    const session = message.session;
    item.sessionData = {
      getAsync(key, callback) {
        callback(session.has(key) ? succeeded(session.get(key)) : { status: "failed", error: { code: 9057, message: `No ${key}` } });
      },
      setAsync(key, value, callback) {
        if (message.sessionFails) {
          callback({ status: "failed", error: { code: 9058, message: "Session data is full." } });
          return;
        }

        session.set(key, value);
        callback(succeeded());
      },
      removeAsync(key, callback) {
        session.delete(key);
        callback(succeeded());
      },
    };
  }

  return new OfficeMockObject({
    host: "outlook",
    onReady: (callback) => {
      callback?.({ host: "Outlook", platform: profile.platform });
      return Promise.resolve({ host: "Outlook", platform: profile.platform });
    },
    actions: {
      associate(name, handler) {
        associated[name] = handler;
      },
    },
    context: {
      platform: profile.platform,
      mailbox: {
        userProfile: { emailAddress: message.sender },
        item,
        convertToRestId(itemId, restVersion) {
          if (restVersion !== "v2.0") {
            throw new Error(`unexpected REST version ${restVersion}`);
          }

          return restId(itemId);
        },
      },
      requirements: {
        isSetSupported(name, version) {
          if (name === "NestedAppAuth") {
            return true;
          }

          return name === "Mailbox" && versionAtLeast(profile.mailbox, version);
        },
      },
    },
    PlatformType: { PC: "PC", OfficeOnline: "OfficeOnline", Mac: "Mac", iOS: "iOS", Android: "Android", Universal: "Universal" },
    MailboxEnums: { RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" } },
  });
}

/** A message for `run`: its sender, recipients and the id its saveAsync gives; `calls` and `session` are Outlook's. */
export function message({ sender, to = [], save = async () => { throw new Error("no draft"); }, session = new Map() }) {
  return { sender, to, save, session, calls: { save: 0, delayDeliveryTime: null } };
}
