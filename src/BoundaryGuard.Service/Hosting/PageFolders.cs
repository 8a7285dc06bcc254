using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BoundaryGuard.Service.Hosting;

/// <summary>
/// Serves a folder of the service's built pages (Pages/: one folder per site) at its path, the same way for every
/// site: anonymous plain files holding no data, under one strict Content-Security-Policy. Every figure on them comes
/// from the API with the visitor's own sign-in, which decides what they may see or change.
/// </summary>
public static class PageFolders
{
    /// <summary>
    /// Everything from this service and nothing inline, so an injected script has nowhere to come from. Chart.js draws
    /// on canvas and sets sizes through the DOM, which this allows. No form-action: sign-out goes on to Entra's own page.
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>GET <c>{prefix}/...</c> from the folder that <paramref name="folder"/> reads from the site's options.</summary>
    public static IEndpointRouteBuilder MapPageFolder<TOptions>(this IEndpointRouteBuilder endpoints, string prefix, Func<TOptions, string> folder)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(folder);
        endpoints.MapGet($"{prefix}/{{**path}}", (string? path, HttpContext context, IOptions<TOptions> options) =>
            Serve(prefix, folder(options.Value), path, context)).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Serve(string prefix, string folder, string? path, HttpContext context)
    {
        if (string.IsNullOrEmpty(path) && context.Request.Path.Value?.EndsWith('/') != true)
        {
            // The pages' relative links need the trailing slash (routing matches the bare prefix here too).
            return Results.Redirect($"{prefix}/");
        }

        using var files = new PhysicalFileProvider(Path.GetFullPath(folder));
        // PhysicalFileProvider refuses paths that climb out of the folder ("..") and hidden files (.built).
        var file = files.GetFileInfo(string.IsNullOrEmpty(path) ? "index.html" : path);
        if (!file.Exists || file.IsDirectory)
        {
            return Results.NotFound();
        }

        if (!new FileExtensionContentTypeProvider().TryGetContentType(file.Name, out var contentType))
        {
            contentType = "application/octet-stream";
        }

        var headers = context.Response.Headers;
        // Revalidated on every load (a 304 when unchanged), so a new version of the pages is never mixed with an old one.
        headers.CacheControl = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        var tag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
        return Results.File(file.PhysicalPath!, contentType, lastModified: file.LastModified, entityTag: tag);
    }
}
