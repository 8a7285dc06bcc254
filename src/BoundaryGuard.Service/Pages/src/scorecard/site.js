// What every scorecard page shares beyond common.js: the site's name and sign-in words, the header's links (what the
// person may see), the error texts, and number formats.
import { api, renderHeader, requireSession, roles, showErrorPage } from "./common.js";

export const site = {
  name: "Scorecard",
  navLabel: "Scorecards",
  signIn: {
    title: "Sign in to the scorecard",
    continue: "Continue to the scorecard",
    demo: "Pick a person: chairs see their department, IT sees the institution, everyone sees their own card.",
    notSetUp: "Sign-in to the scorecard pages is not set up on this service.",
    note: (personRoles) => (personRoles.includes(roles.chair) ? "sees the department" : personRoles.includes(roles.itAdmin) ? "sees the institution" : ""),
  },
};

/**
 * Starts a page: the session (or the sign-in page), the departments the caller may see, and the header with what
 * they may open. Returns both for the page to use.
 */
export async function startPage(current) {
  const session = await requireSession();
  const departments = await api("/api/v1/scorecards/departments");
  const isIt = session.roles.includes(roles.itAdmin);
  const links = [{ href: "me.html", label: "My card", key: "me" }];
  if (!isIt) {
    for (const department of departments) {
      links.push({ href: `department.html?id=${encodeURIComponent(department.id)}`, label: department.name, key: `department:${department.id}` });
    }
  } else {
    links.push({ href: "institution.html", label: "Institution", key: "institution" });
    links.push({ href: "/admin/", label: "Admin", key: "admin" });
  }
  renderHeader(site, session, links, current);
  return { session, departments };
}

const errors = {
  403: ["You can't see this scorecard", "Your own card, and any scorecard you may see, are linked at the top of the page."],
  404: ["No such scorecard", "The department in the address is not one BoundaryGuard knows."],
  400: ["That range can't be shown", ""],
  other: ["The scorecard could not be loaded", "The service did not answer as expected. Try again in a moment."],
  home: ["./", "Go to your scorecards"],
};

/** A whole-page error: 403 (not yours to see), 404, or anything else the service or the network said. */
export function showError(error) {
  showErrorPage(error, errors);
}

// Numbers as people read them: counts with separators, shares as percentages, durations in hours or minutes.
const count = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
const dayMonthYear = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export const format = {
  count: (n) => count.format(n),
  share: (x) => (x === null || x === undefined ? "—" : percent.format(x)),
  hours(h) {
    if (h === null || h === undefined) return "—";
    if (h < 1) return `${count.format(h * 60)} min`;
    if (h >= 48) return `${decimal.format(h / 24)} days`;
    return `${decimal.format(h)} h`;
  },
  index: (n) => count.format(n),
  /** "30 Nov" for a week's Monday (yyyy-mm-dd). */
  monday: (date) => dayMonth.format(new Date(`${date}T00:00:00Z`)),
  /** "31 Dec 2026" for a day (yyyy-mm-dd). */
  date: (date) => dayMonthYear.format(new Date(`${date}T00:00:00Z`)),
  /** "Mon 14 Sep 2026 – Sun 6 Dec 2026" for the range of weeks shown. */
  range(weeks) {
    if (!weeks.length) return "";
    const first = new Date(`${weeks[0].monday}T00:00:00Z`);
    const last = new Date(`${weeks[weeks.length - 1].monday}T00:00:00Z`);
    last.setUTCDate(last.getUTCDate() + 6);
    return `${dayMonthYear.format(first)} – ${dayMonthYear.format(last)}`;
  },
};

export function sumOverrides(measures) {
  return Object.values(measures.overrides).reduce((a, b) => a + b, 0);
}

/** The range the page asks for: the address's from and to (dates or ISO weeks), else the API's default. */
export function rangeQuery() {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const name of ["from", "to"]) {
    const value = params.get(name);
    if (value) query.set(name, value);
  }
  return query;
}
