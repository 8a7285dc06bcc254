using Azure.Core;
using BoundaryGuard.Graph.Credentials;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace BoundaryGuard.Graph.Health;

/// <summary>
/// Whether the service can reach Microsoft Graph now: the resilience pipeline's circuit breaker is not open, and the
/// configured credential gets an access token. No Graph request is made, so the check costs no mailbox's request
/// budget. The description never carries a token, a secret or Graph's own error text.
/// </summary>
public sealed class GraphHealthCheck : IHealthCheck
{
    private readonly CircuitBreakerStateProvider circuit;
    private readonly TokenCredential credential;

    internal GraphHealthCheck(CircuitBreakerStateProvider circuit, TokenCredential credential)
    {
        this.circuit = circuit;
        this.credential = credential;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (circuit.CircuitState is CircuitState.Open or CircuitState.Isolated)
        {
            return HealthCheckResult.Unhealthy("Graph failed repeatedly; calls are paused while the circuit is open.");
        }

        try
        {
            await credential.GetTokenAsync(new TokenRequestContext(TokenCredentialAccessTokenProvider.Scopes), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Our own exception's message is safe to show; anyone else's (Azure.Identity's) may name the tenant and
            // app, so only its type goes into the description. The exception itself reaches the logs.
            var reason = ex is GraphGatewayException ours ? ours.Message : ex.GetType().Name;
            return HealthCheckResult.Unhealthy($"No access token for Graph: {reason}.", ex);
        }

        return circuit.CircuitState == CircuitState.HalfOpen
            ? HealthCheckResult.Degraded("Graph is being tried again after repeated failures (circuit half-open).")
            : HealthCheckResult.Healthy("Access token acquired; circuit closed.");
    }
}
