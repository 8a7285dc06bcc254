namespace BoundaryGuard.Cli.Doctor;

internal enum Verdict
{
    Ok,

    /// <summary>Works, but not as it should be (more permissions than needed, a check not run): exit code stays 0.</summary>
    Warning,

    /// <summary>Go-live would fail or be unsafe: the doctor exits 1.</summary>
    Fail,

    /// <summary>Not run, and why (no --service; a check that needs what an earlier one could not get).</summary>
    Skipped,
}

/// <summary>One check's result: the line <c>verdict TAB check TAB what was found[: the fix]</c>.</summary>
internal sealed record Finding(Verdict Verdict, string Check, string Text)
{
    public static Finding Ok(string check, string text) => new(Verdict.Ok, check, text);

    public static Finding Warning(string check, string text) => new(Verdict.Warning, check, text);

    public static Finding Fail(string check, string text) => new(Verdict.Fail, check, text);

    public static Finding Skipped(string check, string text) => new(Verdict.Skipped, check, text);

    public string Line => $"{Verdict switch
    {
        Verdict.Ok => "ok",
        Verdict.Warning => "warning",
        Verdict.Fail => "FAIL",
        _ => "skipped",
    }}\t{Check}\t{TabText.Field(Text)}";
}
