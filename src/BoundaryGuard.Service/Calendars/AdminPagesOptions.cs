namespace BoundaryGuard.Service.Calendars;

/// <summary>IT's admin pages the service serves at <c>/admin/</c> (section <c>AdminPages</c>).</summary>
public sealed class AdminPagesOptions
{
    public const string Section = "AdminPages";

    /// <summary>The built pages (Pages/dist/admin, copied beside the service by the build).</summary>
    public string Folder { get; set; } = Path.Combine(AppContext.BaseDirectory, "admin");
}
