using System.Net;
using System.Text.Json;
using System.Xml;
using BoundaryGuard.Service.Addin;

namespace BoundaryGuard.Cli.Doctor;

/// <summary>What Outlook fetches from the service: the well-known file and both manifests, served and well formed.</summary>
internal static class AddinCheck
{
    public const string Name = "addin-files";

    public static Uri ServiceUrl(string text) => AdminClient.ServiceUrl(text);

    public static async Task<Finding> RunAsync(Uri service)
    {
        // Office loads an add-in's files only over HTTPS; plain HTTP passes only on this machine, for a trial run.
        var local = service.Scheme == Uri.UriSchemeHttp;
        if (local && !service.IsLoopback)
        {
            return Finding.Fail(Name, "--service is plain HTTP: Outlook loads add-ins only over HTTPS; serve the service over HTTPS");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var problems = new List<string>();
        // learn.microsoft.com/office/dev/add-ins/develop/use-sso-in-event-based-activation: at the origin's root,
        // wherever the service's own path is, for classic Outlook's event runtime.
        await CheckAsync(http, new Uri(service, AddinFiles.WellKnownPath), "the well-known file", problems, body =>
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("allowed", out var allowed)
                && allowed.ValueKind == JsonValueKind.Array && allowed.GetArrayLength() > 0;
        }).ConfigureAwait(false);
        await CheckAsync(http, new Uri(service, $"{AddinFiles.PathPrefix.TrimStart('/')}/{AddinContent.XmlManifest}"), "the XML manifest", problems, body =>
        {
            var xml = new XmlDocument { XmlResolver = null };
            using var reader = XmlReader.Create(new StringReader(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            xml.Load(reader);
            return xml.DocumentElement?.LocalName == "OfficeApp";
        }).ConfigureAwait(false);
        await CheckAsync(http, new Uri(service, $"{AddinFiles.PathPrefix.TrimStart('/')}/{AddinContent.JsonManifest}"), "the unified manifest", problems, body =>
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("manifestVersion", out _);
        }).ConfigureAwait(false);

        return problems.Count > 0
            ? Finding.Fail(Name, $"{string.Join("; ", problems)}. Deploy the service built with the add-in (Node.js and npm at build time) and give --service its public address")
            : Finding.Ok(Name, $"{AddinFiles.WellKnownPath}, {AddinFiles.PathPrefix}/{AddinContent.XmlManifest} and {AddinFiles.PathPrefix}/{AddinContent.JsonManifest} are served" +
                (local ? " (over plain HTTP on this machine: Outlook needs HTTPS)" : ""));
    }

    private static async Task CheckAsync(HttpClient http, Uri url, string what, List<string> problems, Func<string, bool> wellFormed)
    {
        try
        {
            using var response = await http.GetAsync(url).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"{what} at {url.AbsolutePath} answers {(int)response.StatusCode}");
            }
            else if (!wellFormed(body))
            {
                problems.Add($"{what} at {url.AbsolutePath} is not what Outlook expects");
            }
        }
        catch (Exception e) when (e is JsonException or XmlException)
        {
            problems.Add($"{what} at {url.AbsolutePath} is not well formed");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            problems.Add($"{what} at {url.AbsolutePath}: no answer ({e.GetType().Name})");
        }
    }
}
