namespace BoundaryGuard.Graph;
internal static class AssemblyMarker { }
