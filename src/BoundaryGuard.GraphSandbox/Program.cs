using BoundaryGuard.GraphSandbox.Auth;
using BoundaryGuard.GraphSandbox.Calendars;
using BoundaryGuard.GraphSandbox.Faults;
using BoundaryGuard.GraphSandbox.Folders;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Limits;
using BoundaryGuard.GraphSandbox.Messages;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Reporting;
using BoundaryGuard.GraphSandbox.Storage;
using BoundaryGuard.GraphSandbox.Users;

namespace BoundaryGuard.GraphSandbox;

/// <summary>
/// The Graph sandbox's table of contents. The two methods are shared with <see cref="SandboxServer"/>, so the sandbox a
/// test starts in-process is the one <c>dotnet run</c> starts.
/// </summary>
/// <remarks>
/// In a namespace, not top-level statements: the service hosts the sandbox in-process, and two global <c>Program</c>
/// types in one test project would be ambiguous for <c>WebApplicationFactory&lt;Program&gt;</c>.
/// </remarks>
public partial class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        AddSandboxServices(builder, options: null, clock: null);
        var app = builder.Build();
        UseSandbox(app);
        await app.RunAsync().ConfigureAwait(false);
    }

    internal static void AddSandboxServices(WebApplicationBuilder builder, SandboxOptions? options, TimeProvider? clock)
    {
        builder.Logging.AddSandboxLogFilters();
        builder.Services
            .AddSandboxOptions(options)
            .AddSandboxClock(clock)
            .AddSandboxStorage()
            .AddSandboxAuth()
            .AddSandboxLimits()
            .AddSandboxFaults()
            .AddSandboxReport();
    }

    internal static void UseSandbox(WebApplication app)
    {
        app.UseDateHeader();
        app.UseSandboxStorage();
        app.UseGraphErrors();
        app.UseRouting();

        // Graph's front door, in the order Graph applies it: count, authenticate, the app's mailbox scope, throttle,
        // then (faults) misbehave.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/v1.0"), graph => graph
            .UseSandboxReportCounting()
            .UseGraphAuthentication()
            .UseApplicationScope()
            .UseMailboxLimits()
            .UseFaultInjection());

        app.MapSandboxAuth();
        app.MapUsers();
        app.MapMailboxSettings();
        app.MapMessages();
        app.MapMessageDelta();
        app.MapFolders();
        app.MapCalendars();
        app.MapGraphFallback();
        app.MapSandboxFaults();
        app.MapSandboxUnsynced();
        app.MapSandboxReport();
    }
}
