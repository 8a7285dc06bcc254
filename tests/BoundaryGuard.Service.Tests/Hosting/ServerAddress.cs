using System.Net;
using System.Net.Sockets;
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

    /// <summary>A loopback port nothing listens on now: taken from the system, then released.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
