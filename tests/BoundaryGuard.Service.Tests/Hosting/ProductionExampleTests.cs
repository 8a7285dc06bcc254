using BoundaryGuard.Service.Hosting;
using BoundaryGuard.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace BoundaryGuard.Service.Tests.Hosting;

/// <summary>
/// appsettings.Production.example.json, which IT copies, is complete: with the shipped appsettings.json below it and its
/// placeholder paths pointed at real files, the service's own start-up check finds nothing missing or contradictory.
/// </summary>
public sealed class ProductionExampleTests
{
    private static readonly string Service = Path.Combine(CliRunner.RepositoryRoot, "src", "BoundaryGuard.Service");

    [Test]
    public void Problems_TheExampleAsShipped_OnlyItsPlaceholderPolicyFolderIsMissing()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Service, "appsettings.json"))
            .AddJsonFile(Path.Combine(Service, "appsettings.Production.example.json"))
            .Build();

        var problems = ServiceSettings.Problems(configuration, new HostingEnvironment { EnvironmentName = "Production" });

        Assert.That(problems, Is.EqualTo(new[]
        {
            "Policies:Folder must be a folder holding departments.json and the department policies; /etc/boundaryguard/policies has none.",
        }));
    }

    [Test]
    public void Problems_TheExampleWithARealPolicyFolder_None()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Service, "appsettings.json"))
            .AddJsonFile(Path.Combine(Service, "appsettings.Production.example.json"))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Policies:Folder"] = Path.Combine(AppContext.BaseDirectory, "policies") })
            .Build();

        Assert.That(ServiceSettings.Problems(configuration, new HostingEnvironment { EnvironmentName = "Production" }), Is.Empty);
    }
}
