using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;

namespace BoundaryGuard.GraphSandbox.Users;

/// <summary>A user in a path is an id or a UPN/mail address, matched case-insensitively, as Graph matches them.</summary>
internal static class UserLookup
{
    public static UserRecord? Find(SandboxState state, string key) =>
        state.Users.FirstOrDefault(u =>
            string.Equals(u.Id, key, StringComparison.OrdinalIgnoreCase)
            || string.Equals(u.UserPrincipalName, key, StringComparison.OrdinalIgnoreCase)
            || string.Equals(u.Mail, key, StringComparison.OrdinalIgnoreCase));

    public static UserRecord FindByAddress(SandboxState state, string address) =>
        state.Users.First(u => string.Equals(u.Mail, address, StringComparison.OrdinalIgnoreCase));

    /// <summary>The user's mailbox, or Graph's 404 <c>ErrorInvalidUser</c> for a user the directory does not have.</summary>
    public static (UserRecord User, MailboxRecord Mailbox) Mailbox(SandboxState state, string key)
    {
        var user = Find(state, key) ?? throw GraphException.InvalidUser(key);
        return state.Mailboxes.TryGetValue(user.Id, out var mailbox)
            ? (user, mailbox)
            : throw new GraphException(StatusCodes.Status404NotFound, "ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it.");
    }
}
