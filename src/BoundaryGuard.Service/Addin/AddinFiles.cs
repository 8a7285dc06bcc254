using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BoundaryGuard.Service.Addin;

/// <summary>
/// Serves the Outlook add-in at <c>/addin/</c>: its pages, scripts (MSAL.js bundled in, nothing from a CDN but
/// Office.js), both manifests and the unified manifest's app package, filled in by <see cref="AddinContent"/>; and, at
/// the root, the well-known file that lets classic Outlook's event script call the API. Every response carries a strong
/// ETag of the bytes served and answers a matching <c>If-None-Match</c> with 304.
/// </summary>
public static class AddinFiles
{
    public const string PathPrefix = "/addin";

    /// <summary>The scripts the add-in's origin allows to make CORS requests and get tokens in classic Outlook's JavaScript-only runtime.</summary>
    // learn.microsoft.com/office/dev/add-ins/develop/use-sso-in-event-based-activation: at the root of the origin, exactly this name.
    public const string WellKnownPath = "/.well-known/microsoft-officeaddins-allowed.json";

    /// <summary>The unified manifest's app package, for the Microsoft 365 admin center.</summary>
    public const string PackagePath = PathPrefix + "/app-package.zip";

    /// <summary>The event script (manifest.xml's <c>Override type="javascript"</c>, manifest.json's <c>runtimes[].code.script</c>).</summary>
    private const string EventScript = PathPrefix + "/launchevent.js";

    // A manifest, script or policy change must reach Outlook at its next look: it may keep a copy, but asks first.
    private const string Revalidate = "no-cache";

    // Icons change with a release, if ever.
    private const string Images = "public, max-age=86400";

    public static IServiceCollection AddAddinFiles(this IServiceCollection services)
    {
        services.AddOptions<AddinOptions>().BindConfiguration(AddinOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AddinRevisions>();
        services.AddSingleton<AddinContent>();
        services.AddHostedService<AddinRevisionAtStart>();
        services.AddResponseCompression(compression =>
        {
            // Only the add-in's files go through it (UseAddinCompression): they hold no secret and echo nothing a
            // request sent but its host, so compressing them over HTTPS gives BREACH nothing to guess.
            compression.EnableForHttps = true;
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
        });
        return services;
    }

    /// <summary>Brotli or gzip for the add-in's text files (the types of <see cref="ResponseCompressionDefaults.MimeTypes"/>).</summary>
    public static IApplicationBuilder UseAddinCompression(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(PathPrefix), branch => branch.UseResponseCompression());

    public static IEndpointRouteBuilder MapAddinFiles(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(WellKnownPath, AllowedScripts).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet(PackagePath, PackageAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet($"{PathPrefix}/{{**path}}", ServeAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ServeAsync(
        string? path, HttpContext context, IOptions<AddinOptions> options, AddinContent content, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path))
        {
            // The pages' relative links need the trailing folder.
            return Results.Redirect($"{PathPrefix}/taskpane.html");
        }

        var file = await content.ReadAsync(path, options.Value.BaseFor(context.Request), cancellationToken).ConfigureAwait(false);
        if (file is null)
        {
            return Results.NotFound();
        }

        var caching = !file.IsText && file.ContentType.StartsWith("image/", StringComparison.Ordinal) ? Images : Revalidate;
        return Send(context, file.Bytes, file.IsText ? $"{file.ContentType}; charset=utf-8" : file.ContentType, caching, compressed: file.IsText);
    }

    private static IResult AllowedScripts(HttpContext context, IOptions<AddinOptions> options)
    {
        // Only the event script: the task pane runs in a browser runtime and needs no listing.
        var allowed = new JsonObject { ["allowed"] = new JsonArray(options.Value.BaseFor(context.Request) + EventScript) };
        return Send(context, System.Text.Encoding.UTF8.GetBytes(allowed.ToJsonString()), "application/json", Revalidate, compressed: false);
    }

    private static async Task<IResult> PackageAsync(
        HttpContext context, IOptions<AddinOptions> options, AddinContent content, CancellationToken cancellationToken)
    {
        var package = await content.PackageAsync(options.Value.BaseFor(context.Request), cancellationToken).ConfigureAwait(false);
        return package is null
            ? Results.NotFound()
            : Send(context, package, "application/zip", Revalidate, compressed: false, downloadName: "boundaryguard-app-package.zip");
    }

    /// <summary>The bytes with a strong ETag of them; a request that already has them gets 304 (the file result checks <c>If-None-Match</c>).</summary>
    private static IResult Send(HttpContext context, byte[] body, string contentType, string caching, bool compressed, string? downloadName = null)
    {
        context.Response.Headers.CacheControl = caching;
        // Served as the type named here and nothing else: a browser never sniffs a manifest or a script into HTML.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var tag = WebEncoders.Base64UrlEncode(SHA256.HashData(body));
        if (compressed && context.RequestServices.GetService<IResponseCompressionProvider>() is { } compression
            && compression.CheckRequestAcceptsCompression(context) && compression.GetCompressionProvider(context) is { } encoding)
        {
            // A strong ETag names one representation, and the compressed bytes are another one than the plain ones.
            tag += "-" + encoding.EncodingName;
        }

        return Results.Bytes(body, contentType, downloadName, entityTag: new EntityTagHeaderValue($"\"{tag}\""));
    }
}

/// <summary>Records the manifests' revision at start, so a database that cannot store it stops the service there.</summary>
internal sealed class AddinRevisionAtStart(AddinContent content) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => content.RecordRevisionAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
