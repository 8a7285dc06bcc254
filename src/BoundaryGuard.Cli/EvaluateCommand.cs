using System.Buffers;
using System.Text.Json;
using BoundaryGuard.Core;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using NodaTime;

namespace BoundaryGuard.Cli;

/// <summary><c>evaluate</c>: one decision for <c>--at</c>, or one per line of <c>--batch</c>.</summary>
internal static class EvaluateCommand
{
    public static readonly string[] Options = ["--policy", "--at", "--to*", "--batch"];

    public static int Run(Arguments args, Stream output)
    {
        var at = args.Optional("--at");
        var batch = args.Optional("--batch");
        if ((at is null) == (batch is null))
        {
            throw new PolicyException("give either --at INSTANT or --batch FILE.jsonl");
        }

        if (batch is not null && args.All("--to").Count > 0)
        {
            throw new PolicyException("--to: not used with --batch (each line carries its own \"to\")");
        }

        var policy = PolicyFile.Load(args.Required("--policy"));

        // Everything is written to memory first so that bad input anywhere prints no partial result.
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (at is not null)
            {
                var instant = InstantText.Parse(at, "--at");
                var recipients = args.All("--to")
                    .Select(a => policy.TryGetPerson(a, out var hours) ? hours : null)
                    .OfType<WorkingHours>()
                    .ToArray();
                var decision = policy.Evaluate(instant, recipients);
                Write(writer, buffer, policy, decision.Kind == DecisionKind.NoCommonTime ? throw new PolicyException($"--at: {NoCommonTime}") : decision);
            }
            else
            {
                BatchFile.Evaluate(policy, batch!, decision => Write(writer, buffer, policy, decision));
            }
        }

        output.Write(buffer.WrittenSpan);
        output.Flush();
        return 0;
    }

    public const string NoCommonTime =
        "no time in the next year is inside the working hours of the policy and of every recipient";

    private static void Write(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, BoundaryPolicy policy, Decision decision)
    {
        DecisionJson.Write(writer, decision, policy.Zone);
        writer.Reset();
        buffer.Write("\n"u8);
    }
}
