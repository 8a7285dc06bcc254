using System.Text;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Addin;

/// <summary>
/// Serves the Outlook add-in at <c>/addin/</c>: its pages, scripts (MSAL.js bundled in, nothing from a CDN but
/// Office.js) and both manifests. The build leaves placeholders where an institution's values go; they are filled
/// in here from <see cref="AddinOptions"/>, so IT downloads manifests that point at this service.
/// </summary>
public static class AddinFiles
{
    public const string PathPrefix = "/addin";

    // What manifest/ writes where a deployment's values belong; see manifest/src/config.js and the manifests.
    private const string OriginPlaceholder = "https://boundaryguard.invalid";
    private const string HostPlaceholder = "boundaryguard.invalid";
    private const string ClientIdPlaceholder = "boundaryguard-addin-client-id";
    private const string ApiScopePlaceholder = "boundaryguard-api-scope";
    private const string AuthorityPlaceholder = "https://login.microsoftonline.com/organizations";
    private const string XmlSendMode = "SendMode=\"PromptUser\"";
    private const string JsonSendMode = "\"sendMode\": \"promptUser\"";

    private static readonly HashSet<string> TextTypes = new(StringComparer.OrdinalIgnoreCase) { ".html", ".js", ".css", ".xml", ".json" };

    public static IServiceCollection AddAddinFiles(this IServiceCollection services)
    {
        services.AddOptions<AddinOptions>().BindConfiguration(AddinOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static IEndpointRouteBuilder MapAddinFiles(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{PathPrefix}/{{**path}}", ServeAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(string? path, HttpContext context, IOptions<AddinOptions> options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path))
        {
            // The pages' relative links need the trailing folder.
            return Results.Redirect($"{PathPrefix}/taskpane.html");
        }

        var settings = options.Value;
        using var files = new PhysicalFileProvider(Path.GetFullPath(settings.Folder));
        // PhysicalFileProvider refuses paths that climb out of the folder ("..") and hidden files.
        var file = files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            return Results.NotFound();
        }

        var extension = Path.GetExtension(file.Name);
        if (!new FileExtensionContentTypeProvider().TryGetContentType(file.Name, out var contentType))
        {
            contentType = "application/octet-stream";
        }

        // A manifest or script changed by IT must reach Outlook at its next look, never from a stale cache.
        context.Response.Headers.CacheControl = "no-cache";
        if (!TextTypes.Contains(extension))
        {
            return Results.File(file.PhysicalPath!, contentType);
        }

        var text = await File.ReadAllTextAsync(file.PhysicalPath!, cancellationToken).ConfigureAwait(false);
        return Results.Text(Fill(text, settings, context.Request), contentType, Encoding.UTF8);
    }

    /// <summary>The file's placeholders replaced by this deployment's values (a value not configured stays a placeholder).</summary>
    internal static string Fill(string text, AddinOptions settings, HttpRequest request)
    {
        var origin = settings.BaseUrl is { } configured
            ? configured.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : $"{request.Scheme}://{request.Host}{request.PathBase}";
        var builder = new StringBuilder(text)
            .Replace(OriginPlaceholder, origin)
            // The unified manifest's validDomains names the bare host.
            .Replace(HostPlaceholder, new Uri(origin).Authority)
            .Replace(XmlSendMode, $"SendMode=\"{settings.SendMode}\"")
            .Replace(JsonSendMode, $"\"sendMode\": \"{CamelCase(settings.SendMode)}\"");
        if (settings.ClientId is { } clientId)
        {
            builder.Replace(ClientIdPlaceholder, clientId.ToString("D"));
        }

        if (settings.ApiScope is { } scope)
        {
            builder.Replace(ApiScopePlaceholder, scope);
        }

        if (settings.Authority is { } authority)
        {
            builder.Replace(AuthorityPlaceholder, authority.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        }

        return builder.ToString();
    }

    private static string CamelCase(AddinSendMode mode) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(mode.ToString());
}
