using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Calendars;

public static class CalendarsServiceCollectionExtensions
{
    /// <summary>What IT manages in the service: calendars, departments' policies, the audit log.</summary>
    public static IServiceCollection AddCalendars(this IServiceCollection services)
    {
        services.AddOptions<CalendarsOptions>().BindConfiguration(CalendarsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AdminStore>();
        services.AddSingleton<ManagedPolicies>();
        services.AddHostedService<ManagedPoliciesRefresher>();
        return services;
    }
}

public sealed class CalendarsOptions
{
    public const string Section = "Calendars";

    /// <summary>How often a node looks for changes another node made (a change made here is in force at once).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Loads the departments kept in the service before the service takes requests, then looks for changes every
/// <see cref="CalendarsOptions.RefreshInterval"/> of real time (a cluster's nodes share the database, not memory;
/// a demo clock running fast has nothing to do with that).
/// A <see cref="BackgroundService"/>, like the service's others, so that a stop after disposal is harmless: a test's
/// factory stops the host while the application's own <c>Run</c> stops and disposes it too.
/// </summary>
internal sealed partial class ManagedPoliciesRefresher(
    ManagedPolicies managed, IOptions<CalendarsOptions> options, ILogger<ManagedPoliciesRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await managed.RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await managed.RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRefreshFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for policy changes made on another node failed; trying again")]
    private partial void LogRefreshFailed(Exception exception);
}
