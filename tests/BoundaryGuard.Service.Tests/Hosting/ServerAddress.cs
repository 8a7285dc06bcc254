using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace BoundaryGuard.Service.Tests.Hosting;

internal static class ServerAddress
{
    /// <summary>Where a service started on Kestrel listens, e.g. http://127.0.0.1:40123/: Kestrel names the wildcard it bound, clients go to loopback.</summary>
    public static Uri Loopback(IServiceProvider services)
    {
        var listening = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new UriBuilder(listening) { Host = "127.0.0.1" }.Uri;
    }
}
