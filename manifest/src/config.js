// The add-in's settings. These are placeholders: the service fills in its Addin:* settings (its own base URL, the
// API's address, the add-in's Microsoft Entra app registration, the API's scope and the Smart Alerts send mode) and the
// institution's default policy when it serves these files, as it does for the manifests, so one build serves any
// institution.
export const config = {
  // The add-in's own origin (where its files are served).
  baseUrl: "https://boundaryguard.invalid",
  // Where the API is (/api/v1/...): the add-in's origin unless the institution serves the API from another one.
  apiBaseUrl: "https://boundaryguard-api.invalid",
  clientId: "boundaryguard-addin-client-id",
  authority: "https://login.microsoftonline.com/organizations",
  apiScope: "boundaryguard-api-scope",
  // promptUser, softBlock or block (Addin:SendMode).
  sendMode: "boundaryguard-send-mode",
  // The institution's default policy, in the shape of POST /api/v1/policy/me, for a send judged before the sender's own
  // policy has been fetched. Unfilled it stays this string, which the add-in takes as no policy.
  defaultPolicy: "boundaryguard-default-policy",
};
