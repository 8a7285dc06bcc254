// Where the add-in keeps its policy snapshot and its unreported deferrals between launch events and the task pane:
// OfficeRuntime.storage, which both runtimes share (classic Outlook's JavaScript-only runtime has no localStorage);
// localStorage where Office gives no runtime storage (a page opened outside Outlook).

export function runtimeStorage() {
  if (typeof OfficeRuntime !== "undefined" && OfficeRuntime.storage) {
    return OfficeRuntime.storage;
  }

  return {
    getItem: async (key) => globalThis.localStorage.getItem(key),
    setItem: async (key, value) => globalThis.localStorage.setItem(key, value),
    removeItem: async (key) => globalThis.localStorage.removeItem(key),
  };
}

export async function readJson(storage, key) {
  const text = await storage.getItem(key);
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

/** A random (version 4) UUID; the JavaScript-only runtime may lack crypto.randomUUID. */
export function newId() {
  if (globalThis.crypto?.randomUUID) {
    return globalThis.crypto.randomUUID();
  }

  const hex = [...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
