using System.ComponentModel.DataAnnotations;

namespace BoundaryGuard.Service.Policies;

/// <summary>Where department policies live. Bound from <c>Policies</c> and validated at start.</summary>
public sealed class PolicyCatalogOptions
{
    public const string Section = "Policies";

    /// <summary>
    /// A folder holding <c>departments.json</c> (department name → policy file, <c>"*"</c> for everyone else) and
    /// the policy files it names, in the contract's shape; ICS paths inside them are relative to the folder. A relative
    /// folder is taken from the service's own directory, where the demo institution's policies are shipped.
    /// </summary>
    [Required]
    public string Folder { get; set; } = "policies";

    /// <summary>How long to wait for a burst of file writes to settle before reloading.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
