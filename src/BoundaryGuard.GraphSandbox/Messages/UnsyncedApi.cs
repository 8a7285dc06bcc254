using System.Text.Json;
using BoundaryGuard.GraphSandbox.Storage;

namespace BoundaryGuard.GraphSandbox.Messages;

/// <summary>
/// <c>POST /sandbox/unsynced</c> <c>{"messageId": "...", "hiddenFor": "00:00:30"}</c>: the message becomes a draft that
/// Outlook saved in cached mode and has not synced yet. For <c>hiddenFor</c> (on the sandbox's clock) Graph does not
/// know its id, then it appears under the same id with everything it had.
/// </summary>
/// <remarks>
/// learn.microsoft.com/javascript/api/outlook/office.messagecompose#outlook-office-messagecompose-saveasync-member(1):
/// in cached mode "it may take some time before the item is actually synced to the server. Until the item is synced,
/// using the item ID will return an error." Delta rounds are not affected: the add-in's drafts are read by id.
/// </remarks>
internal static class UnsyncedApi
{
    private static readonly JsonSerializerOptions AdminJson = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public static IEndpointRouteBuilder MapSandboxUnsynced(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/sandbox/unsynced", async (HttpContext context, SandboxStore store, TimeProvider clock) =>
        {
            UnsyncedRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<UnsyncedRequest>(context.Request.Body, AdminJson, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid JSON.", detail: ex.Message);
            }

            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(request?.MessageId))
            {
                errors["messageId"] = ["The id of the message to hide is required."];
            }

            if (request?.HiddenFor is not { } hiddenFor || hiddenFor <= TimeSpan.Zero || hiddenFor > Longest)
            {
                errors["hiddenFor"] = ["hiddenFor must be between 00:00:00 (excluded) and 1.00:00:00."];
            }

            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors);
            }

            var syncedAt = store.Write(state =>
            {
                var message = state.Mailboxes.Values.Select(m => m.Messages.GetValueOrDefault(request!.MessageId!)).FirstOrDefault(m => m is not null);
                if (message is null)
                {
                    return (DateTimeOffset?)null;
                }

                message.SyncedAt = clock.GetUtcNow() + request!.HiddenFor!.Value;
                return message.SyncedAt;
            });
            return syncedAt is { } at
                ? Results.Json(new { messageId = request!.MessageId, syncedAt = at }, AdminJson)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No message has that id.");
        });
        return endpoints;
    }

    private sealed record UnsyncedRequest(string? MessageId, TimeSpan? HiddenFor);
}
