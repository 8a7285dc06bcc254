// The launch-event runtime: classic Outlook on Windows loads this file alone (manifest Override type="javascript"),
// Outlook on the web, new Outlook and Mac load it through commands.html. It is bundled with MSAL.js (scripts/build.mjs).
import { createTokenSource } from "./auth.js";
import { ServiceClient } from "./api.js";
import { config } from "./config.js";
import { Deferrals } from "./deferrals.js";
import { PolicyCache } from "./policy-cache.js";
import { launchEventHandlers } from "./send.js";
import { runtimeStorage } from "./storage.js";

const storage = runtimeStorage();
const client = new ServiceClient({ baseUrl: config.baseUrl, getToken: createTokenSource(config, { interactive: false }) });
const handlers = launchEventHandlers({
  office: Office,
  cache: new PolicyCache({ storage, client }),
  client,
  deferrals: new Deferrals({ storage, client }),
  storage,
});

for (const [name, handler] of Object.entries(handlers)) {
  Office.actions.associate(name, handler);
}
