// Outlook as the add-in sees it, through Microsoft's office-addin-mock: a message being composed by `sender` to
// `to`, whose saveAsync gives the id `save()` returns (in Exchange's EWS form, as Outlook does), and whose
// delayDeliveryTime is recorded. `calls` counts what the add-in asked of Outlook.
import { OfficeMockObject } from "office-addin-mock";

const succeeded = (value) => ({ status: "succeeded", value });

/** Exchange's EWS id of an item whose REST id is `restId` (convertToRestId undoes this). */
export function ewsId(restId) {
  return restId.replace(/-/g, "/").replace(/_/g, "+");
}

export function composeMessage({ sender, to = [], cc = [], save = async () => { throw new Error("no draft"); }, mailboxVersion = "1.14" }) {
  const calls = { save: 0, delayDeliveryTime: null };
  const recipients = (list) => ({
    getAsync(callback) {
      callback(succeeded(list.map((address) => ({ emailAddress: address, displayName: address, recipientType: "user" }))));
    },
  });
  const office = new OfficeMockObject({
    host: "outlook",
    context: {
      mailbox: {
        userProfile: { emailAddress: sender },
        item: {
          to: recipients(to),
          cc: recipients(cc),
          bcc: recipients([]),
          saveAsync(callback) {
            calls.save += 1;
            save().then((id) => callback(succeeded(ewsId(id))), (error) => callback({ status: "failed", error }));
          },
          delayDeliveryTime: {
            setAsync(date, callback) {
              calls.delayDeliveryTime = date;
              callback(succeeded());
            },
          },
        },
        convertToRestId(itemId, restVersion) {
          if (restVersion !== "v2.0") {
            throw new Error(`unexpected REST version ${restVersion}`);
          }

          return itemId.replace(/\//g, "-").replace(/\+/g, "_");
        },
      },
      requirements: {
        isSetSupported(name, version) {
          return name === "Mailbox" && Number.parseFloat(version) <= Number.parseFloat(mailboxVersion);
        },
      },
    },
    MailboxEnums: { RestVersion: { v1_0: "v1.0", v2_0: "v2.0", Beta: "beta" } },
  });
  return { office, calls };
}

/** A launch event: resolves with what the handler passed to event.completed. */
export function launchEvent() {
  let completed;
  const done = new Promise((resolve) => { completed = resolve; });
  return { event: { completed: (options) => completed(options ?? {}) }, done };
}

/** OfficeRuntime.storage's shape, in memory. */
export function memoryStorage() {
  const values = new Map();
  return {
    values,
    getItem: async (key) => values.get(key) ?? null,
    setItem: async (key, value) => { values.set(key, value); },
    removeItem: async (key) => { values.delete(key); },
  };
}
