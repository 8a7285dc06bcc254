using BoundaryGuard.Graph.Telemetry;
using Polly;

namespace BoundaryGuard.Graph.Resilience;

/// <summary>
/// Runs every Graph HTTP request through the one resilience pipeline, and counts each request by its final outcome
/// and each attempt Graph answered 429 (the pipeline counts its retries itself).
/// </summary>
internal sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline, GraphMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A retried attempt sends the same body again, so it must come from a buffer, not a consumed stream.
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(GraphResilience.Request, request);
        HttpResponseMessage? response = null;
        Exception? error = null;
        try
        {
            response = await pipeline.ExecuteAsync(
                static (ctx, state) => state.Handler.AttemptAsync(state.Request, ctx.CancellationToken),
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
            return response;
        }
        catch (Exception e)
        {
            error = e;
            throw;
        }
        finally
        {
            metrics.Requested(request.Method, GraphMetrics.Classify(response, error));
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
        {
            metrics.Throttled(request.Method);
        }

        return response;
    }
}
