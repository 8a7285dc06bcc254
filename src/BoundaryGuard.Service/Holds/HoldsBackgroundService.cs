using BoundaryGuard.Service.Policies;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Holds;

/// <summary>
/// Keeps pending holds honest between their triggers: every <see cref="HoldsOptions.SweepInterval"/>
/// it schedules any pending hold no trigger will fire (the sweep), and after a policy or calendar change it
/// re-decides every held hold. Changes arriving during a re-decision run coalesce into one more run. One run comes
/// at start: the policies may have changed while the service was down, or a run was cut off by a crash.
/// </summary>
internal sealed partial class HoldsBackgroundService(
    HoldService holds,
    PolicyCatalog catalog,
    TimeProvider clock,
    IOptions<HoldsOptions> options,
    ILogger<HoldsBackgroundService> logger) : BackgroundService
{
    private readonly SemaphoreSlim policyChanged = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        catalog.Changed += OnPolicyChanged;
        try
        {
            await Task.WhenAll(SweepLoopAsync(stoppingToken), ReconsiderLoopAsync(stoppingToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            catalog.Changed -= OnPolicyChanged;
        }
    }

    public override void Dispose()
    {
        policyChanged.Dispose();
        base.Dispose();
    }

    private void OnPolicyChanged(object? sender, EventArgs e)
    {
        try
        {
            policyChanged.Release();
        }
        catch (SemaphoreFullException)
        {
            // A run is already due; it will see this change too.
        }
    }

    private async Task SweepLoopAsync(CancellationToken stoppingToken)
    {
        // The first sweep waits one interval: at start Quartz is still taking up missed releases, and a hold it is
        // about to fire would look unscheduled for a moment.
        var all = true;
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                if (await holds.SweepAsync(all, stoppingToken).ConfigureAwait(false) is > 0 and var repaired)
                {
                    LogRepaired(repaired);
                }

                all = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(e);
            }
        }
    }

    private async Task ReconsiderLoopAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            await policyChanged.WaitAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                var moved = await holds.ReconsiderAllAsync(stoppingToken).ConfigureAwait(false);
                LogReconsidered(moved);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReconsiderFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled {Count} pending holds that had no trigger")]
    private partial void LogRepaired(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping pending holds failed; trying again at the next interval")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policies changed: {Count} held holds moved")]
    private partial void LogReconsidered(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Re-deciding held holds after a policy change failed")]
    private partial void LogReconsiderFailed(Exception exception);
}
