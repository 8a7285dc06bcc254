// The calendars: each with its sources and the departments that use it, and a new one by name.
import { api, h, showMain, table } from "./common.js";
import { change, errorLine, format, showError, startPage } from "./site.js";

try {
  await startPage("calendars");
  const [calendars, departments] = await Promise.all([api("/api/v1/admin/calendars"), api("/api/v1/admin/departments")]);
  showMain(
    h("header", { class: "page-head" }, h("div", { class: "page-title" },
      h("h1", {}, "Calendars"),
      h("p", { class: "page-sub" }, "Each calendar closes days for the departments assigned to it: national holidays, days closed by hand, "
        + "and ICS files."))),
    listSection(calendars, departments),
    createSection());
} catch (error) {
  showError(error);
}

function listSection(calendars, departments) {
  const usedBy = (id) => departments.filter((d) => d.calendar === id).map((d) => d.name);
  return h("section", { id: "calendars", class: "panel", "aria-labelledby": "calendars-title" },
    h("h2", { id: "calendars-title" }, "The calendars"),
    calendars.length
      ? table(["Calendar", "National holidays", "Closed by hand", "ICS files", "Used by", "Last change"],
        calendars.map((c) => h("tr", { dataset: { calendar: c.id } },
          h("th", { scope: "row" }, h("a", { href: `calendar.html?id=${encodeURIComponent(c.id)}` }, c.name)),
          h("td", {}, c.nationalHolidays.join(", ") || "—"),
          h("td", {}, String(c.closures.length)),
          h("td", {}, c.files.map((f) => f.name).join(", ") || "—"),
          h("td", {}, usedBy(c.id).join(", ") || h("span", { class: "muted" }, "no department")),
          h("td", {}, `${format.instant(c.updatedAt)} · ${c.updatedBy}`))))
      : h("p", { class: "empty" }, "No calendars yet. Departments keep the closures of their policy folder until one is assigned."));
}

function createSection() {
  const name = h("input", { id: "calendar-name", name: "name", type: "text", required: true, maxlength: 100, autocomplete: "off",
    "aria-describedby": "calendar-name-hint create-error" });
  const error = errorLine("create-error");
  const button = h("button", { type: "submit", class: "primary" }, "Create calendar");
  const form = h("form", { class: "inline-form", onsubmit: async (event) => {
    event.preventDefault();
    const created = await change(button, error, () => api("/api/v1/admin/calendars", { method: "POST", body: { name: name.value } }));
    if (created) location.assign(`calendar.html?id=${encodeURIComponent(created.id)}&created=1`);
  } },
  h("div", { class: "field" },
    h("label", { for: "calendar-name" }, "Name"),
    name,
    h("p", { id: "calendar-name-hint", class: "hint" }, "For example “Main campus”. Its address is made from the name.")),
  button);
  return h("section", { id: "create", class: "panel", "aria-labelledby": "create-title" },
    h("h2", { id: "create-title" }, "New calendar"),
    form, error);
}
