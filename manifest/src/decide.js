// The send-time decision, made in the client from the policy snapshot the service gave earlier
// (POST /api/v1/policy/me), because Smart Alerts allows a few seconds and token acquisition in launch events is
// unreliable. The rule is the service's: mail may go at t when t is inside an open interval of the sender's policy
// (closures already cut out) and inside an interval of every recipient whose hours the snapshot knows. Otherwise it
// is held until the earliest such instant. The service decides again, authoritatively, when it is asked to hold.

/** Parses the service's snapshot (ISO instants) into millisecond intervals once, when it is cached. */
export function compileSnapshot(body) {
  const intervals = (list) => (list ?? []).map((i) => ({ start: Date.parse(i.start), end: Date.parse(i.end) }));
  const people = {};
  for (const [address, list] of Object.entries(body.people ?? {})) {
    people[address.toLowerCase()] = intervals(list);
  }

  return {
    department: body.department ?? null,
    timeZone: body.timeZone,
    generatedAt: Date.parse(body.generatedAt),
    validUntil: Date.parse(body.validUntil),
    open: intervals(body.open),
    closures: body.closures ?? [],
    people,
  };
}

/**
 * May the mail go at `at` (ms)? Returns { decision: "send" | "hold" | "unknown", releaseAt (ms or null), reasons }.
 * "unknown" when `at` lies outside what the snapshot covers: the caller must not guess.
 */
export function decide(snapshot, instant, recipients = []) {
  // A device clock a little behind the service's would fall before the snapshot began: its start stands in for it.
  const at = snapshot ? Math.max(instant, snapshot.generatedAt) : instant;
  if (!snapshot || at >= snapshot.validUntil) {
    return { decision: "unknown", releaseAt: null, reasons: [] };
  }

  const known = [...new Set(recipients.map((r) => r.toLowerCase()))]
    .filter((r) => snapshot.people[r])
    .map((r) => snapshot.people[r]);
  const mayGo = (t) => contains(snapshot.open, t) && known.every((hours) => contains(hours, t));
  // The earliest instant inside every set of intervals is `at` itself or the start of one of them.
  const starts = [snapshot.open, ...known].flat().map((i) => i.start).filter((s) => s > at).sort((a, b) => a - b);
  let releaseAt = mayGo(at) ? at : starts.find(mayGo) ?? null;
  if (releaseAt === null) {
    // Hours that never meet the policy's (a night-float resident): like the service, the policy alone decides when,
    // still counting the recipient as the reason when it holds.
    releaseAt = contains(snapshot.open, at) ? at : snapshot.open.find((i) => i.start > at)?.start ?? null;
  }

  if (releaseAt === at) {
    return { decision: "send", releaseAt: null, reasons: [] };
  }

  return releaseAt === null
    ? { decision: "unknown", releaseAt: null, reasons: [] }
    : { decision: "hold", releaseAt, reasons: reasonsAt(snapshot, at, known) };
}

function contains(intervals, t) {
  return intervals.some((i) => i.start <= t && t < i.end);
}

// The service's reasons, as far as a snapshot can tell them: it knows the policy's open intervals and closures
// but not its working days, which it infers from the weekdays on which the policy opens.
function reasonsAt(snapshot, at, known) {
  const reasons = [];
  if (!contains(snapshot.open, at)) {
    const local = localParts(at, snapshot.timeZone);
    const closure = snapshot.closures.find((c) => c.date === local.date && (!c.closedFrom || c.closedFrom.slice(0, 5) <= local.time));
    if (closure) {
      reasons.push("holiday");
    } else {
      const workingDay = snapshot.open.some((i) => localParts(i.start, snapshot.timeZone).weekday === local.weekday);
      reasons.push(workingDay ? "after-hours" : "weekend");
    }
  }

  if (known.some((hours) => !contains(hours, at))) {
    reasons.push("recipient-off-hours");
  }

  return reasons;
}

const partsFormats = new Map();

/** The local date (yyyy-mm-dd), time (HH:mm) and weekday of an instant in an IANA zone. */
export function localParts(at, timeZone) {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      weekday: "short", hourCycle: "h23",
    });
    partsFormats.set(timeZone, format);
  }

  const p = Object.fromEntries(format.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, weekday: p.weekday };
}

/** "Mon 7 Dec at 07:00" in the policy's zone: how the add-in tells faculty when held mail will go. */
export function formatReleaseAt(at, timeZone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} at ${p.hour}:${p.minute}`;
}
