// One calendar: its sources (national holiday codes, days closed by hand, ICS files, Exchange calendars) and the year view, the closures
// of the next twelve months month by month with where each comes from. Each change is stored, in force and audited
// when the service answers; the page then shows the calendar as it now is.
import { api, h, param, showMain, table } from "./common.js";
import { change, errorLine, filterText, format, monthsBetween, say, showError, startPage, statusLine } from "./site.js";

const id = param("id") ?? "";
const base = `/api/v1/admin/calendars/${encodeURIComponent(id)}`;
const status = statusLine("calendar-status");

try {
  await startPage("calendars");
  await render(arrivalNotice());
} catch (error) {
  showError(error);
}

/** What brought the person here: a calendar just created, or a file just applied on the import page. */
function arrivalNotice() {
  const params = new URLSearchParams(location.search);
  if (params.get("created")) return "Calendar created. Add its sources below: national holidays, days closed by hand or ICS files.";
  if (params.get("applied")) return `${params.get("applied")} applied: its closures are in the year view below.`;
  return "";
}

/** Loads the calendar as it now is and shows it, with a line on what was just done. */
async function render(notice) {
  const [calendar, year, departments] = await Promise.all([api(base), api(`${base}/year`), api("/api/v1/admin/departments")]);
  document.title = `${calendar.name} · Calendar · Admin · BoundaryGuard`;
  say(status, notice);
  showMain(
    head(calendar, departments.filter((d) => d.calendar === calendar.id).map((d) => d.name)),
    status,
    h("div", { class: "sources" }, nationalSection(calendar), closuresSection(calendar), filesSection(calendar), exchangeSection(calendar)),
    yearSection(year));
}

/** After a change: the calendar again, the status line read out, and focus where the person was working. */
async function changed(notice, focusId) {
  await render(notice);
  document.getElementById(focusId)?.focus();
}

/** A row's button that takes a source out of the calendar (DELETE path), then shows the calendar as it now is. */
function removeButton({ text, label, error, path, done, focusId }) {
  const button = h("button", { type: "button", class: "link-button", "aria-label": label, onclick: async () => {
    if (await change(button, error, () => api(path, { method: "DELETE" }))) await changed(done, focusId);
  } }, text);
  return button;
}

function head(calendar, usedBy) {
  const error = errorLine("delete-error");
  const remove = h("button", { type: "button", class: "danger", id: "delete-calendar", onclick: async () => {
    if (!confirm(`Delete the calendar ${calendar.name}? Its closures and files go with it.`)) return;
    const done = await change(remove, error, () => api(base, { method: "DELETE" }));
    if (done) location.assign("./");
  } }, "Delete calendar");
  return h("header", { class: "page-head" },
    h("div", { class: "page-title" },
      h("p", { class: "crumb" }, h("a", { href: "./" }, "Calendars"), " /"),
      h("h1", {}, calendar.name),
      h("p", { class: "page-sub" },
        usedBy.length ? `Used by ${usedBy.join(", ")}` : "Used by no department yet (assign it on the Departments page)",
        ` · last changed ${format.instant(calendar.updatedAt)} by ${calendar.updatedBy}`)),
    h("div", { class: "download" }, remove, error));
}

function nationalSection(calendar) {
  const input = h("input", { id: "national-codes", name: "codes", type: "text", value: calendar.nationalHolidays.join(", "),
    autocomplete: "off", spellcheck: "false", "aria-describedby": "national-hint national-error" });
  const filter = calendar.nationalFilter;
  const leaveOut = h("input", { id: "national-exclude", name: "excludeSummaries", type: "text", value: filter.excludeSummaries.join(", "),
    autocomplete: "off", "aria-describedby": "national-exclude-hint national-error" });
  const error = errorLine("national-error");
  const button = h("button", { type: "submit" }, "Save");
  return h("section", { id: "national", class: "panel", "aria-labelledby": "national-title" },
    h("h2", { id: "national-title", tabindex: "-1" }, "National holidays"),
    h("form", { class: "inline-form", onsubmit: async (event) => {
      event.preventDefault();
      const codes = input.value.split(/[\s,;]+/).filter(Boolean);
      // The holidays left out by name replace the list; the filter's other lists (set through the API) are kept.
      const body = { ...filter, codes, excludeSummaries: leaveOut.value.split(",").map((n) => n.trim()).filter(Boolean) };
      const done = await change(button, error, () => api(`${base}/national-holidays`, { method: "PUT", body }));
      if (done) await changed(`National holidays: ${done.nationalHolidays.join(", ") || "none"}.`, "national-title");
    } },
    h("div", { class: "field" },
      h("label", { for: "national-codes" }, "Country and region codes"),
      input,
      h("p", { id: "national-hint", class: "hint" }, "Separated by commas or spaces, e.g. US, CA, DE-BY. Observed days are closed too.")),
    h("div", { class: "field" },
      h("label", { for: "national-exclude" }, "Open on (holiday names)"),
      leaveOut,
      h("p", { id: "national-exclude-hint", class: "hint" }, "Holidays the institution stays open on, separated by commas, e.g. Columbus Day.")),
    button),
    error);
}

function closuresSection(calendar) {
  const error = errorLine("closure-error");
  const date = h("input", { id: "closure-date", name: "date", type: "date", required: true });
  const name = h("input", { id: "closure-name", name: "name", type: "text", required: true, maxlength: 200, autocomplete: "off" });
  const from = h("input", { id: "closure-from", name: "closedFrom", type: "time", "aria-describedby": "closure-from-hint" });
  const add = h("button", { type: "submit" }, "Close the day");
  const rows = calendar.closures.map((c) => h("tr", { dataset: { date: c.date } },
    h("td", {}, h("time", { datetime: c.date }, format.date(c.date))),
    h("td", {}, c.name),
    h("td", {}, c.closedFrom ? `from ${format.time(c.closedFrom)}` : "whole day"),
    h("td", {}, removeButton({
      text: "Reopen", label: `Reopen ${format.date(c.date)} (${c.name})`, error, path: `${base}/closures/${c.date}`,
      done: `${format.date(c.date)} reopened.`, focusId: "closures-title",
    }))));
  return h("section", { id: "closures", class: "panel", "aria-labelledby": "closures-title" },
    h("h2", { id: "closures-title", tabindex: "-1" }, "Closed by hand"),
    rows.length
      ? table(["Day", "Name", "Closed", h("span", { class: "visually-hidden" }, "Reopen")], rows)
      : h("p", { class: "empty" }, "No day is closed by hand."),
    h("form", { class: "inline-form", "aria-label": "Close a day", onsubmit: async (event) => {
      event.preventDefault();
      const body = { name: name.value, closedFrom: from.value || null };
      const done = await change(add, error, () => api(`${base}/closures/${date.value}`, { method: "PUT", body }));
      if (done) await changed(`${format.date(date.value)} closed${from.value ? ` from ${from.value}` : ""}: ${name.value}.`, "closures-title");
    } },
    h("div", { class: "field" }, h("label", { for: "closure-date" }, "Day"), date),
    h("div", { class: "field grow" }, h("label", { for: "closure-name" }, "Name"), name),
    h("div", { class: "field" }, h("label", { for: "closure-from" }, "Closed from (optional)"), from,
      h("p", { id: "closure-from-hint", class: "hint" }, "Empty: the whole day.")),
    add),
    error);
}

function filesSection(calendar) {
  const error = errorLine("file-error");
  const rows = calendar.files.map((f) => h("tr", { dataset: { file: f.name } },
    h("th", { scope: "row" }, f.name),
    h("td", {}, String(f.closures)),
    h("td", {}, filterText(f.filter)),
    h("td", {}, removeButton({
      text: "Remove", label: `Remove ${f.name}`, error, path: `${base}/files/${encodeURIComponent(f.name)}`,
      done: `${f.name} removed: its closures are gone from the year view.`, focusId: "files-title",
    }))));
  return h("section", { id: "files", class: "panel", "aria-labelledby": "files-title" },
    h("h2", { id: "files-title", tabindex: "-1" }, "ICS files"),
    rows.length
      ? table(["File", "Closures (next twelve months, when applied)", "Which events close", h("span", { class: "visually-hidden" }, "Remove")], rows)
      : h("p", { class: "empty" }, "No ICS file."),
    h("p", {}, h("a", { class: "button", id: "import-link", href: `import.html?id=${encodeURIComponent(calendar.id)}` }, "Import an ICS file…")),
    error);
}

/** Terms typed into one field, separated by commas: "Closure, Holiday". */
function terms(input) {
  return input.value.split(",").map((t) => t.trim()).filter(Boolean);
}

/**
 * Exchange calendars: each read through Graph when added, on a schedule and by "Sync now"; its all-day and timed
 * events close the days they cover, chosen by category or text as an ICS file's are.
 */
function exchangeSection(calendar) {
  const error = errorLine("exchange-error");
  const mailbox = h("input", { id: "exchange-mailbox", name: "mailbox", type: "email", required: true, autocomplete: "off", spellcheck: "false" });
  const name = h("input", { id: "exchange-calendar", name: "calendar", type: "text", required: true, autocomplete: "off",
    "aria-describedby": "exchange-calendar-hint" });
  const categories = h("input", { id: "exchange-categories", name: "includeCategories", type: "text", autocomplete: "off",
    "aria-describedby": "exchange-filter-hint" });
  const text = h("input", { id: "exchange-text", name: "includeText", type: "text", autocomplete: "off", "aria-describedby": "exchange-filter-hint" });
  const add = h("button", { type: "submit" }, "Add the calendar");
  const sync = h("button", { type: "button", id: "exchange-sync", onclick: async () => {
    const done = await change(sync, error, () => api(`${base}/exchange/sync`, { method: "POST" }));
    if (done) await changed(`Synced: ${done.exchange.map((x) => `${x.calendar} (${eventCount(x)})`).join(", ")}.`, "exchange-title");
  } }, "Sync now");
  const rows = calendar.exchange.map((x) => h("tr", { dataset: { mailbox: x.mailbox, calendar: x.calendar } },
    h("th", { scope: "row" }, x.calendar, h("span", { class: "muted" }, ` · ${x.mailbox}`)),
    h("td", {}, format.instant(x.syncedAt)),
    h("td", {}, String(x.events.length)),
    h("td", {}, filterText(x.filter)),
    h("td", {}, removeButton({
      text: "Remove", label: `Remove ${x.calendar} of ${x.mailbox}`, error,
      path: `${base}/exchange/${encodeURIComponent(x.mailbox)}/${encodeURIComponent(x.calendar)}`,
      done: `${x.calendar} removed: its closures are gone from the year view.`, focusId: "exchange-title",
    }))));
  return h("section", { id: "exchange", class: "panel", "aria-labelledby": "exchange-title" },
    h("h2", { id: "exchange-title", tabindex: "-1" }, "Exchange calendars"),
    rows.length
      ? [table(["Calendar", "Last synced", "Events", "Which events close", h("span", { class: "visually-hidden" }, "Remove")], rows),
        h("p", {}, sync, " ", h("span", { class: "hint" }, "They are also read on a schedule."))]
      : h("p", { class: "empty" }, "No Exchange calendar."),
    h("form", { class: "inline-form", "aria-label": "Add an Exchange calendar", onsubmit: async (event) => {
      event.preventDefault();
      const body = { mailbox: mailbox.value, calendar: name.value, includeCategories: terms(categories), includeText: terms(text) };
      const done = await change(add, error, () => api(`${base}/exchange`, { method: "POST", body }));
      const added = done?.exchange.find((x) => x.mailbox.toLowerCase() === body.mailbox.trim().toLowerCase()
        && x.calendar.toLowerCase() === body.calendar.trim().toLowerCase());
      if (done) await changed(`${body.calendar.trim()} added: ${added ? eventCount(added) : "its events"} read, closures in the year view below.`, "exchange-title");
    } },
    h("div", { class: "field grow" }, h("label", { for: "exchange-mailbox" }, "Mailbox"), mailbox),
    h("div", { class: "field grow" }, h("label", { for: "exchange-calendar" }, "Calendar"), name,
      h("p", { id: "exchange-calendar-hint", class: "hint" }, "Its name as Outlook shows it.")),
    h("div", { class: "field" }, h("label", { for: "exchange-categories" }, "Category is (optional)"), categories),
    h("div", { class: "field" }, h("label", { for: "exchange-text" }, "Subject or description contains (optional)"), text,
      h("p", { id: "exchange-filter-hint", class: "hint" }, "Separated by commas; both empty: every event closes.")),
    add),
    error);
}

function eventCount(exchange) {
  return `${exchange.events.length} ${exchange.events.length === 1 ? "event" : "events"}`;
}

/** The year view: every month the twelve months touch, each closure with its day, name and source. */
function yearSection(year) {
  const byMonth = new Map();
  for (const closure of year.closures) {
    const month = `${closure.date.slice(0, 7)}-01`;
    byMonth.set(month, [...(byMonth.get(month) ?? []), closure]);
  }
  return h("section", { id: "year", class: "panel", "aria-labelledby": "year-title" },
    h("h2", { id: "year-title" }, "The next twelve months"),
    h("p", { class: "lede" }, `${format.date(year.from)} to ${format.date(year.to)}: `,
      h("strong", { id: "year-count" }, `${year.closures.length} ${year.closures.length === 1 ? "closure" : "closures"}`),
      ", each with where it comes from."),
    h("div", { class: "year" }, monthsBetween(year.from, year.to).map((month) => {
      const closures = byMonth.get(month) ?? [];
      const titleId = `month-${month.slice(0, 7)}`;
      return h("section", { class: "month", "aria-labelledby": titleId, dataset: { month: month.slice(0, 7) } },
        h("h3", { id: titleId }, format.month(month)),
        closures.length
          ? h("ul", {}, closures.map((c) => h("li", { dataset: { date: c.date, source: c.source } },
            h("time", { datetime: c.date, class: "closure-day" }, format.dayInMonth(c.date)),
            h("span", { class: "closure-name" }, c.name, c.closedFrom ? ` (from ${c.closedFrom})` : ""),
            h("span", { class: "closure-source" }, format.source(c.source)))))
          : h("p", { class: "empty" }, "No closures."));
    })));
}
