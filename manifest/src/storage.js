// Where the add-in keeps things, by what each Outlook client's runtime really offers, found by feature detection
// (never by trying and failing on a send). Two kinds:
//
// - durableStorage(): what must survive the runtime, which Outlook ends after every event: the policy snapshot, the
//   token fetched ahead of Send and the queue of sends Outlook delayed itself. Classic Outlook on Windows runs the
//   event handlers in a JavaScript-only runtime, which has OfficeRuntime.storage but no localStorage or cookies; the
//   browser runtimes (Outlook on the web, new Outlook, Mac) have localStorage
//   (learn.microsoft.com/office/dev/add-ins/testing/runtimes, "JavaScript-only runtime").
// - itemSessionStorage(): what the event handler and the task pane share about the message being composed. On
//   Windows that is Office.sessionData (item.sessionData, Mailbox 1.11); on Mac, localStorage
//   (learn.microsoft.com/office/dev/add-ins/testing/runtimes, "Share data across runtimes").
//
// Every store has the shape of OfficeRuntime.storage (getItem, setItem, removeItem, each a promise) plus `kind`. A
// store that fails later (full, or gone) rejects; readJson treats that as "nothing stored", so a missing store can
// cost the add-in its memory, never the judgement of a send (the served default policy stands in, see policy-cache).

const PROBE_KEY = "boundaryguard.probe";

/** The best store that outlives the runtime, or an in-memory one (kind "memory") where the runtime has none. */
export function durableStorage(scope = globalThis) {
  const runtimeStorage = scope.OfficeRuntime?.storage;
  if (runtimeStorage && typeof runtimeStorage.getItem === "function" && typeof runtimeStorage.setItem === "function") {
    return {
      kind: "office-runtime",
      getItem: (key) => call(() => runtimeStorage.getItem(key)),
      setItem: (key, value) => call(() => runtimeStorage.setItem(key, value)),
      removeItem: (key) => call(() => runtimeStorage.removeItem(key)),
    };
  }

  return webStorage(scope) ?? memoryStorage();
}

/**
 * The store the event handler and the task pane share for the message being composed, or null where the client
 * offers none (the service's own answer then decides, see send.js).
 */
export function itemSessionStorage(office, scope = globalThis) {
  const platform = office?.context?.platform;
  const item = office?.context?.mailbox?.item;
  if (platform !== office?.PlatformType?.Mac && item?.sessionData && typeof item.sessionData.getAsync === "function") {
    const session = item.sessionData;
    const settle = (invoke) => new Promise((resolve, reject) => {
      invoke((result) => (result.status === "succeeded" ? resolve(result.value) : reject(result.error ?? new Error("sessionData failed"))));
    });
    return {
      kind: "session-data",
      // sessionData answers a key it does not hold with an error; to this store that is "nothing stored".
      getItem: (key) => settle((done) => session.getAsync(key, done)).catch(() => null),
      setItem: (key, value) => settle((done) => session.setAsync(key, value, done)),
      removeItem: (key) => settle((done) => session.removeAsync(key, done)),
    };
  }

  return webStorage(scope);
}

function webStorage(scope) {
  let local;
  try {
    // Reading localStorage itself throws where storage is blocked; a write shows whether it takes anything.
    local = scope.localStorage;
    if (!local) {
      return null;
    }

    local.setItem(PROBE_KEY, "1");
    local.removeItem(PROBE_KEY);
  } catch {
    return null;
  }

  return {
    kind: "local-storage",
    getItem: (key) => call(() => local.getItem(key)),
    setItem: (key, value) => call(() => local.setItem(key, value)),
    removeItem: (key) => call(() => local.removeItem(key)),
  };
}

/** A store that lasts as long as the runtime: the last resort. */
function memoryStorage() {
  const values = new Map();
  return {
    kind: "memory",
    getItem: async (key) => values.get(key) ?? null,
    setItem: async (key, value) => { values.set(key, String(value)); },
    removeItem: async (key) => { values.delete(key); },
  };
}

// A synchronous throw becomes a rejection, so callers have one failure path.
function call(operation) {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The stored JSON value, or null: nothing stored, a value cut short, or a store that failed. */
export async function readJson(storage, key) {
  let text;
  try {
    text = await storage?.getItem(key);
  } catch {
    return null;
  }

  if (!text) {
    return null;
  }

  try {
    return JSON.parse(text);
  } catch {
    // A value this add-in did not write, or one cut short: start again rather than fail every send.
    return null;
  }
}

export function writeJson(storage, key, value) {
  return storage.setItem(key, JSON.stringify(value));
}

/** A random (version 4) UUID; the JavaScript-only runtime may lack crypto.randomUUID and crypto.getRandomValues. */
export function newId() {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === "function") {
    return crypto.randomUUID();
  }

  const bytes = new Uint8Array(16);
  if (typeof crypto?.getRandomValues === "function") {
    crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = Math.floor(Math.random() * 256);
    }
  }

  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
