using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Tests.Holds;
using Microsoft.Extensions.DependencyInjection;

namespace BoundaryGuard.Service.Tests.Calendars;

/// <summary>
/// A service (by default on Friday 4 December 2026, 23:30 in New York), on SQLite or PostgreSQL, listening on a
/// loopback port when a test needs one, with a client signed in as IT (<see cref="It"/>): what the admin API tests
/// start from.
/// </summary>
public abstract class AdminApiFixture(SchedulingProvider provider, DateTimeOffset? now = null, bool listen = false)
{
    protected const string It = "it@med.example.edu";
    protected static readonly DateTimeOffset FridayNight = new(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5));

    private protected HoldsWorld World { get; private set; } = null!;

    private protected HoldsApp App { get; private set; } = null!;

    protected HttpClient Admin { get; private set; } = null!;

    [SetUp]
    public async Task StartAsync()
    {
        World = await HoldsWorld.StartAsync(now ?? FridayNight, provider);
        App = new HoldsApp(World, listen: listen);
        Admin = App.ClientFor(It, "it-admin");
    }

    /// <summary>Restarts the service on the same world with <paramref name="settings"/> over the world's own (and test services).</summary>
    private protected async Task RestartAsync(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        Admin.Dispose();
        await App.DisposeAsync();
        App = new HoldsApp(World, settings, listen, services);
        Admin = App.ClientFor(It, "it-admin");
    }

    [TearDown]
    public async Task StopAsync()
    {
        // All null when SetUp ignored the PostgreSQL leg.
        Admin?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (World is not null)
        {
            await World.DisposeAsync();
        }
    }
}
