// What every scorecard page shares: the session, the API, the header, number formats and the error pages.
// The pages call the service's JSON API with the browser's sign-in cookie; they hold no data of their own.

/** Elements without innerHTML: every text from the API goes in as text. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** An error the API answered with (ProblemDetails), kept with its status for the error pages. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The service answered ${status}.`);
    this.status = status;
    this.problem = problem;
  }
}

function signInUrl() {
  return `signin.html?returnUrl=${encodeURIComponent(location.pathname + location.search)}`;
}

/** A GET of the API as the signed-in user; a 401 (never signed in, or the session ended) goes to the sign-in page. */
export async function api(path, { accept = "application/json" } = {}) {
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: accept } });
  if (response.status === 401) {
    location.assign(signInUrl());
    // The page is going away; nothing after this should render.
    await new Promise(() => {});
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // A proxy's error page, not the service's: the status says enough.
    }
    throw new ApiError(response.status, problem);
  }
  return accept === "application/json" ? response.json() : response.text();
}

export async function getSession() {
  const response = await fetch("/auth/session", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new ApiError(response.status, null);
  return response.json();
}

export const roles = {
  chair: "chair",
  faculty: "faculty",
  itAdmin: "it-admin",
};

const roleNames = { chair: "Chair", faculty: "Faculty", "it-admin": "IT administrator" };

/**
 * Starts a page: the session (or the sign-in page), the departments the caller may see, and the header with what
 * they may open. Returns both for the page to use.
 */
export async function startPage(current) {
  const session = await getSession();
  if (!session.signedIn) {
    location.replace(signInUrl());
    await new Promise(() => {});
  }
  const departments = await api("/api/v1/scorecards/departments");
  renderHeader(session, departments, current);
  return { session, departments };
}

function renderHeader(session, departments, current) {
  const isIt = session.roles.includes(roles.itAdmin);
  const links = [{ href: "me.html", label: "My card", key: "me" }];
  if (!isIt) {
    for (const department of departments) {
      links.push({ href: `department.html?id=${encodeURIComponent(department.id)}`, label: department.name, key: `department:${department.id}` });
    }
  } else {
    links.push({ href: "institution.html", label: "Institution", key: "institution" });
  }
  const nav = h("nav", { "aria-label": "Scorecards" },
    h("ul", {}, links.map((link) => h("li", {},
      h("a", { href: link.href, "aria-current": link.key === current ? "page" : null }, link.label)))));
  const role = session.roles.map((r) => roleNames[r] ?? r).join(", ");
  const who = h("div", { class: "who" },
    h("span", { class: "who-name" }, session.name),
    h("span", { class: "who-role" }, role, session.demo ? " · demo sign-in" : ""),
    h("form", { method: "post", action: "/auth/signout" }, h("button", { type: "submit", class: "link-button" }, "Sign out")));
  document.getElementById("topbar").replaceChildren(brand(), nav, who);
}

export function brand() {
  return h("a", { class: "brand", href: "./" },
    h("img", { src: "icon.svg", alt: "", width: 28, height: 28 }),
    h("span", {}, "BoundaryGuard"), h("span", { class: "brand-sub" }, "Scorecard"));
}

/** The main area, filled and no longer busy. */
export function showMain(...children) {
  const main = document.getElementById("main");
  main.replaceChildren(...children.flat());
  main.removeAttribute("aria-busy");
  return main;
}

/** A whole-page error: 403 (not yours to see), 404, or anything else the service or the network said. */
export function showError(error) {
  const status = error instanceof ApiError ? error.status : 0;
  const [title, text] = status === 403
    ? ["You can't see this scorecard", "Your own card, and any scorecard you may see, are linked at the top of the page."]
    : status === 404
      ? ["No such scorecard", "The department in the address is not one BoundaryGuard knows."]
      : status === 400
        ? ["That range can't be shown", ""]
        : ["The scorecard could not be loaded", "The service did not answer as expected. Try again in a moment."];
  document.title = `${status || "Error"} · ${title} · BoundaryGuard`;
  showMain(h("section", { class: "error-page", "aria-labelledby": "error-title", dataset: { status: String(status) } },
    status ? h("p", { class: "error-code" }, String(status)) : null,
    h("h1", { id: "error-title" }, title),
    error instanceof ApiError && error.problem?.detail ? h("p", { class: "error-detail" }, error.problem.detail) : null,
    text ? h("p", {}, text) : null,
    h("p", {}, h("a", { class: "button", href: "./" }, "Go to your scorecards"))));
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

/** Reads the page's ?id=. */
export function param(name) {
  return new URLSearchParams(location.search).get(name);
}
