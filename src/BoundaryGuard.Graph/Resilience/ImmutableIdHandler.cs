namespace BoundaryGuard.Graph.Resilience;

/// <summary>
/// <c>Prefer: IdType="ImmutableId"</c> on every request: it applies only to the request that carries it, and a
/// message id must survive the move from Drafts to Sent Items for a send to be confirmed.
/// </summary>
internal sealed class ImmutableIdHandler : DelegatingHandler
{
    public const string Preference = "IdType=\"ImmutableId\"";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.TryGetValues("Prefer", out var values) || !values.Any(v => v.Contains("ImmutableId", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation("Prefer", Preference);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
