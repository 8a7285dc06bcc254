// The add-in's settings. These are placeholders: the service fills in its Addin:* settings (its own base URL, the
// add-in's Microsoft Entra app registration and the API's scope) when it serves these files, as it does for the
// manifests, so one build serves any institution.
export const config = {
  baseUrl: "https://boundaryguard.invalid",
  clientId: "boundaryguard-addin-client-id",
  authority: "https://login.microsoftonline.com/organizations",
  apiScope: "boundaryguard-api-scope",
};
