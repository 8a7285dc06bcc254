namespace BoundaryGuard.Service.Policies;

public static class PoliciesServiceCollectionExtensions
{
    /// <summary>Department policies from <see cref="PolicyCatalogOptions.Folder"/>, loaded at start, reloaded on change.</summary>
    public static IServiceCollection AddBoundaryPolicies(this IServiceCollection services)
    {
        services.AddOptions<PolicyCatalogOptions>().BindConfiguration(PolicyCatalogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PolicyCatalog>();
        return services;
    }
}
