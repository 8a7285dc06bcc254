using BoundaryGuard.Core;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using Microsoft.Extensions.Options;
using NodaTime;

namespace BoundaryGuard.Service.Policies;

/// <summary>
/// The department policies IT keeps in a folder, read by <see cref="PolicyFolder"/>. Loaded at start (a bad folder
/// stops the service with the file and field named) and reloaded when a file changes; a bad edit keeps the last good
/// policies and is reported in <see cref="LastError"/>, so a typo never opens a closed day. <see cref="Changed"/>
/// tells the holds feature to re-evaluate pending holds.
/// </summary>
public sealed partial class PolicyCatalog : IDisposable
{
    private readonly PolicyCatalogOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger<PolicyCatalog> logger;
    private readonly FileSystemWatcher watcher;
    private readonly Lock gate = new();
    private ITimer? pendingReload;
    private PolicyFolder current;
    private IReadOnlyDictionary<string, BoundaryPolicy> managed = new Dictionary<string, BoundaryPolicy>();
    private IReadOnlyDictionary<string, LocalDate> exemptions = new Dictionary<string, LocalDate>();

    public PolicyCatalog(IOptions<PolicyCatalogOptions> options, TimeProvider clock, ILogger<PolicyCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.clock = clock;
        this.logger = logger;
        // A relative folder is the service's own (the shipped demo policies), wherever it was started from.
        Folder = Path.GetFullPath(this.options.Folder, AppContext.BaseDirectory);
        current = PolicyFolder.Load(Folder);
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

    public IReadOnlyCollection<string> Departments => [.. current.Departments.Keys.Union(managed.Keys, StringComparer.OrdinalIgnoreCase)];

    /// <summary>The departments IT keeps in the service (see <c>Calendars/ManagedPolicies</c>): each overrides the folder's entry.</summary>
    public IReadOnlyDictionary<string, BoundaryPolicy> Managed => managed;

    /// <summary>
    /// The policy of <paramref name="department"/>, or the <c>"*"</c> policy; null when neither exists. A department
    /// kept in the service comes before the folder's.
    /// </summary>
    public BoundaryPolicy? For(string? department)
    {
        var (folder, inService) = (current, managed);
        return department is not null && inService.TryGetValue(department, out var policy)
            ? policy
            : (department is not null && folder.Departments.ContainsKey(department) ? folder.For(department) : null)
              ?? inService.GetValueOrDefault(PolicyFolder.Everyone) ?? folder.For(department);
    }

    /// <summary>The last day (in the department's zone) of each exempt person's exemption, by mailbox (case ignored).</summary>
    public IReadOnlyDictionary<string, LocalDate> Exemptions => exemptions;

    /// <summary>Puts the departments and exemptions kept in the service in force, and tells the holds feature to re-decide.</summary>
    public void SetManaged(IReadOnlyDictionary<string, BoundaryPolicy> policies, IReadOnlyDictionary<string, LocalDate> exempt)
    {
        (managed, exemptions) = (policies, exempt);
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Loads the folder again now; false (and <see cref="LastError"/> set) when it is not valid.</summary>
    public bool Reload()
    {
        PolicyFolder loaded;
        try
        {
            loaded = PolicyFolder.Load(Folder);
        }
        catch (PolicyException e)
        {
            LastError = e.Message;
            ReloadRefused(logger, e.Message);
            return false;
        }

        current = loaded;
        LastError = null;
        Reloaded(logger, loaded.Departments.Count);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Policy reload refused, the previous policies stay in force: {Problem}")]
    private static partial void ReloadRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policies reloaded: {Departments} departments")]
    private static partial void Reloaded(ILogger logger, int departments);
}
