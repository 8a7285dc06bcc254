using BoundaryGuard.Core;

namespace BoundaryGuard.Cli;

/// <summary>A file named on the command line.</summary>
internal static class InputFile
{
    /// <summary>The one line for a file that could not be opened (an <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>).</summary>
    public static PolicyException Unreadable(string path, Exception e) =>
        new($"{path}: {(e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : "cannot be read")}", e);
}
