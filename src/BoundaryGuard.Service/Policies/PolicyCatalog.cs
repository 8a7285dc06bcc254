using System.Text.Json;
using BoundaryGuard.Core;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Policies;

/// <summary>
/// The department policies IT keeps in a folder: <c>departments.json</c> maps each department to a policy file
/// (<c>"*"</c> for any other department). Loaded at start (a bad folder stops the service with the file and field
/// named) and reloaded when a file changes; a bad edit keeps the last good policies and is reported in
/// <see cref="LastError"/>, so a typo never opens a closed day. <see cref="Changed"/> tells the holds feature to
/// re-evaluate pending holds.
/// </summary>
public sealed partial class PolicyCatalog : IDisposable
{
    public const string MapFile = "departments.json";
    private const string Everyone = "*";

    private static readonly JsonSerializerOptions MapJson = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly PolicyCatalogOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger<PolicyCatalog> logger;
    private readonly FileSystemWatcher watcher;
    private readonly Lock gate = new();
    private ITimer? pendingReload;
    private Snapshot current;
    private IReadOnlyDictionary<string, BoundaryPolicy> managed = new Dictionary<string, BoundaryPolicy>();

    public PolicyCatalog(IOptions<PolicyCatalogOptions> options, TimeProvider clock, ILogger<PolicyCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.clock = clock;
        this.logger = logger;
        // A relative folder is the service's own (the shipped demo policies), wherever it was started from.
        Folder = Path.GetFullPath(this.options.Folder, AppContext.BaseDirectory);
        current = Load(Folder);
        watcher = new FileSystemWatcher(Folder) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        watcher.Changed += (_, _) => ScheduleReload();
        watcher.Created += (_, _) => ScheduleReload();
        watcher.Deleted += (_, _) => ScheduleReload();
        watcher.Renamed += (_, _) => ScheduleReload();
    }

    /// <summary>Raised after a reload changed the policies (never for a failed one).</summary>
    public event EventHandler? Changed;

    public string Folder { get; }

    /// <summary>Why the last reload was refused, or null when the folder is as loaded.</summary>
    public string? LastError { get; private set; }

    public IReadOnlyCollection<string> Departments => [.. current.ByDepartment.Keys.Union(managed.Keys, StringComparer.OrdinalIgnoreCase)];

    /// <summary>The departments IT keeps in the service (see <c>Calendars/ManagedPolicies</c>): each overrides the folder's entry.</summary>
    public IReadOnlyDictionary<string, BoundaryPolicy> Managed => managed;

    /// <summary>
    /// The policy of <paramref name="department"/>, or the <c>"*"</c> policy; null when neither exists. A department
    /// kept in the service comes before the folder's.
    /// </summary>
    public BoundaryPolicy? For(string? department)
    {
        var (snapshot, inService) = (current, managed);
        return department is not null && (inService.TryGetValue(department, out var policy) || snapshot.ByDepartment.TryGetValue(department, out policy))
            ? policy
            : inService.GetValueOrDefault(Everyone) ?? snapshot.ByDepartment.GetValueOrDefault(Everyone);
    }

    /// <summary>Puts the departments kept in the service in force, and tells the holds feature to re-decide.</summary>
    public void SetManaged(IReadOnlyDictionary<string, BoundaryPolicy> policies)
    {
        managed = policies;
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Loads the folder again now; false (and <see cref="LastError"/> set) when it is not valid.</summary>
    public bool Reload()
    {
        Snapshot loaded;
        try
        {
            loaded = Load(Folder);
        }
        catch (PolicyException e)
        {
            LastError = e.Message;
            ReloadRefused(logger, e.Message);
            return false;
        }

        current = loaded;
        LastError = null;
        Reloaded(logger, loaded.ByDepartment.Count);
        Changed?.Invoke(this, EventArgs.Empty);
        return true;
    }

    public void Dispose()
    {
        watcher.Dispose();
        pendingReload?.Dispose();
    }

    private void ScheduleReload()
    {
        // Editors write a file in several steps; reload once the burst has settled.
        lock (gate)
        {
            pendingReload?.Dispose();
            pendingReload = clock.CreateTimer(_ => Reload(), null, options.ReloadDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private static Snapshot Load(string folder)
    {
        var mapPath = Path.Combine(folder, MapFile);
        if (!File.Exists(mapPath))
        {
            throw new PolicyException($"{mapPath}: file not found (it maps departments to policy files)");
        }

        Dictionary<string, string> map;
        try
        {
            map = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(mapPath), MapJson) ?? [];
        }
        catch (JsonException e)
        {
            throw new PolicyException($"{MapFile}: not a map of department names to policy files ({e.Path})", e);
        }

        var byFile = new Dictionary<string, BoundaryPolicy>(StringComparer.Ordinal);
        var byDepartment = new Dictionary<string, BoundaryPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var (department, file) in map)
        {
            if (string.IsNullOrWhiteSpace(file))
            {
                throw new PolicyException($"{MapFile}: {department}: no policy file named");
            }

            if (!byFile.TryGetValue(file, out var policy))
            {
                byFile[file] = policy = PolicyFile.Load(Path.Combine(folder, file));
            }

            byDepartment[department.Trim()] = policy;
        }

        return new Snapshot(byDepartment);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Policy reload refused, the previous policies stay in force: {Problem}")]
    private static partial void ReloadRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policies reloaded: {Departments} departments")]
    private static partial void Reloaded(ILogger logger, int departments);

    private sealed record Snapshot(IReadOnlyDictionary<string, BoundaryPolicy> ByDepartment);
}
