using BoundaryGuard.Cli.Doctor;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.Service.Scheduling;
using static BoundaryGuard.Cli.Tests.Doctor.DoctorDeployment;

namespace BoundaryGuard.Cli.Tests.Doctor;

/// <summary>
/// <c>boundaryguard doctor</c> run as IT runs it, against a tenant (the sandbox) and a deployment that are right except
/// for what each test spoils. Each line is <c>verdict TAB check TAB finding</c>.
/// </summary>
public sealed class DoctorTests
{
    private static readonly string[] Checks =
        ["configuration", "graph-token", "permissions", "mailbox-scope", "mailboxes", "addin-files", "database", "clock"];

    [Test]
    public async Task Doctor_CorrectTenant_EveryCheckOkAndExitZero()
    {
        await using var deployment = await StartAsync();

        var (exit, output, error) = await deployment.RunAsync(deployment.Everything());

        Assert.That(Lines(output).Select(l => (l.Verdict, l.Check)), Is.EqualTo(Checks.Select(c => ("ok", c))), output);
        Assert.That((exit, error), Is.EqualTo((0, "")));
    }

    [Test]
    public async Task Doctor_AnyRun_PrintsNoSecretTokenOrAddress()
    {
        await using var deployment = await StartAsync(tenant => tenant.MailboxScope.Clear());
        deployment.Settings["SendLater"]!["Mailboxes"]!.AsArray().Add("left.last.year@med.example.edu");

        var (_, output, error) = await deployment.RunAsync(deployment.Everything());

        Assert.That(output + error, Does.Not.Contain(Secret).And.Not.Contain("eyJ").And.Not.Contain("@"));
    }

    [Test]
    public async Task Doctor_ExcessPermissions_WarnsNamingThemAndExitsZero()
    {
        await using var deployment = await StartAsync(tenant => tenant.ApplicationPermissions = [.. GraphChecks.RequiredPermissions, "Mail.Send", "Directory.Read.All"]);

        var (exit, output, _) = await deployment.RunAsync(deployment.Everything());

        var permissions = Line(output, "permissions");
        Assert.That(permissions.Verdict, Is.EqualTo("warning"));
        Assert.That(permissions.Text, Does.Contain("Mail.Send, Directory.Read.All").And.Contain("least privilege"));
        Assert.That(permissions.Text, Does.Contain("Mail.Send granted in Entra ID reach every mailbox whatever the RBAC scope"));
        Assert.That(Lines(output).Where(l => l.Check != "permissions").Select(l => l.Verdict), Is.All.EqualTo("ok"));
        Assert.That(exit, Is.Zero);
    }

    [Test]
    public async Task Doctor_MissingPermission_FailsNamingIt()
    {
        // The mailbox permissions granted tenant-wide instead of the directory read the service needs.
        await using var deployment = await StartAsync(tenant => tenant.ApplicationPermissions = ["Mail.ReadWrite", "Mail.Send"]);

        var (exit, output, _) = await deployment.RunAsync(deployment.Everything());

        var permissions = Line(output, "permissions");
        Assert.That((permissions.Verdict, exit), Is.EqualTo(("FAIL", 1)));
        Assert.That(permissions.Text, Does.StartWith("the token lacks User.Read.All:"));
    }

    [Test]
    public async Task Doctor_NoRbacScope_FailsSayingTheApplicationReachesEveryMailbox()
    {
        await using var deployment = await StartAsync(tenant => tenant.MailboxScope.Clear());

        var (exit, output, _) = await deployment.RunAsync(deployment.Everything());

        var scope = Line(output, "mailbox-scope");
        Assert.That((scope.Verdict, exit), Is.EqualTo(("FAIL", 1)));
        Assert.That(scope.Text, Does.Contain("the application reaches every mailbox: scope it with RBAC for Applications"));
    }

    [Test]
    public async Task Doctor_MailboxNotInTheDirectory_FailsNamingTheSettingNotTheAddress()
    {
        await using var deployment = await StartAsync();
        deployment.Settings["SendLater"]!["Mailboxes"]!.AsArray().Add("left.last.year@med.example.edu");

        var (exit, output, _) = await deployment.RunAsync(deployment.Everything());

        var mailboxes = Line(output, "mailboxes");
        Assert.That((mailboxes.Verdict, exit), Is.EqualTo(("FAIL", 1)));
        Assert.That(mailboxes.Text, Does.StartWith("SendLater:Mailboxes:2 is not in the directory (404 "));
    }

    [Test]
    public async Task Doctor_DigestSenderOutsideTheScope_FailsNamingIt()
    {
        await using var deployment = await StartAsync();
        deployment.Settings["Scorecard"]!["DigestSender"] = OutOfScope.UserPrincipalName;

        var (_, output, _) = await deployment.RunAsync(deployment.Everything());

        Assert.That(Line(output, "mailboxes").Text,
            Does.StartWith("Scorecard:DigestSender is outside the application's scope (403 ErrorAccessDenied)"));
    }

    [Test]
    public async Task Doctor_StaleSchema_FailsNamingTheMigrationNotApplied()
    {
        await using var deployment = await StartAsync();
        deployment.ForgetLatestMigration();
        var latest = SchemaMigrator.Migrations(SchedulingProvider.Sqlite)[^1];

        var (exit, output, _) = await deployment.RunAsync(deployment.Everything());

        var database = Line(output, "database");
        Assert.That((database.Verdict, exit), Is.EqualTo(("FAIL", 1)));
        Assert.That(database.Text, Does.Contain($"1 of {latest.Version} migrations not applied ({latest.Name})").And.Contain("the doctor never migrates"));
    }

    [Test]
    public async Task Doctor_NoDatabaseFile_FailsAndCreatesNone()
    {
        await using var deployment = await StartAsync();
        var missing = Path.Combine(Path.GetDirectoryName(deployment.DatabasePath)!, $"{Guid.NewGuid():N}.db");
        deployment.Settings["Scheduling"]!["ConnectionString"] = $"Data Source={missing}";

        var (_, output, _) = await deployment.RunAsync(deployment.Everything());

        Assert.That(Line(output, "database").Verdict, Is.EqualTo("FAIL"));
        Assert.That(File.Exists(missing), Is.False);
    }

    [Test]
    public async Task Doctor_MissingSetting_FailsNamingItAndSkipsWhatNeedsGraph()
    {
        await using var deployment = await StartAsync();
        deployment.Settings["Graph"]!.AsObject().Remove("ClientId");

        var (exit, output, _) = await deployment.RunAsync(deployment.Everything());

        var lines = Lines(output);
        Assert.That(lines.Select(l => l.Check), Is.EqualTo(Checks));
        Assert.That(lines[0].Verdict, Is.EqualTo("FAIL"));
        Assert.That(lines[0].Text, Does.Contain("Graph:ClientId"));
        Assert.That(lines.Where(l => l.Check is "graph-token" or "permissions" or "mailbox-scope" or "mailboxes" or "clock").Select(l => l.Verdict),
            Is.All.EqualTo("skipped"));
        Assert.That(exit, Is.EqualTo(1));
    }

    [Test]
    public async Task Doctor_WrongSecret_FailsTheTokenAndSkipsWhatNeedsIt()
    {
        await using var deployment = await StartAsync(tenant =>
        {
            tenant.Clients.Clear();
            tenant.Clients.Add(new SandboxClient { ClientId = "boundaryguard", ClientSecret = "rotated-secret" });
        });

        var (exit, output, _) = await deployment.RunAsync(deployment.Everything());

        Assert.That(Line(output, "graph-token").Verdict, Is.EqualTo("FAIL"));
        Assert.That(Line(output, "permissions").Verdict, Is.EqualTo("skipped"));
        Assert.That(Line(output, "clock").Verdict, Is.EqualTo("ok"));
        Assert.That(exit, Is.EqualTo(1));
    }

    [Test]
    public async Task Doctor_NoServiceOrScopeOptions_SkipsAndWarnsButExitsZero()
    {
        await using var deployment = await StartAsync();

        var (exit, output, _) = await deployment.RunAsync();

        Assert.That(Line(output, "addin-files").Verdict, Is.EqualTo("skipped"));
        Assert.That(Line(output, "mailbox-scope"), Is.EqualTo(("warning", "mailbox-scope",
            "not checked: give --in-scope and --out-of-scope (a faculty mailbox, and one the application must not reach) to prove RBAC for Applications is in force")));
        Assert.That(exit, Is.Zero);
    }

    [Test]
    public async Task Doctor_GraphClockFiveMinutesAhead_FailsTheClock()
    {
        await using var deployment = await StartAsync(graphClock: new ShiftedClock(TimeSpan.FromMinutes(5)));

        var (exit, output, _) = await deployment.RunAsync(deployment.Everything());

        var clock = Line(output, "clock");
        Assert.That((clock.Verdict, exit), Is.EqualTo(("FAIL", 1)));
        Assert.That(clock.Text, Does.Match(@"^this machine's clock is (299|300) s behind Graph's: synchronise it"), "Date has whole seconds");
    }

    [Test]
    public async Task Doctor_ServiceWithoutTheAddin_FailsNamingWhatIsMissing()
    {
        await using var deployment = await StartAsync();

        // The sandbox serves none of the add-in's files.
        var (_, output, _) = await deployment.RunAsync([.. deployment.Everything()[..4], "--service", deployment.Sandbox.BaseUrl.ToString()]);

        var addin = Line(output, "addin-files");
        Assert.That(addin.Verdict, Is.EqualTo("FAIL"));
        Assert.That(addin.Text, Does.StartWith("the well-known file at /.well-known/microsoft-officeaddins-allowed.json answers 404"));
    }

    [Test]
    public async Task Doctor_PlainHttpServiceElsewhere_Fails()
    {
        await using var deployment = await StartAsync();

        var (_, output, _) = await deployment.RunAsync("--service", "http://addin.example.edu/");

        Assert.That(Line(output, "addin-files"), Is.EqualTo(("FAIL", "addin-files",
            "--service is plain HTTP: Outlook loads add-ins only over HTTPS; serve the service over HTTPS")));
    }

    [Test]
    public void Doctor_SettingsFileMissing_ExitsTwoNamingIt()
    {
        var (exit, output, error) = CliRunner.Run("doctor", "--settings", "nowhere.json");

        Assert.That((exit, output, error), Is.EqualTo((2, "", "nowhere.json: file not found\n")));
    }

    [Test]
    public void Doctor_SettingsNotJson_ExitsTwoNamingItWithoutQuotingIt()
    {
        var file = CliRunner.TempFile("{ \"Graph\": { \"ClientSecret\": \"hush\" ");

        var (exit, output, error) = CliRunner.Run("doctor", "--settings", file);

        Assert.That((exit, output, error), Is.EqualTo((2, "", $"--settings: {file}: not valid JSON\n")));
    }

    /// <summary>The system clock, moved: Graph's clock as a machine whose own is off sees it.</summary>
    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    private static (string Verdict, string Check, string Text) Line(string output, string check) =>
        Lines(output).Single(l => l.Check == check);

    private static List<(string Verdict, string Check, string Text)> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')).Select(f => (f[0], f[1], f[2]))];
}
