// The audit log: every change IT made, newest first: who, when, what and to which calendar or department, with the
// fields it changed (before and after) and the two documents as stored.
import { api, h, param, showMain, table } from "./common.js";
import { format, showError, startPage } from "./site.js";

const actions = {
  "calendar-created": "Created the calendar",
  "calendar-deleted": "Deleted the calendar",
  "national-holidays-set": "Set the national holidays",
  "closure-set": "Closed a day",
  "closure-deleted": "Reopened a day",
  "file-applied": "Applied an ICS file",
  "file-deleted": "Removed an ICS file",
  "department-set": "Kept the department in the service",
  "department-changed": "Changed the department",
  "department-deleted": "Returned the department to the policy folder",
  "exchange-added": "Added an Exchange calendar",
  "exchange-deleted": "Removed an Exchange calendar",
  "exchange-synced": "Synced the Exchange calendars",
  "exemption-added": "Exempted a person from holds",
  "exemption-deleted": "Removed an exemption",
};

try {
  await startPage("audit");
  const limit = Number(param("limit")) || 100;
  const entries = await api(`/api/v1/admin/audit?limit=${limit}`);
  showMain(
    h("header", { class: "page-head" }, h("div", { class: "page-title" },
      h("h1", {}, "Audit log"),
      h("p", { class: "page-sub" }, `Every change to calendars, departments and exemptions, newest first: the last ${limit} at most.`))),
    h("section", { id: "audit", class: "panel", "aria-labelledby": "audit-title" },
      h("h2", { id: "audit-title", class: "visually-hidden" }, "Changes"),
      entries.length
        ? table(["When", "Who", "What", "Changes"], entries.map(row), { class: "audit" })
        : h("p", { class: "empty" }, "No changes yet."),
      entries.length >= limit && limit < 1000
        ? h("p", {}, h("a", { href: `?limit=${Math.min(limit * 10, 1000)}` }, "Show older changes"))
        : null));
} catch (error) {
  showError(error);
}

function row(entry) {
  const [kind, ...rest] = entry.target.split(":");
  const target = rest.join(":");
  const differences = diff(entry.before, entry.after);
  return h("tr", { dataset: { seq: String(entry.seq), action: entry.action, target: entry.target } },
    h("td", {}, h("time", { datetime: entry.at }, format.instant(entry.at))),
    h("td", {}, entry.actor),
    h("td", {},
      h("span", { class: "action" }, actions[entry.action] ?? entry.action), " ",
      kind === "calendar" && entry.after
        ? h("a", { href: `calendar.html?id=${encodeURIComponent(target)}` }, target)
        : h("span", {}, target),
      h("span", { class: "muted code" }, ` ${entry.action}`)),
    h("td", {}, h("details", { class: "changes" },
      h("summary", {}, `${differences.length} ${differences.length === 1 ? "field" : "fields"}`),
      differences.length
        ? table(["Field", "Before", "After"], differences.map((d) => h("tr", { class: d.kind, dataset: { field: d.path } },
          h("th", { scope: "row" }, h("code", {}, d.path)),
          h("td", { class: "before" }, d.before === undefined ? h("span", { class: "muted" }, "—") : h("code", {}, d.before)),
          h("td", { class: "after" }, d.after === undefined ? h("span", { class: "muted" }, "—") : h("code", {}, d.after)))), { class: "diff" })
        : h("p", { class: "muted" }, "No field changed."),
      h("details", { class: "documents" },
        h("summary", {}, "The documents before and after (JSON)"),
        h("div", { class: "documents-pair" },
          h("figure", {}, h("figcaption", {}, "Before"), h("pre", {}, entry.before ? JSON.stringify(entry.before, null, 2) : "(none)")),
          h("figure", {}, h("figcaption", {}, "After"), h("pre", {}, entry.after ? JSON.stringify(entry.after, null, 2) : "(none)")))))));
}

/**
 * The fields that differ between two documents, each by its path. Lists of closures, files and the like are keyed by
 * each item's date or name rather than its position, so adding one day does not show every later one as changed.
 */
function diff(before, after) {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths
    .filter((path) => a.get(path) !== b.get(path))
    .map((path) => ({
      path,
      before: a.get(path),
      after: b.get(path),
      kind: !a.has(path) ? "added" : !b.has(path) ? "removed" : "changed",
    }));
}

function flatten(value, path = "", out = new Map()) {
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== "object")) {
      if (value.length) out.set(path, value.map((item) => JSON.stringify(item)).join(", "));
    } else {
      value.forEach((item, i) => flatten(item, `${path}[${item?.date ?? item?.name ?? i}]`, out));
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) flatten(item, path ? `${path}.${key}` : key, out);
  } else if (value !== null && value !== undefined) {
    out.set(path, JSON.stringify(value));
  }
  return out;
}
