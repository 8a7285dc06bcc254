using BoundaryGuard.Service.Hosting;

namespace BoundaryGuard.Service.Calendars;

/// <summary>
/// Serves IT's admin pages at <c>/admin/</c> (built from Pages/src/admin): calendars, their year view and ICS import,
/// departments and the audit log, over the admin API. The files are anonymous like every site of pages
/// (<see cref="PageFolders"/>); the API behind them answers the role <c>it-admin</c> only.
/// </summary>
public static class AdminPages
{
    public const string PathPrefix = "/admin";

    public static IServiceCollection AddAdminPages(this IServiceCollection services)
    {
        services.AddOptions<AdminPagesOptions>().BindConfiguration(AdminPagesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static IEndpointRouteBuilder MapAdminPages(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPageFolder<AdminPagesOptions>(PathPrefix, options => options.Folder);
}
