using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.Service.Tests.Holds;

namespace BoundaryGuard.Service.Tests.Hosting;

/// <summary>Forwarded headers count only from the proxies IT lists: anyone else cannot claim https (or another address).</summary>
public sealed class ProxyHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5));

    [TestCase("ForwardedHeaders:KnownProxies:0", "127.0.0.1", "https://")]
    [TestCase("ForwardedHeaders:KnownNetworks:0", "127.0.0.0/8", "https://")]
    [TestCase("ForwardedHeaders:KnownProxies:0", "10.1.2.3", "http://")]
    public async Task ForwardedProto_FromAListedProxyOnly_TakenAsTheRequestsScheme(string key, string value, string scheme)
    {
        await using var world = await HoldsWorld.StartAsync(Now);
        // No Addin:BaseUrl (Testing): the well-known file names the add-in on the request's own scheme and host.
        await using var app = new HoldsApp(world, new() { [key] = value }, listen: true);
        using var client = new HttpClient { BaseAddress = app.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/microsoft-officeaddins-allowed.json");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request);
        var allowed = (await response.Content.ReadFromJsonAsync<JsonObject>())!["allowed"]![0]!.GetValue<string>();

        Assert.That(allowed, Does.StartWith(scheme));
    }
}
