import { createNestablePublicClientApplication, InteractionRequiredAuthError } from "@azure/msal-browser";

/**
 * Access tokens for the BoundaryGuard API through Nested App Authentication: Outlook itself brokers the token for
 * the signed-in user, so the add-in needs no sign-in page and no legacy Exchange tokens. Launch events may only ask
 * silently (they cannot show UI); the task pane may fall back to a popup when consent or a sign-in is needed.
 */
export function createTokenSource({ clientId, authority, apiScope }, { interactive }) {
  let application;
  return async function getToken() {
    application ??= createNestablePublicClientApplication({ auth: { clientId, authority } }).catch((error) => {
      application = undefined; // try again on the next call: the host may just not have been ready
      throw error;
    });
    const pca = await application;
    const request = { scopes: [apiScope] };
    try {
      return (await pca.acquireTokenSilent(request)).accessToken;
    } catch (error) {
      if (interactive && error instanceof InteractionRequiredAuthError) {
        return (await pca.acquireTokenPopup(request)).accessToken;
      }

      throw error;
    }
  };
}
