using System.Net;
using System.Net.Sockets;
using static BoundaryGuard.Tests.CliRunner;

namespace BoundaryGuard.Cli.Tests;

/// <summary>
/// What <c>calendars</c> does without a service to talk to; against the running service it is tested in the service's
/// tests (<c>CalendarsCliTests</c>).
/// </summary>
public class CalendarsCommandTests
{
    [Test]
    public void List_NothingListeningAtTheService_ExitsOneWithOneLine()
    {
        // A port that was free a moment ago: nothing answers there.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, output, error) = Run("calendars", "list", "--service", $"http://127.0.0.1:{port}", "--token", "t");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith($"boundaryguard failed: cannot reach the service at http://127.0.0.1:{port}/: "));
        Assert.That(error.TrimEnd('\n'), Does.Not.Contain('\n'));
    }

    [Test]
    public void Import_EmptyFile_ExitsTwoNamingIt()
    {
        var file = TempFile("", ".ics");

        var (exit, output, error) = Run("calendars", "import", "--service", "http://127.0.0.1:9", "--token", "t", "--calendar", "main", file);

        Assert.That((exit, output, error), Is.EqualTo((2, "", $"{file}: the file is empty\n")));
    }

    [Test]
    public void Help_Asked_ListsTheCalendarsCommandsAndTheTokenVariable()
    {
        var (exit, output, _) = Run("--help");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Does.Contain("boundaryguard calendars import --service URL --calendar ID FILE.ics").And.Contain("BOUNDARYGUARD_TOKEN"));
    }
}
