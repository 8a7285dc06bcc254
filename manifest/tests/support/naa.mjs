// Outlook's side of Nested App Authentication: the `window.nestedAppAuthBridge` through which MSAL.js asks the host
// for tokens. It answers GetInitContext and GetToken* with the user's account and `accessToken` (mode "ok"), refuses
// (mode "fail", as when consent is missing), or never answers (mode "hang"), and keeps the token requests in
// window.tokenRequests. Self-contained, so it runs as a Playwright init script or inside a runtime profile's context.
export function installBridge({ accessToken, username, mode = "ok" }) {
  const unsigned = (claims) => `${btoa(JSON.stringify({ alg: "none" }))}.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.`;
  const account = {
    homeAccountId: "00000000-0000-0000-0000-0000000000aa.72f988bf-86f1-41af-91ab-2d7cd011db47",
    environment: "login.microsoftonline.com",
    tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    localAccountId: "00000000-0000-0000-0000-0000000000aa",
    username,
  };
  const listeners = [];
  window.tokenRequests = [];
  window.nestedAppAuthBridge = {
    addEventListener: (_type, listener) => listeners.push(listener),
    removeEventListener: () => {},
    postMessage(text) {
      const request = JSON.parse(text);
      const response = { messageType: "NestedAppAuthResponse", requestId: request.requestId, success: true };
      if (request.method === "GetInitContext") {
        response.initContext = { sdkName: "outlook-stand-in", sdkVersion: "1.0", capabilities: { queryAccount: false } };
      } else if (request.method.startsWith("GetToken")) {
        window.tokenRequests.push(request.tokenParams);
        if (mode === "hang") {
          return;
        }

        if (mode === "fail") {
          Object.assign(response, { success: false, error: { status: "PERSISTENT_ERROR", code: "consent_required", description: "AADSTS65001" } });
        } else {
          const now = Math.floor(Date.now() / 1000);
          response.token = {
            access_token: accessToken,
            expires_in: 3600,
            scope: request.tokenParams.scope,
            id_token: unsigned({ oid: account.localAccountId, tid: account.tenantId, preferred_username: username, name: "Marcus Webb", aud: request.tokenParams.clientId, iat: now, exp: now + 3600 }),
          };
          response.account = account;
        }
      } else {
        Object.assign(response, { success: false, error: { status: "PERSISTENT_ERROR", code: "unsupported", description: request.method } });
      }

      setTimeout(() => listeners.forEach((listener) => listener(JSON.stringify(response))));
    },
  };
}
