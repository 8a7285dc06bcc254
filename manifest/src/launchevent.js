// The launch-event runtime: classic Outlook on Windows loads this file alone in its JavaScript-only runtime (manifest
// Override type="javascript"; imports aren't supported there, so scripts/build.mjs bundles it into one file), Outlook on
// the web, new Outlook and Mac load it through commands.html (learn.microsoft.com/office/dev/add-ins/develop/event-based-activation).
import { ServiceClient } from "./api.js";
import { createTokenSource } from "./auth.js";
import { config } from "./config.js";
import { Deferrals } from "./deferrals.js";
import { PolicyCache } from "./policy-cache.js";
import { launchEventHandlers } from "./send.js";
import { durableStorage } from "./storage.js";

const storage = durableStorage();
const getToken = createTokenSource(config, {
  office: Office,
  storage,
  interactive: false,
  mailbox: () => Office.context?.mailbox?.userProfile?.emailAddress,
});
const client = new ServiceClient({ baseUrl: config.apiBaseUrl ?? config.baseUrl, getToken });
const handlers = launchEventHandlers({
  office: Office,
  cache: new PolicyCache({ storage, client, defaultPolicy: config.defaultPolicy }),
  client,
  deferrals: new Deferrals({ storage, client }),
  storage,
  getToken,
  sendMode: config.sendMode,
});

// The browser runtimes initialise Office.js through onReady; classic Outlook on Windows runs the handler without
// running onReady, so nothing below depends on it (learn.microsoft.com/office/dev/add-ins/develop/event-based-activation).
Office.onReady?.(() => {});
for (const [name, handler] of Object.entries(handlers)) {
  Office.actions.associate(name, handler);
}
