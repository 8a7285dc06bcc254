using System.ComponentModel.DataAnnotations;
using BoundaryGuard.Graph;
using BoundaryGuard.Service.Addin;
using BoundaryGuard.Service.Auth;
using BoundaryGuard.Service.Policies;
using BoundaryGuard.Service.Scheduling;

namespace BoundaryGuard.Service.Hosting;

/// <summary>
/// What the service needs before it may start, checked before anything is registered: a complete Graph connection,
/// a complete bearer-token configuration, and nothing that belongs to the demo host. Outside Development and Testing
/// (any other environment name counts as production) it also needs a database, the add-in's address, an Entra token
/// authority, and shared sign-in keys when nodes are clustered. One line per problem, each naming its setting.
/// <c>boundaryguard doctor</c> runs the same check.
/// </summary>
public static class ServiceSettings
{
    private const string Bearer = "Authentication:Schemes:Bearer";

    /// <summary>Sections only the demo host reads; in the service they would do nothing, silently.</summary>
    private static readonly string[] DemoSections = ["Demo", "Sandbox"];

    public static IReadOnlyList<string> Problems(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var production = !environment.IsDevelopment() && !environment.IsEnvironment("Testing");
        var problems = new List<string>();
        foreach (var section in DemoSections)
        {
            problems.AddRange(Leaves(configuration.GetSection(section)).Select(key =>
                $"{key} is a setting of the demo host (dotnet run --project src/BoundaryGuard.Demo); the service has no demo clock or sandbox: remove it."));
        }

        problems.AddRange(GraphProblems(configuration, environment, production));
        problems.AddRange(BearerProblems(configuration.GetSection(Bearer), production));
        problems.AddRange(ProxyHeaders.Problems(configuration, production));

        var scheduling = configuration.GetSection(SchedulingOptions.Section);
        if (production && string.IsNullOrWhiteSpace(scheduling[nameof(SchedulingOptions.ConnectionString)]))
        {
            problems.Add("Scheduling:ConnectionString is required: where held mail is kept (a SQLite file for one node, PostgreSQL for two or more).");
        }

        var options = scheduling.Get<SchedulingOptions>() ?? new SchedulingOptions();
        if (options.IsClustered && string.IsNullOrWhiteSpace(configuration[AuthServiceCollectionExtensions.KeysFolderSetting]))
        {
            problems.Add($"{AuthServiceCollectionExtensions.KeysFolderSetting} is required when nodes are clustered: a sign-in made on one node must open on the others.");
        }

        if (production && string.IsNullOrWhiteSpace(configuration[$"{AddinOptions.Section}:{nameof(AddinOptions.BaseUrl)}"]))
        {
            problems.Add("Addin:BaseUrl is required: the https address Outlook loads the add-in from (its manifests and the allowed origin of the API).");
        }

        if (production && configuration["AllowedHosts"] is null or "" or "*")
        {
            problems.Add("AllowedHosts is required: the host name(s) the service answers for, e.g. boundaryguard.med.example.edu (not \"*\").");
        }

        var policies = configuration.GetSection(PolicyCatalogOptions.Section);
        var folder = Path.GetFullPath(policies.Get<PolicyCatalogOptions>()?.Folder ?? new PolicyCatalogOptions().Folder, AppContext.BaseDirectory);
        if (production && string.IsNullOrWhiteSpace(policies[nameof(PolicyCatalogOptions.Folder)]))
        {
            problems.Add("Policies:Folder is required: the folder where IT keeps departments.json and the department policies.");
        }
        else if (!File.Exists(Path.Combine(folder, "departments.json")))
        {
            problems.Add($"Policies:Folder must be a folder holding departments.json and the department policies; {folder} has none.");
        }

        return problems;
    }

    /// <summary>Writes the refusal: one line per problem, then what to do.</summary>
    public static void Refuse(IReadOnlyList<string> problems, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine($"BoundaryGuard did not start: {problems.Count} setting{(problems.Count == 1 ? " is" : "s are")} missing or contradictory.");
        foreach (var problem in problems)
        {
            error.WriteLine($"  - {problem}");
        }

        error.WriteLine("Every setting is shown in appsettings.Production.example.json (docs/deployment.md); `boundaryguard doctor` checks a deployment. To try BoundaryGuard without Microsoft 365, run the demo: dotnet run --project src/BoundaryGuard.Demo");
    }

    private static List<string> GraphProblems(IConfiguration configuration, IHostEnvironment environment, bool production)
    {
        var section = configuration.GetSection(GraphOptions.Section);
        var missing = new[] { nameof(GraphOptions.Credential), nameof(GraphOptions.TenantId), nameof(GraphOptions.ClientId) }
            .Where(key => string.IsNullOrWhiteSpace(section[key]))
            .Where(key => !(key != nameof(GraphOptions.Credential) && section[nameof(GraphOptions.Credential)] == nameof(GraphCredentialKind.ManagedIdentity)))
            .Select(key => $"Graph:{key} is required: how the service reaches Microsoft Graph (docs/microsoft-365.md).")
            .ToList();
        if (missing.Count > 0)
        {
            return missing;
        }

        GraphOptions options;
        try
        {
            options = section.Get<GraphOptions>() ?? new GraphOptions();
        }
        catch (InvalidOperationException ex)
        {
            return [$"Graph: {ex.InnerException?.Message ?? ex.Message}"];
        }

        var problems = new List<string>();
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        problems.AddRange(results.Select(r => $"Graph:{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"));
        var validation = new GraphOptionsValidator(environment).Validate(null, options);
        if (validation.Failed)
        {
            problems.AddRange(validation.Failures);
        }

        if (options.Credential == GraphCredentialKind.Sandbox && production)
        {
            problems.Add("Graph:Credential Sandbox is for development and tests; in production use ClientCertificate, ManagedIdentity or WorkloadIdentity.");
        }

        return problems;
    }

    private static IEnumerable<string> BearerProblems(IConfigurationSection bearer, bool production)
    {
        var issuers = Values(bearer, "ValidIssuer", "ValidIssuers")
            .Concat(bearer.GetSection("SigningKeys").GetChildren().Select(key => key["Issuer"]).OfType<string>());
        if (Values(bearer, "ValidAudience", "ValidAudiences").Count == 0)
        {
            yield return $"{Bearer}:ValidAudiences is required: the API's application id URI or client id, as the add-in's tokens carry it in aud.";
        }

        var authority = bearer["Authority"];
        var signingKeys = bearer.GetSection("SigningKeys").Exists();
        if (string.IsNullOrWhiteSpace(authority) && !signingKeys)
        {
            yield return $"{Bearer}:Authority is required: the Entra ID tenant that issues the add-in's tokens, https://login.microsoftonline.com/<tenant id>/v2.0.";
        }
        else if (production && string.IsNullOrWhiteSpace(authority))
        {
            yield return $"{Bearer}:Authority is required in production: tokens signed with a key from the settings ({Bearer}:SigningKeys) are for development and tests.";
        }
        else if (authority is not null && !authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && production)
        {
            yield return $"{Bearer}:Authority must be https.";
        }

        if (issuers.Contains(DemoIdentity.Issuer, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"{Bearer}: the issuer '{DemoIdentity.Issuer}' is the demo host's, and the service never accepts its tokens: remove it.";
        }
    }

    private static List<string> Values(IConfigurationSection section, string single, string many) =>
        [.. section.GetSection(many).GetChildren().Select(c => c.Value).Append(section[single]).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!)];

    private static IEnumerable<string> Leaves(IConfigurationSection section) =>
        section.Value is not null ? [section.Path] : section.GetChildren().SelectMany(Leaves);
}
