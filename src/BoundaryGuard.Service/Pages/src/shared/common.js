// What every page of the service shares, the scorecard's and IT's admin pages alike: elements built safely, the JSON
// API called with the browser's sign-in cookie, the session, the header and the whole-page errors. The pages hold no
// data of their own. Each site's site.js says what is its own (its name, its header's links, its error texts).

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

/** A table in its scrolling box: the column headings (text, or an element) over the rows, built by the page. */
export function table(headings, rows, attributes = {}) {
  return h("div", { class: "table-scroll" }, h("table", attributes,
    h("thead", {}, h("tr", {}, headings.map((heading) => h("th", { scope: "col" }, heading)))),
    h("tbody", {}, rows)));
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

/** Never settles: the page is going away, and nothing after this should render. */
function leaving() {
  return new Promise(() => {});
}

/**
 * A call of the API as the signed-in user: JSON back (null for 204), a ProblemDetails answer thrown as ApiError, and a
 * 401 (never signed in, or the session ended) sent to the sign-in page. A body that is a Blob (a file) goes as it is,
 * with its own type; any other body goes as JSON.
 */
export async function api(path, { method = "GET", body, accept = "application/json" } = {}) {
  const headers = { Accept: accept };
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers["Content-Type"] = body.type || "application/octet-stream";
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, { method, credentials: "same-origin", headers, body: payload });
  if (response.status === 401) {
    location.assign(signInUrl());
    await leaving();
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
  if (response.status === 204) return null;
  return accept === "application/json" ? response.json() : response.text();
}

export async function getSession() {
  const response = await fetch("/auth/session", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new ApiError(response.status, null);
  return response.json();
}

/** The session of a signed-in person; anyone else goes to the sign-in page, and back here after it. */
export async function requireSession() {
  const session = await getSession();
  if (!session.signedIn) {
    location.replace(signInUrl());
    await leaving();
  }
  return session;
}

export const roles = {
  chair: "chair",
  faculty: "faculty",
  itAdmin: "it-admin",
};

const roleNames = { chair: "Chair", faculty: "Faculty", "it-admin": "IT administrator" };

export function brand(site) {
  return h("a", { class: "brand", href: "./" },
    h("img", { src: "icon.svg", alt: "", width: 28, height: 28 }),
    h("span", {}, "BoundaryGuard"), h("span", { class: "brand-sub" }, site.name));
}

/** The bar across the top: the site, the links the person may open (the current one marked), who they are. */
export function renderHeader(site, session, links, current) {
  const nav = h("nav", { "aria-label": site.navLabel },
    h("ul", {}, links.map((link) => h("li", {},
      h("a", { href: link.href, "aria-current": link.key === current ? "page" : null }, link.label)))));
  const role = session.roles.map((r) => roleNames[r] ?? r).join(", ");
  const who = h("div", { class: "who" },
    h("span", { class: "who-name" }, session.name),
    h("span", { class: "who-role" }, role, session.demo ? " · demo sign-in" : ""),
    h("form", { method: "post", action: "/auth/signout" }, h("button", { type: "submit", class: "link-button" }, "Sign out")));
  document.getElementById("topbar").replaceChildren(brand(site), nav, who);
}

/** The main area, filled and no longer busy. */
export function showMain(...children) {
  const main = document.getElementById("main");
  main.replaceChildren(...children.flat());
  main.removeAttribute("aria-busy");
  return main;
}

/**
 * A whole-page error: 403 (not the person's to see), 404, 400, or anything else the service or the network said.
 * `texts` gives the site's words for each: { 403: [title, text], 404: [...], 400: [...], other: [...], home: [href, label] }.
 */
export function showErrorPage(error, texts) {
  const status = error instanceof ApiError ? error.status : 0;
  const [title, text] = texts[status] ?? texts.other;
  document.title = `${status || "Error"} · ${title} · BoundaryGuard`;
  showMain(h("section", { class: "error-page", "aria-labelledby": "error-title", dataset: { status: String(status) } },
    status ? h("p", { class: "error-code" }, String(status)) : null,
    h("h1", { id: "error-title" }, title),
    error instanceof ApiError && error.problem?.detail ? h("p", { class: "error-detail" }, error.problem.detail) : null,
    text ? h("p", {}, text) : null,
    h("p", {}, h("a", { class: "button", href: texts.home[0] }, texts.home[1]))));
}

/** Reads the page's ?name=. */
export function param(name) {
  return new URLSearchParams(location.search).get(name);
}
