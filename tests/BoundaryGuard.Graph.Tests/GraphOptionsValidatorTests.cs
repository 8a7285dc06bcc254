using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace BoundaryGuard.Graph.Tests;

public class GraphOptionsValidatorTests
{
    private static GraphOptions Options(GraphCredentialKind kind, string baseUrl = "https://graph.microsoft.com/v1.0") => new()
    {
        Credential = kind,
        BaseUrl = new Uri(baseUrl),
        TenantId = "contoso",
        ClientId = "app",
        ClientSecret = "secret",
        CertificatePath = "/etc/boundaryguard/graph.pfx",
        TokenFilePath = "/var/run/secrets/azure/tokens/azure-identity-token",
    };

    [TestCase(GraphCredentialKind.ClientCertificate, "Production", "https://graph.microsoft.com/v1.0", true)]
    [TestCase(GraphCredentialKind.ManagedIdentity, "Production", "https://graph.microsoft.com/v1.0", true)]
    [TestCase(GraphCredentialKind.WorkloadIdentity, "Production", "https://graph.microsoft.com/v1.0", true)]
    [TestCase(GraphCredentialKind.ClientSecret, "Development", "https://graph.microsoft.com/v1.0", true)]
    [TestCase(GraphCredentialKind.ClientSecret, "Production", "https://graph.microsoft.com/v1.0", false)]
    [TestCase(GraphCredentialKind.Sandbox, "Production", "http://127.0.0.1:5190/v1.0", true)]
    [TestCase(GraphCredentialKind.Sandbox, "Development", "https://graph.microsoft.com/v1.0", false)]
    public void Validate_CredentialKindInEnvironment_AllowsOnlyWhatIsSafe(GraphCredentialKind kind, string environment, string baseUrl, bool valid)
    {
        var validator = new GraphOptionsValidator(new HostingEnvironment { EnvironmentName = environment });

        var result = validator.Validate(null, Options(kind, baseUrl));

        Assert.That(result.Succeeded, Is.EqualTo(valid), result.FailureMessage);
    }

    [Test]
    public void Validate_CertificateWithoutPath_NamesTheMissingSetting()
    {
        var options = Options(GraphCredentialKind.ClientCertificate);
        options.CertificatePath = null;

        var result = new GraphOptionsValidator(new HostingEnvironment { EnvironmentName = Environments.Production }).Validate(null, options);

        Assert.That(result.Failures, Is.EquivalentTo(new[] { "Graph:CertificatePath is required for the ClientCertificate credential." }));
    }
}
