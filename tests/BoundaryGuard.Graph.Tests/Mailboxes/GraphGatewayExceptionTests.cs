using System.Text.Json;
using Microsoft.Graph.Models.ODataErrors;

namespace BoundaryGuard.Graph.Tests.Mailboxes;

public class GraphGatewayExceptionTests
{
    // Graph's documented error bodies and one observed one; Graph's message text must not reach ours.
    [TestCase("error-404-ErrorItemNotFound.observed.json", 404, GraphErrorKind.NotFound)]
    [TestCase("error-ErrorNonExistentMailbox.response.json", 404, GraphErrorKind.NotFound)]
    [TestCase("error-403-ErrorAccessDenied-applicationaccesspolicy.response.json", 403, GraphErrorKind.AccessDenied)]
    [TestCase("error-403-ErrorSendAsDenied.response.json", 403, GraphErrorKind.AccessDenied)]
    [TestCase("error-429-TooManyRequests.response.json", 429, GraphErrorKind.Throttled)]
    [TestCase("message-create-draft-mime.error-400.response.json", 400, GraphErrorKind.Rejected)]
    public void From_DocumentedGraphError_TranslatesWithoutGraphsText(string file, int status, GraphErrorKind kind)
    {
        using var body = JsonDocument.Parse(File.ReadAllText(SharedCorpus.Graph(file)));
        var error = body.RootElement.GetProperty("error");
        var graphMessage = error.GetProperty("message").GetString()!;
        var odata = new ODataError
        {
            ResponseStatusCode = status,
            Error = new MainError { Code = error.GetProperty("code").GetString(), Message = graphMessage },
        };

        var translated = GraphGatewayException.From(odata, "send draft");

        Assert.That(translated.Kind, Is.EqualTo(kind));
        Assert.That(translated.Message, Does.StartWith("send draft: "));
        Assert.That(translated.Message, Does.Not.Contain(graphMessage));
    }

    [Test]
    public void From_ConnectionLost_IsTransient()
    {
        Assert.That(GraphGatewayException.From(new HttpRequestException("reset"), "send draft").Kind, Is.EqualTo(GraphErrorKind.Transient));
    }
}
