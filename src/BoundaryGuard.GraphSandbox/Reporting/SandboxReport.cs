using System.Text.Json.Nodes;

namespace BoundaryGuard.GraphSandbox.Reporting;

/// <summary>What a client did wrong, by kind. Each counts one request.</summary>
internal enum ViolationKind
{
    /// <summary>A fifth request while four were in flight for the mailbox.</summary>
    Concurrency,

    /// <summary>Over 10,000 requests in 10 minutes for the mailbox.</summary>
    RequestRate,

    /// <summary>Over 30 sends in a minute for the mailbox.</summary>
    SendRate,

    /// <summary>A send with more than 500 recipients.</summary>
    RecipientsPerMessage,

    /// <summary>A request while the mailbox was inside a Retry-After window the sandbox had given (limit or injected 429).</summary>
    RetryAfterIgnored,
}

/// <summary>
/// The counters behind <c>GET /sandbox/report</c>: how well a client behaved (violations, requests without the
/// immutable-id preference) and what the sandbox did to it (429s, 503s, lost responses). Per mailbox by user id.
/// </summary>
internal sealed class SandboxReport
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ViolationKind, long> _violations = [];
    private readonly Dictionary<string, MailboxCounters> _mailboxes = new(StringComparer.OrdinalIgnoreCase);
    private long _total;
    private long _withoutImmutableId;
    private long _unauthorized;
    private long _sends;
    private long _limitThrottled;
    private long _injectedThrottled;
    private long _injectedUnavailable;
    private long _lostResponses;

    public void RecordRequest(bool hasImmutableIdPreference)
    {
        lock (_gate)
        {
            _total++;
            _withoutImmutableId += hasImmutableIdPreference ? 0 : 1;
        }
    }

    public void RecordMailboxRequest(string mailboxId)
    {
        lock (_gate)
        {
            Mailbox(mailboxId).Requests++;
        }
    }

    public void RecordUnauthorized()
    {
        lock (_gate)
        {
            _unauthorized++;
        }
    }

    public void RecordViolation(ViolationKind kind, string mailboxId)
    {
        lock (_gate)
        {
            _violations[kind] = _violations.GetValueOrDefault(kind) + 1;
            var counters = Mailbox(mailboxId);
            counters.Violations[kind] = counters.Violations.GetValueOrDefault(kind) + 1;
        }
    }

    public void RecordThrottled(bool injected)
    {
        lock (_gate)
        {
            if (injected)
            {
                _injectedThrottled++;
            }
            else
            {
                _limitThrottled++;
            }
        }
    }

    public void RecordUnavailable()
    {
        lock (_gate)
        {
            _injectedUnavailable++;
        }
    }

    public void RecordLostResponse()
    {
        lock (_gate)
        {
            _lostResponses++;
        }
    }

    public void RecordSend(string mailboxId)
    {
        lock (_gate)
        {
            _sends++;
            Mailbox(mailboxId).Sends++;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _violations.Clear();
            _mailboxes.Clear();
            _total = _withoutImmutableId = _unauthorized = _sends = 0;
            _limitThrottled = _injectedThrottled = _injectedUnavailable = _lostResponses = 0;
        }
    }

    public JsonObject Snapshot(Func<string, int> inFlight)
    {
        lock (_gate)
        {
            var mailboxes = new JsonObject();
            foreach (var (id, counters) in _mailboxes.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                mailboxes[id] = new JsonObject
                {
                    ["requests"] = counters.Requests,
                    ["sends"] = counters.Sends,
                    ["inFlight"] = inFlight(id),
                    ["violations"] = Violations(counters.Violations),
                };
            }

            return new JsonObject
            {
                ["totalRequests"] = _total,
                ["requestsWithoutImmutableId"] = _withoutImmutableId,
                ["unauthorized"] = _unauthorized,
                ["sends"] = _sends,
                ["violations"] = Violations(_violations),
                ["throttled"] = new JsonObject { ["limit"] = _limitThrottled, ["injected"] = _injectedThrottled },
                ["unavailableInjected"] = _injectedUnavailable,
                ["lostResponses"] = _lostResponses,
                ["mailboxes"] = mailboxes,
            };
        }
    }

    private static JsonObject Violations(Dictionary<ViolationKind, long> counts)
    {
        var json = new JsonObject { ["total"] = counts.Values.Sum() };
        foreach (var kind in Enum.GetValues<ViolationKind>())
        {
            json[JsonNamingPolicyCamel(kind.ToString())] = counts.GetValueOrDefault(kind);
        }

        return json;
    }

    private static string JsonNamingPolicyCamel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private MailboxCounters Mailbox(string id)
    {
        if (!_mailboxes.TryGetValue(id, out var counters))
        {
            counters = new MailboxCounters();
            _mailboxes[id] = counters;
        }

        return counters;
    }

    private sealed class MailboxCounters
    {
        public long Requests { get; set; }
        public long Sends { get; set; }
        public Dictionary<ViolationKind, long> Violations { get; } = [];
    }
}
