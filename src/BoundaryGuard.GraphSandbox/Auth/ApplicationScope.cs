using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;
using BoundaryGuard.GraphSandbox.Users;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.GraphSandbox.Auth;

/// <summary>
/// Exchange Online's RBAC for Applications (<see cref="SandboxOptions.MailboxScope"/>): a mailbox outside the
/// application's management scope is refused, whatever permission the token carries.
/// </summary>
internal static class ApplicationScope
{
    /// <summary>
    /// Refuses a request for the data of a directory user outside a non-empty scope with 403 ErrorAccessDenied. The
    /// user itself (<c>/v1.0/users/{user}</c>) is directory data and stays readable; an unknown user is left to the
    /// endpoint's 404.
    /// </summary>
    public static IApplicationBuilder UseApplicationScope(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var scope = context.RequestServices.GetRequiredService<IOptions<SandboxOptions>>().Value.MailboxScope;
            if (scope.Count == 0 || context.GetRouteValue("user") is not string user || !IsMailboxData(context.Request.Path))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var record = context.RequestServices.GetRequiredService<SandboxStore>().Read(state => UserLookup.Find(state, user));
            if (record is null || scope.Any(entry => Names(record, entry)))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            // learn.microsoft.com/graph/auth-limit-mailbox-access (RBAC for Applications in Exchange Online): the
            // documented answer for a mailbox the app may not reach (corpus error-403-ErrorAccessDenied-applicationaccesspolicy).
            await GraphErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "ErrorAccessDenied", "Access to OData is disabled.")
                .ConfigureAwait(false);
        });

    // /v1.0/users/{user}/... : anything below the user is its mailbox.
    private static bool IsMailboxData(PathString path) =>
        path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).Length > 3;

    private static bool Names(UserRecord user, string entry) =>
        string.Equals(user.Id, entry, StringComparison.OrdinalIgnoreCase)
        || string.Equals(user.UserPrincipalName, entry, StringComparison.OrdinalIgnoreCase)
        || string.Equals(user.Mail, entry, StringComparison.OrdinalIgnoreCase);
}
