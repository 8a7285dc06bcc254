using BoundaryGuard.Graph;
using BoundaryGuard.Service.Addin;
using BoundaryGuard.Service.Auth;
using BoundaryGuard.Service.Calendars;
using BoundaryGuard.Service.Health;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Policies;
using BoundaryGuard.Service.RateLimits;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Scorecards;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BoundaryGuard.Service.Hosting;

/// <summary>
/// The service as one composition, so that a host can run it: the service's own Program.cs, and the demo's
/// (src/BoundaryGuard.Demo), which registers its clock, its sign-in and its banner lines first. Those are the only
/// ways in: a <see cref="TimeProvider"/> registered before <see cref="AddBoundaryGuard"/> is the service's clock
/// (else the system's), each <see cref="SignInMethod"/> is mapped under <c>/auth</c>, and each
/// <see cref="IStartupBannerLines"/> adds lines to the start-up banner.
/// </summary>
public static class BoundaryGuardServiceExtensions
{
    public static WebApplicationBuilder AddBoundaryGuard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // First: OpenTelemetry starts in a hosted service, and a release that fires as the scheduler starts (after an
        // outage) is counted only if its meters are already listened to.
        builder.AddServiceTelemetry();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProxyHeaders(builder.Configuration);
        builder.Services.AddGraphMailbox();
        builder.Services.AddBoundaryPolicies();
        builder.AddHoldScheduling();
        builder.Services.AddHolds();
        builder.Services.AddCalendars();
        builder.Services.AddScorecards();
        builder.AddServiceAuth();
        builder.Services.AddCallerRateLimits();
        builder.Services.AddServiceHealth();
        builder.Services.AddAddinFiles();
        builder.Services.AddAddinCors();
        builder.Services.AddScorecardPages();
        builder.Services.AddAdminPages();
        builder.Services.AddOpenApi();
        builder.Services.AddStartupBanner();
        return builder;
    }

    public static WebApplication UseBoundaryGuard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseProxyHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAddinCompression();
        app.UseAddinCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapServiceHealth();
        // The API's map is for those who may call it: any signed-in caller (token or cookie), never anonymous.
        app.MapOpenApi().RequireAuthorization();
        app.MapHoldsApi();
        app.MapScorecardsApi();
        app.MapCalendarsApi();
        app.MapAddinFiles();
        app.MapSignIn();
        app.MapScorecardPages();
        app.MapAdminPages();
        return app;
    }
}
