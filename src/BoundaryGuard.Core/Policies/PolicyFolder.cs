using System.Text.Json;
using BoundaryGuard.Core.Decisions;

namespace BoundaryGuard.Core.Policies;

/// <summary>
/// The department policies IT keeps in a folder: <c>departments.json</c> maps each department name to a policy file
/// in the folder (<c>"*"</c> for any other department), each file in the policy-file contract. Loaded whole or not at
/// all: every problem is one <see cref="PolicyException"/> naming the file and field. The service and
/// <c>boundaryguard policies validate</c> both read the folder here, so the CLI refuses exactly what the service would.
/// </summary>
public sealed class PolicyFolder
{
    public const string MapFile = "departments.json";

    /// <summary>The department name that stands for every department not listed.</summary>
    public const string Everyone = "*";

    private static readonly JsonSerializerOptions MapJson = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private PolicyFolder(IReadOnlyDictionary<string, DepartmentPolicy> departments)
    {
        Departments = departments;
    }

    /// <summary>Each department listed in <c>departments.json</c> (case-insensitive, surrounding spaces ignored).</summary>
    public IReadOnlyDictionary<string, DepartmentPolicy> Departments { get; }

    /// <summary>The policy of <paramref name="department"/>, or the <c>"*"</c> policy; null when neither exists.</summary>
    public BoundaryPolicy? For(string? department) =>
        (department is not null && Departments.TryGetValue(department, out var listed)
            ? listed
            : Departments.GetValueOrDefault(Everyone))?.Policy;

    /// <summary>Reads <c>departments.json</c> in <paramref name="folder"/> and every policy file it names.</summary>
    public static PolicyFolder Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new PolicyException(File.Exists(folder)
                ? $"{folder}: not a folder (expected the folder holding {MapFile})"
                : $"{folder}: folder not found");
        }

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

        // Departments that share a file share one policy, loaded once.
        var byFile = new Dictionary<string, BoundaryPolicy>(StringComparer.Ordinal);
        var departments = new Dictionary<string, DepartmentPolicy>(StringComparer.OrdinalIgnoreCase);
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

            departments[department.Trim()] = new DepartmentPolicy(file, policy);
        }

        return new PolicyFolder(departments);
    }
}

/// <summary>A department's policy and its file, as <c>departments.json</c> names it.</summary>
public sealed record DepartmentPolicy(string File, BoundaryPolicy Policy);
