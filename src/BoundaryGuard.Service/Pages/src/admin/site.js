// What every admin page shares beyond common.js: the site's name and sign-in words, the header (IT's pages, and the
// 403 page for anyone else), the error texts, how calendars' closures, working hours and times read, and the small
// pieces of a form: its error and status lines and a button that is busy while the service answers.
import { ApiError, h, renderHeader, requireSession, roles, showErrorPage } from "./common.js";

export const site = {
  name: "Admin",
  navLabel: "Admin pages",
  signIn: {
    title: "Sign in to BoundaryGuard's admin pages",
    continue: "Continue to the admin pages",
    demo: "Pick a person: the IT administrator manages calendars and departments here; anyone else is shown that these pages are IT's.",
    notSetUp: "Sign-in to the admin pages is not set up on this service.",
    note: (personRoles) => (personRoles.includes(roles.itAdmin) ? "manages calendars and departments" : ""),
  },
};

const errors = {
  403: ["These pages are for IT administrators",
    "Calendars, department policies and the audit log are managed by IT (the role it-admin). Your scorecard is where you can see your own figures."],
  404: ["Not found", "The calendar in the address is not one BoundaryGuard has: it may have been deleted."],
  400: ["That can't be shown", ""],
  other: ["The page could not be loaded", "The service did not answer as expected. Try again in a moment."],
  home: ["./", "Go to the calendars"],
};

/**
 * Starts a page: the session (or the sign-in page) and the header. Anyone without the role it-admin gets the 403 page
 * here, before the page asks the API (which would refuse them too); the promise then never settles.
 */
export async function startPage(current) {
  const session = await requireSession();
  if (!session.roles.includes(roles.itAdmin)) {
    renderHeader(site, session, [{ href: "/scorecard/", label: "Scorecard", key: "scorecard" }], current);
    showErrorPage(new ApiError(403, null), { ...errors, home: ["/scorecard/", "Go to your scorecard"] });
    await new Promise(() => {});
  }
  renderHeader(site, session, [
    { href: "./", label: "Calendars", key: "calendars" },
    { href: "departments.html", label: "Departments", key: "departments" },
    { href: "exemptions.html", label: "Exemptions", key: "exemptions" },
    { href: "audit.html", label: "Audit log", key: "audit" },
    { href: "/scorecard/", label: "Scorecard", key: "scorecard" },
  ], current);
  return session;
}

/** A whole-page error: 403, 404 (no such calendar), or anything else the service or the network said. */
export function showError(error) {
  showErrorPage(error, errors);
}

/** What the service said was wrong (its ProblemDetails names the file, line or field), as one line. */
export function problemText(error) {
  if (error instanceof ApiError) return error.problem?.detail || error.problem?.title || error.message;
  return "The service could not be reached. Try again in a moment.";
}

/** A form's error line: empty and hidden until something goes wrong, then read out at once. */
export function errorLine(id) {
  return h("p", { id, class: "notice error form-error", role: "alert", hidden: true });
}

/** A status line for what a change did, read out politely. */
export function statusLine(id) {
  return h("p", { id, class: "notice form-status", role: "status", hidden: true });
}

export function say(line, text) {
  line.textContent = text ?? "";
  line.hidden = !text;
}

/**
 * Runs a change with its button busy; the error line shows what the service refused (and says nothing changed), or
 * clears on success. Returns the answer (true for one with no body), or undefined when refused.
 */
export async function change(button, errorOut, call) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  say(errorOut, "");
  try {
    return (await call()) ?? true;
  } catch (error) {
    const text = problemText(error);
    say(errorOut, `${text}${/[.!?]$/.test(text) ? "" : "."} Nothing was changed.`);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

const day = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const dayInMonth = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", timeZone: "UTC" });
const monthYear = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
const instant = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

function utcDate(date) {
  return new Date(`${date}T00:00:00Z`);
}

export const format = {
  /** "Fri, Dec 25, 2026" for 2026-12-25. */
  date: (date) => day.format(utcDate(date)),
  /** "Fri 25" within its month's list. */
  dayInMonth: (date) => dayInMonth.format(utcDate(date)),
  /** "December 2026" for any date in it. */
  month: (date) => monthYear.format(utcDate(date)),
  /** An instant from the API (audit, last change) in the reader's own time. */
  instant: (value) => (value ? instant.format(new Date(value)) : ""),
  /** Where a closure comes from, as IT put it there. */
  source(source) {
    if (source === "holidays") return "Entered by hand";
    if (source.startsWith("national:")) return `National holidays (${source.slice("national:".length)})`;
    if (source.startsWith("exchange:")) return `Exchange calendar ${source.slice("exchange:".length)}`;
    return `ICS file ${source}`;
  },
  /** "07:00" for "07:00:00.0000000". */
  time: (value) => (value ?? "").slice(0, 5),
  /** "Mon–Fri 07:00–19:00" for working hours in the policy file's shape. */
  hours(hours) {
    if (!hours) return "";
    const days = weekdays.map((d, i) => ((hours.daysOfWeek ?? []).map((x) => x.toLowerCase()).includes(d) ? i : -1)).filter((i) => i >= 0);
    const contiguous = days.length > 2 && days[days.length - 1] - days[0] === days.length - 1;
    const dayText = contiguous ? `${weekdayNames[days[0]]}–${weekdayNames[days[days.length - 1]]}` : days.map((i) => weekdayNames[i]).join(", ");
    const [start, end] = [format.time(hours.startTime), format.time(hours.endTime)];
    return `${dayText} ${start}–${end}${end <= start ? " (overnight)" : ""}`;
  },
};

export { weekdays, weekdayNames };

/** Each month the range touches, as its first day (yyyy-mm-01), in order. */
export function monthsBetween(from, to) {
  const months = [];
  const cursor = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  const last = utcDate(to);
  while (cursor <= last) {
    months.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}

/**
 * Which events of an ICS file close (the API's query names and the stored filter's): an event closes when it matches
 * any value of any "include" list (or there is none) and no value of an "exclude" list. Case is ignored.
 */
export const filterGroups = [
  {
    key: "include", legend: "Close only events that match one of these (leave all three empty for every event)",
    fields: [
      { query: "includeText", stored: "includeText", label: "Summary or description contains" },
      { query: "includeCategory", stored: "includeCategories", label: "Category is" },
      { query: "includeSummary", stored: "includeSummaries", label: "Summary is exactly" },
    ],
  },
  {
    key: "exclude", legend: "…but never events that match one of these",
    fields: [
      { query: "excludeText", stored: "excludeText", label: "Summary or description contains" },
      { query: "excludeCategory", stored: "excludeCategories", label: "Category is" },
      { query: "excludeSummary", stored: "excludeSummaries", label: "Summary is exactly" },
    ],
  },
];

/** A stored filter as one line: "include: summary or description contains “Federal Holiday”", or "every event". */
export function filterText(filter) {
  const parts = filterGroups.map((group) => {
    const terms = group.fields.flatMap((field) => (filter?.[field.stored] ?? []).map((value) => `${field.label.toLowerCase()} “${value}”`));
    return terms.length ? `${group.key}: ${terms.join(" or ")}` : null;
  }).filter(Boolean);
  return parts.length ? parts.join("; ") : "every event";
}
