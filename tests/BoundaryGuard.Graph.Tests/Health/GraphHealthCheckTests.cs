using Azure.Core;
using BoundaryGuard.Graph.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moq;
using Polly;
using Polly.CircuitBreaker;

namespace BoundaryGuard.Graph.Tests.Health;

public sealed class GraphHealthCheckTests
{
    // NUnit runs every test on one fixture instance: each test gets its own circuit (a state provider serves one).
    private CircuitBreakerStateProvider circuit = null!;
    private CircuitBreakerManualControl control = null!;
    private Mock<TokenCredential> credential = null!;

    [SetUp]
    public void SetUp()
    {
        circuit = new CircuitBreakerStateProvider();
        control = new CircuitBreakerManualControl();
        credential = new Mock<TokenCredential>(MockBehavior.Strict);
        new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions { StateProvider = circuit, ManualControl = control })
            .Build();
    }

    [Test]
    public async Task CheckHealthAsync_CircuitClosedAndTokenGranted_Healthy()
    {
        credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("token", DateTimeOffset.MaxValue));

        var result = await Check();

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public async Task CheckHealthAsync_CircuitOpen_UnhealthyWithoutAskingForAToken()
    {
        await control.IsolateAsync();

        var result = await Check();

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        credential.VerifyNoOtherCalls();
    }

    [Test]
    public async Task CheckHealthAsync_TokenRefusedWithDetails_UnhealthyNamingOnlyTheExceptionType()
    {
        credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("tenant 1234 client abcd secret s3cr3t"));

        var result = await Check();

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Does.Contain(nameof(InvalidOperationException)).And.Not.Contain("s3cr3t"));
    }

    private Task<HealthCheckResult> Check() =>
        new GraphHealthCheck(circuit, credential.Object).CheckHealthAsync(new HealthCheckContext());
}
