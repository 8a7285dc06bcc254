using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// Serves the scorecard pages at <c>/scorecard/</c> (built from Scorecards/Pages with Chart.js, which is served from
/// here too: the pages load nothing from another site). The pages are anonymous plain files holding no data; every
/// figure comes from the scorecard API with the visitor's own sign-in, which decides what they may see.
/// </summary>
public static class ScorecardPages
{
    public const string PathPrefix = "/scorecard";

    /// <summary>
    /// Everything from this service and nothing inline, so an injected script has nowhere to come from. Chart.js draws
    /// on canvas and sets sizes through the DOM, which this allows. No form-action: sign-out goes on to Entra's own page.
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static IServiceCollection AddScorecardPages(this IServiceCollection services)
    {
        services.AddOptions<ScorecardPagesOptions>().BindConfiguration(ScorecardPagesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static IEndpointRouteBuilder MapScorecardPages(this IEndpointRouteBuilder endpoints)
    {
        // The service's front door is the scorecard.
        endpoints.MapGet("/", () => Results.Redirect($"{PathPrefix}/")).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapGet($"{PathPrefix}/{{**path}}", Serve).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static IResult Serve(string? path, HttpContext context, IOptions<ScorecardPagesOptions> options)
    {
        if (string.IsNullOrEmpty(path) && context.Request.Path.Value?.EndsWith('/') != true)
        {
            // The pages' relative links need the trailing slash (routing matches /scorecard here too).
            return Results.Redirect($"{PathPrefix}/");
        }

        using var files = new PhysicalFileProvider(Path.GetFullPath(options.Value.Folder));
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
