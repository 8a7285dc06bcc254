using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Policies;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using NodaTime;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace BoundaryGuard.Service.Addin;

/// <summary>
/// The add-in's files as this deployment serves them. The build leaves placeholders where an institution's values go;
/// they are filled in here from <see cref="AddinOptions"/>, so IT downloads manifests that point at this service. The
/// scripts also get the institution's default policy, so a send is judged even before the add-in has asked the
/// service for the sender's own; the manifests get the version <c>{major}.{minor}.{revision}</c>, where the revision
/// (<see cref="AddinRevisions"/>) rises with every change of what they say.
/// </summary>
public sealed partial class AddinContent(
    IOptions<AddinOptions> options, PolicyCatalog policies, AddinRevisions revisions, TimeProvider clock, IOptions<HttpJsonOptions> json)
{
    public const string XmlManifest = "manifest.xml";
    public const string JsonManifest = "manifest.json";

    // What manifest/ writes where a deployment's values belong; see manifest/src/config.js and the manifests.
    private const string OriginPlaceholder = "https://boundaryguard.invalid";
    private const string HostPlaceholder = "boundaryguard.invalid";
    private const string ApiBasePlaceholder = "https://boundaryguard-api.invalid";
    private const string ClientIdPlaceholder = "boundaryguard-addin-client-id";

    // The manifests' WebApplicationInfo must name a GUID to validate, so they carry the empty one until filled.
    private const string ManifestClientIdPlaceholder = "00000000-0000-0000-0000-000000000000";
    private const string ApiScopePlaceholder = "boundaryguard-api-scope";
    private const string AuthorityPlaceholder = "https://login.microsoftonline.com/organizations";
    private const string XmlSendMode = "SendMode=\"SoftBlock\"";
    private const string JsonSendMode = "\"sendMode\": \"softBlock\"";

    // String literals, quotes included, so the sources run unfilled (the add-in takes a string policy for none).
    private const string SendModePlaceholder = "\"boundaryguard-send-mode\"";
    private const string DefaultPolicyPlaceholder = "\"boundaryguard-default-policy\"";

    // The version text in the fingerprint, whatever the file says: the revision is what the fingerprint decides.
    private const string UnversionedText = "version";

    /// <summary>The unified manifest's icons, at the root of the app package (and so named at its root in the manifest).</summary>
    private static readonly string[] PackageIcons = ["color.png", "outline.png"];

    // A fixed time in the package, so the same files make the same bytes and the same ETag.
    private static readonly DateTimeOffset PackageTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly HashSet<string> TextTypes = new(StringComparer.OrdinalIgnoreCase) { ".html", ".js", ".css", ".xml", ".json" };
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The file at <paramref name="path"/> in the add-in's folder as served at <paramref name="baseAddress"/>, or null when there is none.</summary>
    public async Task<AddinFile?> ReadAsync(string path, string baseAddress, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var folder = Path.GetFullPath(settings.Folder);
        using var files = new PhysicalFileProvider(folder);
        // PhysicalFileProvider refuses paths that climb out of the folder ("..") and hidden files.
        var file = files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            return null;
        }

        if (!ContentTypes.TryGetContentType(file.Name, out var contentType))
        {
            contentType = "application/octet-stream";
        }

        if (!TextTypes.Contains(Path.GetExtension(file.Name)))
        {
            return new AddinFile(await File.ReadAllBytesAsync(file.PhysicalPath!, cancellationToken).ConfigureAwait(false), contentType, IsText: false);
        }

        var text = Fill(await File.ReadAllTextAsync(file.PhysicalPath!, cancellationToken).ConfigureAwait(false), settings, baseAddress);
        if (IsManifest(folder, file.PhysicalPath!))
        {
            text = Versioned(text, file.Name, await RevisionAsync(cancellationToken).ConfigureAwait(false));
        }

        return new AddinFile(Encoding.UTF8.GetBytes(WithDefaultPolicy(text)), contentType, IsText: true);
    }

    /// <summary>
    /// The unified manifest's app package as the Microsoft 365 admin center takes it: <c>manifest.json</c> (as served at
    /// <paramref name="baseAddress"/>), <c>color.png</c> and <c>outline.png</c> at its root; null when the add-in is not built.
    /// </summary>
    public async Task<byte[]?> PackageAsync(string baseAddress, CancellationToken cancellationToken)
    {
        var icons = PackageIcons.Select(name => Path.Combine(Path.GetFullPath(options.Value.Folder), "assets", name)).ToList();
        if (await ReadAsync(JsonManifest, baseAddress, cancellationToken).ConfigureAwait(false) is not { } manifest || !icons.All(File.Exists))
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await AddAsync(zip, JsonManifest, manifest.Bytes, cancellationToken).ConfigureAwait(false);
            foreach (var icon in icons)
            {
                await AddAsync(zip, Path.GetFileName(icon), await File.ReadAllBytesAsync(icon, cancellationToken).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The revision the manifests are served with now (a new one when what they say changed).</summary>
    public async Task<int> RevisionAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The request's address is not a setting: without BaseUrl, the manifests are fingerprinted at the placeholder's.
        var baseAddress = settings.ConfiguredBase ?? OriginPlaceholder;
        var fingerprint = new StringBuilder();
        foreach (var name in (string[])[XmlManifest, JsonManifest])
        {
            var path = Path.Combine(settings.Folder, name);
            var text = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : string.Empty;
            fingerprint.Append(Versioned(Fill(text, settings, baseAddress), name, revision: null)).Append('\0');
        }

        fingerprint.AppendJoin('\0', settings.ClientId, settings.ApiScope, settings.Authority, settings.SendMode, settings.ApiBaseUrl);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint.ToString())));
        return await revisions.ForAsync(hash, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores the revision when the add-in is built (there is nothing to version otherwise).</summary>
    public async Task RecordRevisionAsync(CancellationToken cancellationToken)
    {
        var folder = options.Value.Folder;
        if (File.Exists(Path.Combine(folder, XmlManifest)) || File.Exists(Path.Combine(folder, JsonManifest)))
        {
            await RevisionAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The institution's default policy (<see cref="Core.Policies.PolicyFolder.Everyone"/>, as the catalog resolves it) as
    /// <c>POST /api/v1/policy/me</c> gives a person of it, from the current hour: the files stay the same bytes for an hour.
    /// Null when there is no such policy.
    /// </summary>
    internal PolicySnapshotResponse? DefaultPolicy()
    {
        if (policies.For(null) is not { } policy)
        {
            return null;
        }

        var now = Instant.FromDateTimeOffset(clock.GetUtcNow()).ToUnixTimeTicks();
        var hour = Instant.FromUnixTimeTicks(now - (now % NodaConstants.TicksPerHour));
        return PolicySnapshotResponse.From(null, policy.Snapshot(hour, HoldsApi.SnapshotLength), policy.Zone);
    }

    /// <summary>The text's placeholders replaced by this deployment's values (a value not configured stays a placeholder).</summary>
    internal static string Fill(string text, AddinOptions settings, string baseAddress)
    {
        var builder = new StringBuilder(text)
            .Replace(ApiBasePlaceholder, AddinOptions.Base(settings.ApiBaseUrl) ?? baseAddress)
            .Replace(OriginPlaceholder, baseAddress)
            // The unified manifest's validDomains names the bare host.
            .Replace(HostPlaceholder, new Uri(baseAddress).Authority)
            .Replace(XmlSendMode, $"SendMode=\"{settings.SendMode}\"")
            .Replace(JsonSendMode, $"\"sendMode\": \"{CamelCase(settings.SendMode)}\"")
            .Replace(SendModePlaceholder, $"\"{CamelCase(settings.SendMode)}\"");
        foreach (var icon in PackageIcons)
        {
            builder.Replace($"\"assets/{icon}\"", $"\"{icon}\"");
        }

        if (settings.ClientId is { } clientId)
        {
            builder.Replace(ClientIdPlaceholder, clientId.ToString("D")).Replace(ManifestClientIdPlaceholder, clientId.ToString("D"));
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

    private string WithDefaultPolicy(string text) =>
        text.Contains(DefaultPolicyPlaceholder, StringComparison.Ordinal) && DefaultPolicy() is { } policy
            ? text.Replace(DefaultPolicyPlaceholder, JsonSerializer.Serialize(policy, json.Value.SerializerOptions), StringComparison.Ordinal)
            : text;

    /// <summary>
    /// The manifest's version as <c>{major}.{minor}.{revision}.0</c> (XML) or <c>{major}.{minor}.{revision}</c> (JSON),
    /// major and minor from the file; without a revision, the version text is left out (for the fingerprint).
    /// </summary>
    private static string Versioned(string text, string name, int? revision)
    {
        // learn.microsoft.com/javascript/api/manifest/version: each part of an XML manifest's version has 5 digits at most.
        if (revision > 99_999)
        {
            throw new InvalidOperationException($"The add-in's manifest revision {revision} has more than the 5 digits a manifest version part may have.");
        }

        var (pattern, format) = name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
            ? (XmlVersion(), "<Version>{0}.0</Version>")
            : (JsonVersion(), "\"version\": \"{0}\"");
        return pattern.Replace(text, match => string.Format(
            System.Globalization.CultureInfo.InvariantCulture,
            format,
            revision is { } number ? $"{match.Groups["major"].Value}.{match.Groups["minor"].Value}.{number}" : UnversionedText), 1);
    }

    private static bool IsManifest(string folder, string physicalPath) =>
        physicalPath == Path.Combine(folder, XmlManifest) || physicalPath == Path.Combine(folder, JsonManifest);

    private static async Task AddAsync(ZipArchive zip, string name, byte[] bytes, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = PackageTime;
        var stream = entry.Open();
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string CamelCase(AddinSendMode mode) => JsonNamingPolicy.CamelCase.ConvertName(mode.ToString());

    // The OfficeApp's own <Version> (VersionOverrides are other elements).
    [GeneratedRegex(@"<Version>\s*(?<major>\d+)\.(?<minor>\d+)(?:\.\d+){0,2}\s*</Version>")]
    private static partial Regex XmlVersion();

    // The top-level "version" ("manifestVersion" is another property).
    [GeneratedRegex("\"version\"\\s*:\\s*\"(?<major>\\d+)\\.(?<minor>\\d+)(?:\\.\\d+)?\"")]
    private static partial Regex JsonVersion();
}

/// <summary>A file as served: its bytes (filled in when it is text) and its media type.</summary>
public sealed record AddinFile(byte[] Bytes, string ContentType, bool IsText);
