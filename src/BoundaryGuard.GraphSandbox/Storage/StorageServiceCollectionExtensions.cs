namespace BoundaryGuard.GraphSandbox.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddSandboxStorage(this IServiceCollection services) =>
        services.AddSingleton<SandboxStore>();

    /// <summary>Creates (or loads) the state at start-up, so a bad data file fails the start instead of the first request.</summary>
    public static WebApplication UseSandboxStorage(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<SandboxStore>();
        return app;
    }
}
