using static BoundaryGuard.Tests.CliRunner;

namespace BoundaryGuard.Cli.Tests;

public class EvaluateCommandTests
{
    [TestCase("2026-12-02T10:00:00-05:00", """{"decision":"send","releaseAt":null,"reasons":[]}""")]
    [TestCase("2026-12-04T23:40:00-05:00", """{"decision":"hold","releaseAt":"2026-12-07T07:00:00-05:00","reasons":["after-hours"]}""")]
    [TestCase("2026-12-05T15:00:00Z", """{"decision":"hold","releaseAt":"2026-12-07T07:00:00-05:00","reasons":["weekend"]}""")]
    [TestCase("2026-11-26T12:00:00-05:00", """{"decision":"hold","releaseAt":"2026-11-30T07:00:00-05:00","reasons":["holiday"]}""")]
    [TestCase("2026-12-24T13:00:00-05:00", """{"decision":"hold","releaseAt":"2027-01-04T07:00:00-05:00","reasons":["holiday"]}""")]
    [TestCase("2026-12-24T11:00:00-05:00", """{"decision":"send","releaseAt":null,"reasons":[]}""")]
    public void Evaluate_ExamplePolicy_PrintsTheContractJson(string at, string expected)
    {
        var (exit, output, error) = Run("evaluate", "--policy", ExamplePolicy, "--at", at);

        Assert.That(error, Is.Empty);
        Assert.That(exit, Is.Zero);
        Assert.That(output, Is.EqualTo(expected + "\n"));
    }

    [Test]
    public void Evaluate_RecipientInLondonAfterTheirDay_HoldsForTheirMorning()
    {
        var (exit, output, _) = Run("evaluate", "--policy", ExamplePolicy, "--at", "2026-12-02T14:00:00-05:00",
            "--to", "Visiting.Fellow@med.example.edu", "--to", "someone.unlisted@med.example.edu");

        Assert.That(exit, Is.Zero);
        Assert.That(output, Is.EqualTo("""{"decision":"hold","releaseAt":"2026-12-03T07:00:00-05:00","reasons":["recipient-off-hours"]}""" + "\n"));
    }

    [Test]
    public void EvaluateBatch_LinesInOrder_PrintsOneResultPerLineSkippingBlankLines()
    {
        var batch = TempFile(
            "{\"at\":\"2026-12-02T10:00:00-05:00\"}\r\n\n" +
            "{\"at\":\"2026-12-04T23:40:00-05:00\",\"to\":[]}\n" +
            "{\"to\":[\"night.float@med.example.edu\"],\"at\":\"2026-12-02T10:00:00-05:00\"}",
            ".jsonl");

        var (exit, output, error) = Run("evaluate", "--policy", ExamplePolicy, "--batch", batch);

        Assert.That(error, Is.Empty);
        Assert.That(exit, Is.Zero);
        Assert.That(output.Split('\n'), Is.EqualTo(new[]
        {
            """{"decision":"send","releaseAt":null,"reasons":[]}""",
            """{"decision":"hold","releaseAt":"2026-12-07T07:00:00-05:00","reasons":["after-hours"]}""",
            """{"decision":"hold","releaseAt":"2026-12-02T17:00:00-05:00","reasons":["recipient-off-hours"]}""",
            string.Empty,
        }));
    }

    [Test]
    public void EvaluateBatch_BadLine_PrintsNothingAndNamesTheLine()
    {
        var batch = TempFile("{\"at\":\"2026-12-02T10:00:00-05:00\"}\n{\"at\":\"2026-12-02T10:00:00\"}\n", ".jsonl");

        var (exit, output, error) = Run("evaluate", "--policy", ExamplePolicy, "--batch", batch);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo($"{batch} line 2: at: '2026-12-02T10:00:00' has no offset (add Z or an offset such as -05:00)\n"));
    }

    [TestCase("{\"at\":\"2026-12-02T10:00:00Z\",\"cc\":[]}", "cc: unknown property")]
    [TestCase("{\"at\":\"2026-12-02T10:00:00Z\"", "not valid JSON")]
    [TestCase("[1]", "expected an object")]
    [TestCase("{\"to\":[]}", "at is missing")]
    [TestCase("{\"at\":5}", "at: expected a string")]
    [TestCase("{\"at\":\"2026-12-02T10:00:00Z\",\"to\":\"a@b\"}", "to: expected an array")]
    public void EvaluateBatch_MalformedLine_ExitsTwoNamingLineAndField(string line, string expected)
    {
        var batch = TempFile(line + "\n", ".jsonl");

        var (exit, output, error) = Run("evaluate", "--policy", ExamplePolicy, "--batch", batch);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith($"{batch} line 1: ").And.Contain(expected));
    }
}
