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
        services.AddSingleton<ExchangeCalendarSync>();
        services.AddHostedService<CalendarsBackgroundService>();
        return services;
    }
}

public sealed class CalendarsOptions
{
    public const string Section = "Calendars";

    /// <summary>How often a node looks for changes another node made (a change made here is in force at once).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the Exchange calendars are read (IT can also sync one now).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan ExchangeSyncInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The mailboxes whose calendars may close the institution (a shared "closures@" mailbox): an Exchange calendar is
    /// added and synced only from these, and the application's <c>Calendars.Read</c> is granted only on them. Empty: no
    /// Exchange calendar at all.
    /// </summary>
    public IList<string> ClosureMailboxes { get; } = [];

    /// <summary>Whether any mailbox is listed (a blank entry, say an empty environment variable, lists none).</summary>
    public bool ListsAny => ClosureMailboxes.Any(listed => !string.IsNullOrWhiteSpace(listed));

    /// <summary>Whether <paramref name="mailbox"/> is listed, trimmed and in any case.</summary>
    public bool IsClosureMailbox(string mailbox) => !string.IsNullOrWhiteSpace(mailbox) &&
        ClosureMailboxes.Any(listed => string.Equals(listed?.Trim(), mailbox.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Loads the departments kept in the service before the service takes requests, then looks for changes every
/// <see cref="CalendarsOptions.RefreshInterval"/> and reads the Exchange calendars every
/// <see cref="CalendarsOptions.ExchangeSyncInterval"/>, both in real time (a cluster's nodes share the database, not
/// memory, and Exchange changes in real time; a demo clock running fast has nothing to do with either).
/// </summary>
internal sealed partial class CalendarsBackgroundService(
    ManagedPolicies managed, ExchangeCalendarSync exchange, IOptions<CalendarsOptions> options, ILogger<CalendarsBackgroundService> logger)
    : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await managed.RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        LoopAsync(options.Value.RefreshInterval, managed.RefreshAsync, stoppingToken),
        LoopAsync(options.Value.ExchangeSyncInterval, exchange.SyncAllAsync, stoppingToken));

    private async Task LoopAsync(TimeSpan interval, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await work(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRoundFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A calendars round (changes from other nodes, or the Exchange sync) failed; trying again")]
    private partial void LogRoundFailed(Exception exception);
}
