using System.Globalization;
using BoundaryGuard.Service.Hosting;

namespace BoundaryGuard.Demo;

/// <summary>The demo's lines in the service's start-up banner: its sandbox, its sign-in, its clock and a dev token.</summary>
internal sealed class DemoBanner(EmbeddedGraphSandbox sandbox, TimeProvider clock) : IStartupBannerLines
{
    internal const string DevTokenCommand =
        "dotnet user-jwts create --project src/BoundaryGuard.Demo --issuer " + Service.Auth.DemoIdentity.Issuer +
        " --name <a demo person's address> --role faculty (docs/try-it.md)";

    public IEnumerable<(string Label, string Value)> Lines()
    {
        yield return ("Graph sandbox", $"{sandbox.Sandbox.BaseUrl} (embedded; state: {sandbox.DataFile ?? "in memory"})");
        yield return ("Demo sign-in", "on the scorecard's sign-in page, pick one of the seeded people");
        if (clock is SimulatedTimeProvider demo)
        {
            yield return ("Demo clock", string.Create(
                CultureInfo.InvariantCulture, $"started at {demo.StartAt:O}, running {demo.Speed:0.###}x real time"));
        }

        yield return ("Dev token", DevTokenCommand);
    }
}
