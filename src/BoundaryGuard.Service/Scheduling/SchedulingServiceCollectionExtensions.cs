using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace BoundaryGuard.Service.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Persistent release scheduling: options from <c>Scheduling</c> (validated at start), schema migrations
    /// before Quartz starts, Quartz over the AdoJobStore, and <see cref="IHoldScheduler"/>. The host registers
    /// the <see cref="IHoldReleaser"/> and the one <see cref="TimeProvider"/>, which Quartz's scheduler uses
    /// too (it asks the container before falling back to the system clock).
    /// </summary>
    /// <remarks>
    /// An extension of the application builder rather than of the service collection because Quartz's store
    /// is chosen while services are registered, before any options can be resolved: the configuration is
    /// read here, and the same values are validated again when the host starts.
    /// </remarks>
    public static TBuilder AddHoldScheduling<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<SchedulingOptions>()
            .BindConfiguration(SchedulingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>());

        services.TryAddSingleton<SchemaMigrator>();
        services.AddHostedService<SchemaMigrationService>();
        services.TryAddSingleton<IHoldScheduler, QuartzHoldScheduler>();

        var settings = builder.Configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions();
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = settings.SchedulerName);
            quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = settings.MaxConcurrentReleases);
            quartz.AddJob<ReleaseHoldJob>(job => job.WithIdentity(ReleaseHoldJob.Key).StoreDurably());
            quartz.UsePersistentStore(store =>
            {
                if (settings.Provider == SchedulingProvider.PostgreSQL)
                {
                    store.UsePostgres(settings.ConnectionString);
                }
                else
                {
                    store.UseSqlite(settings.ConnectionString);
                    store.UseConnectionProvider(_ => new SqliteConnections.QuartzProvider(settings.ConnectionString));
                }

                store.ConfigureStore(ado =>
                {
                    ado.MisfireThreshold = settings.MisfireThreshold;
                    ado.MaxMisfiresToHandleAtATime = settings.MaxMisfiresPerPass;
                });
                // SQLite is never clustered here: the options validator refuses it before the scheduler starts.
                if (settings.IsClustered && settings.Provider == SchedulingProvider.PostgreSQL)
                {
                    store.UseClustering(_ => { });
                }
            });
        });
        // In-flight releases finish before the process exits: a release cut off between Graph's send and its
        // confirmation is the case the exactly-once check has to work hardest for.
        services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        return builder;
    }
}
