using System.Collections.Concurrent;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Reporting;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.GraphSandbox.Limits;

/// <summary>
/// Graph's and Exchange Online's per-mailbox limits: concurrent requests, requests per window (sliding log), sends per
/// window, and the Retry-After windows the sandbox has handed out. All times come from the injected clock.
/// </summary>
internal sealed class MailboxLimits(IOptions<SandboxOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, MailboxWindow> _mailboxes = new(StringComparer.OrdinalIgnoreCase);

    private SandboxLimitOptions Limits => options.Value.Limits;

    public bool Enabled => Limits.Enabled;

    public int MaxRecipientsPerMessage => Limits.MaxRecipientsPerMessage;

    /// <summary>
    /// Lets a request in, or says which limit it broke and how long to wait. A request inside a Retry-After window is
    /// refused whether or not limits are enabled: the window may come from an injected 429.
    /// </summary>
    public Admission Admit(string mailboxId, bool isSend)
    {
        var window = _mailboxes.GetOrAdd(mailboxId, _ => new MailboxWindow());
        var now = clock.GetUtcNow();
        lock (window.Gate)
        {
            if (now < window.RetryUntil)
            {
                // Requests the client had already sent when the 429 reached it cannot be recalled: they are refused
                // like any other, but only one sent after the client had the 429 (plus a grace) ignored it.
                var ignored = window.DeliveredAt >= window.OpenedAt && now >= window.DeliveredAt + Limits.RetryAfterGrace;
                return Admission.Refused(ignored ? ViolationKind.RetryAfterIgnored : null, window.RetryUntil - now);
            }

            if (Limits.Enabled)
            {
                if (window.InFlight >= Limits.MaxConcurrentRequests)
                {
                    return Refuse(window, ViolationKind.Concurrency, Limits.ConcurrencyRetryAfter, now);
                }

                Trim(window.Requests, now - Limits.RequestWindow);
                if (window.Requests.Count >= Limits.RequestsPerWindow)
                {
                    return Refuse(window, ViolationKind.RequestRate, window.Requests[0] + Limits.RequestWindow - now, now);
                }

                Trim(window.Sends, now - Limits.SendWindow);
                if (isSend && window.Sends.Count >= Limits.SendsPerWindow)
                {
                    return Refuse(window, ViolationKind.SendRate, window.Sends[0] + Limits.SendWindow - now, now);
                }

                window.Requests.Add(now);
                if (isSend)
                {
                    // Reserved now so concurrent sends cannot all pass at 29; given back if the send fails.
                    window.Sends.Add(now);
                }
            }

            window.InFlight++;
            return Admission.Admitted(now);
        }
    }

    /// <summary>Ends an admitted request; a send that did not go (any status but 202) gives its reservation back.</summary>
    public void Leave(string mailboxId, Admission admission, bool isSend, bool sent)
    {
        var window = _mailboxes[mailboxId];
        lock (window.Gate)
        {
            window.InFlight--;
            if (isSend && !sent && Limits.Enabled)
            {
                window.Sends.Remove(admission.At);
            }
        }
    }

    /// <summary>Opens (or extends) a Retry-After window; requests inside it are refused.</summary>
    public void OpenRetryWindow(string mailboxId, TimeSpan retryAfter)
    {
        var window = _mailboxes.GetOrAdd(mailboxId, _ => new MailboxWindow());
        var now = clock.GetUtcNow();
        lock (window.Gate)
        {
            Open(window, now + retryAfter, now);
        }
    }

    /// <summary>The 429 that opened the mailbox's window has reached the client: from now on it knows.</summary>
    public void RetryWindowDelivered(string mailboxId)
    {
        if (_mailboxes.TryGetValue(mailboxId, out var window))
        {
            lock (window.Gate)
            {
                window.DeliveredAt = clock.GetUtcNow();
            }
        }
    }

    public int InFlight(string mailboxId) =>
        _mailboxes.TryGetValue(mailboxId, out var window) ? Volatile.Read(ref window.InFlight) : 0;

    /// <summary>Retry-After is whole seconds, rounded up, so a client that waits exactly that long is never early.</summary>
    public static int RetryAfterSeconds(TimeSpan wait) => wait <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(wait.TotalSeconds);

    private static Admission Refuse(MailboxWindow window, ViolationKind kind, TimeSpan wait, DateTimeOffset now)
    {
        var seconds = Math.Max(1, RetryAfterSeconds(wait));
        Open(window, now + TimeSpan.FromSeconds(seconds), now);
        return Admission.Refused(kind, TimeSpan.FromSeconds(seconds), opensWindow: true);
    }

    private static void Open(MailboxWindow window, DateTimeOffset until, DateTimeOffset now)
    {
        window.RetryUntil = until > window.RetryUntil ? until : window.RetryUntil;
        window.OpenedAt = now;
    }

    private static void Trim(List<DateTimeOffset> log, DateTimeOffset before)
    {
        var expired = 0;
        while (expired < log.Count && log[expired] <= before)
        {
            expired++;
        }

        log.RemoveRange(0, expired);
    }

    private sealed class MailboxWindow
    {
        public readonly Lock Gate = new();
        public readonly List<DateTimeOffset> Requests = [];
        public readonly List<DateTimeOffset> Sends = [];
        public int InFlight;
        public DateTimeOffset RetryUntil = DateTimeOffset.MinValue;

        // When the last window-opening 429 was decided and when it was delivered (response completed).
        public DateTimeOffset OpenedAt = DateTimeOffset.MinValue;
        public DateTimeOffset DeliveredAt = DateTimeOffset.MinValue;
    }
}

/// <param name="Violation">Null when a refusal is not the client's fault (a request already on its way).</param>
/// <param name="OpensWindow">The refusal opened a Retry-After window: report its delivery with
/// <see cref="MailboxLimits.RetryWindowDelivered"/>.</param>
internal readonly record struct Admission(bool IsAdmitted, ViolationKind? Violation, TimeSpan RetryAfter, DateTimeOffset At, bool OpensWindow)
{
    public static Admission Admitted(DateTimeOffset at) => new(true, null, TimeSpan.Zero, at, false);

    public static Admission Refused(ViolationKind? violation, TimeSpan retryAfter, bool opensWindow = false) =>
        new(false, violation, retryAfter, default, opensWindow);
}
