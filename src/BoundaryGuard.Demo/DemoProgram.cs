using BoundaryGuard.Service.Hosting;

namespace BoundaryGuard.Demo;

/// <summary>
/// The demo host (<c>dotnet run --project src/BoundaryGuard.Demo</c>): the service as it runs in production, inside a
/// host that adds the demo's parts through the service's named extension points: the clock (<c>Demo:StartAt</c>,
/// <c>Demo:ClockSpeed</c>), the embedded Graph sandbox (<c>Sandbox:*</c>), the history (<c>Demo:History</c>), the
/// pick-a-person sign-in and the banner's lines. It is the service's fail-closed check that it does not run: the demo
/// has no Microsoft 365 to be configured for.
/// </summary>
public sealed class DemoProgram
{
    private DemoProgram()
    {
    }

    public static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (DemoSandboxExtensions.RealGraphProblem(builder.Configuration) is { } problem)
        {
            Console.Error.WriteLine($"The BoundaryGuard demo did not start: {problem}");
            return 2;
        }

        builder.AddDemoClock();
        builder.AddDemoHistory();
        builder.AddEmbeddedSandbox();
        builder.Services.AddDemoSignIn();
        builder.Services.AddSingleton<IStartupBannerLines, DemoBanner>();
        builder.AddBoundaryGuard();

        var app = builder.Build();
        app.UseBoundaryGuard();
        app.Run();
        return 0;
    }
}
