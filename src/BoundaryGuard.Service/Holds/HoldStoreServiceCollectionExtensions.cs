using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BoundaryGuard.Service.Holds;

public static class HoldStoreServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IHoldStore"/> on the scheduling database. The options (<see cref="SchedulingOptions"/>) and the
    /// schema come from <c>AddHoldScheduling()</c>, whose migrations create the store's tables at start.
    /// </summary>
    public static IServiceCollection AddHoldStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IHoldStore, SqlHoldStore>();
        return services;
    }
}
