// Departments and their policies: each from the policy folder or kept in the service, with its calendar, working
// hours and time zone. Editing one keeps it in the service from then on, assigned a calendar; its scorecard people
// (chairs and leaders) are carried over as they are. "Back to the policy folder" ends that.
import { api, h, showMain, table } from "./common.js";
import { change, errorLine, format, say, showError, startPage, statusLine, weekdayNames, weekdays } from "./site.js";

const status = statusLine("departments-status");

try {
  await startPage("departments");
  await render("");
} catch (error) {
  showError(error);
}

async function render(notice, focusId) {
  const [departments, calendars] = await Promise.all([api("/api/v1/admin/departments"), api("/api/v1/admin/calendars")]);
  say(status, notice);
  const editor = h("div", { id: "editor" });
  showMain(
    h("header", { class: "page-head" }, h("div", { class: "page-title" },
      h("h1", {}, "Departments"),
      h("p", { class: "page-sub" }, "Each department's working hours and closures decide when its mail is held. A department comes from "
        + "the policy folder until it is edited here; from then on the service keeps it, with a calendar."))),
    status,
    listSection(departments, calendars, editor),
    editor);
  if (focusId) document.getElementById(focusId)?.focus();
}

function label(name) {
  return name === "*" ? "Everyone else (*)" : name;
}

function listSection(departments, calendars, editor) {
  const calendarName = (id) => calendars.find((c) => c.id === id)?.name ?? id;
  return h("section", { id: "departments", class: "panel", "aria-labelledby": "departments-title" },
    h("h2", { id: "departments-title", tabindex: "-1" }, "Policies"),
    table(["Department", "Source", "Calendar", "Working hours", "Time zone", "Last change", h("span", { class: "visually-hidden" }, "Edit")],
      departments.map((d) => h("tr", { dataset: { department: d.name, source: d.source } },
        h("th", { scope: "row" }, label(d.name)),
        h("td", {}, d.source === "service"
          ? h("span", { class: "badge service" }, "service")
          : h("span", { class: "badge folder" }, "folder")),
        h("td", {}, d.calendar
          ? h("a", { href: `calendar.html?id=${encodeURIComponent(d.calendar)}` }, calendarName(d.calendar))
          : h("span", { class: "muted" }, "the folder's closures")),
        h("td", {}, format.hours(d.workingHours)),
        h("td", {}, d.workingHours?.timeZone?.name ?? d.timeZone ?? ""),
        h("td", {}, d.updatedAt ? `${format.instant(d.updatedAt)} · ${d.updatedBy}` : "—"),
        h("td", {}, h("button", { type: "button", class: "link-button", "aria-label": `Edit ${label(d.name)}`,
          onclick: () => edit(editor, d, calendars) }, "Edit"))))));
}

/** The editor for one department, under the list, prefilled with the policy in force. */
function edit(editor, department, calendars) {
  const hours = department.workingHours ?? {};
  const days = (hours.daysOfWeek ?? ["monday", "tuesday", "wednesday", "thursday", "friday"]).map((d) => d.toLowerCase());
  const calendar = h("select", { id: "dept-calendar", name: "calendar", required: true },
    h("option", { value: "", disabled: true, selected: !department.calendar }, "Choose a calendar"),
    calendars.map((c) => h("option", { value: c.id, selected: c.id === department.calendar }, c.name)));
  const dayBoxes = weekdays.map((day, i) => h("input", { type: "checkbox", id: `day-${day}`, name: "day", value: day, checked: days.includes(day) }));
  const start = h("input", { id: "dept-start", name: "start", type: "time", required: true, value: format.time(hours.startTime) || "07:00" });
  const end = h("input", { id: "dept-end", name: "end", type: "time", required: true, value: format.time(hours.endTime) || "19:00",
    "aria-describedby": "dept-end-hint" });
  const zone = h("input", { id: "dept-zone", name: "zone", type: "text", required: true, list: "zones", autocomplete: "off", spellcheck: "false",
    value: hours.timeZone?.name ?? department.timeZone ?? "", "aria-describedby": "dept-zone-hint" });
  const zones = h("datalist", { id: "zones" }, (Intl.supportedValuesOf?.("timeZone") ?? []).map((z) => h("option", { value: z })));
  const error = errorLine("edit-error");
  const save = h("button", { type: "submit", class: "primary" }, "Save");
  const scorecard = department.scorecard;
  const people = scorecard && (scorecard.chairs?.length || scorecard.leaders?.length)
    ? `Scorecard: chairs ${scorecard.chairs?.join(", ") || "none"}; leaders ${scorecard.leaders?.join(", ") || "none"}. Kept as they are.`
    : "The policy names no scorecard chairs or leaders.";
  const back = department.source === "service"
    ? h("button", { type: "button", class: "danger", onclick: async () => {
      const done = await change(back, error, () => api(path, { method: "DELETE" }));
      if (done) await render(`${label(department.name)} is back to the policy folder's policy.`, "departments-title");
    } }, "Back to the policy folder")
    : null;

  const path = `/api/v1/admin/departments/${encodeURIComponent(department.name)}`;
  const outcome = h("div", { id: "what-if-result", hidden: true });

  /** The policy the form proposes, in the PUT's shape; null (with the reason said) when it is not one yet. */
  function proposed() {
    const chosen = dayBoxes.filter((box) => box.checked).map((box) => box.value);
    if (!chosen.length) {
      say(error, "Choose at least one working day. Nothing was changed.");
      return null;
    }
    const workingHours = {
      daysOfWeek: chosen,
      startTime: `${start.value}:00.0000000`,
      endTime: `${end.value}:00.0000000`,
      timeZone: { name: zone.value.trim() },
    };
    return { calendar: calendar.value, workingHours, scorecard: scorecard ?? null };
  }

  const whatIf = h("button", { type: "button", id: "what-if", onclick: async () => {
    if (!form.reportValidity()) return;
    const body = proposed();
    if (!body) return;
    const result = await change(whatIf, error, () => api(`${path}/what-if`, { method: "POST", body }));
    if (result) showWhatIf(outcome, department, result);
  } }, "What if");

  const form = h("form", { id: "edit-form", onsubmit: async (event) => {
    event.preventDefault();
    const body = proposed();
    if (!body) return;
    const saved = await change(save, error, () => api(path, { method: "PUT", body }));
    if (saved) {
      await render(`Saved: ${label(saved.name)} uses ${calendar.selectedOptions[0].textContent}, ${format.hours(saved.workingHours)} `
        + `(${saved.workingHours.timeZone.name}).`, "departments-title");
    }
  } },
  h("div", { class: "field" }, h("label", { for: "dept-calendar" }, "Calendar"), calendar,
    calendars.length ? null : h("p", { class: "hint" }, h("a", { href: "./" }, "Create a calendar"), " first.")),
  h("fieldset", { class: "days" }, h("legend", {}, "Working days"),
    dayBoxes.map((box, i) => h("label", { for: box.id, class: "day" }, box, ` ${weekdayNames[i]}`))),
  h("div", { class: "inline-form" },
    h("div", { class: "field" }, h("label", { for: "dept-start" }, "Start"), start),
    h("div", { class: "field" }, h("label", { for: "dept-end" }, "End"), end,
      h("p", { id: "dept-end-hint", class: "hint" }, "Earlier than the start: the window runs past midnight."))),
  h("div", { class: "field" }, h("label", { for: "dept-zone" }, "Time zone"), zone, zones,
    h("p", { id: "dept-zone-hint", class: "hint" }, "An IANA name (America/New_York) or a Windows one (Eastern Standard Time).")),
  h("p", { class: "note" }, people),
  h("div", { class: "actions" }, save, whatIf,
    h("button", { type: "button", onclick: () => { editor.replaceChildren(); document.getElementById("departments-title").focus(); } }, "Cancel"),
    back));

  editor.replaceChildren(h("section", { id: "edit", class: "panel", "aria-labelledby": "edit-title" },
    h("h2", { id: "edit-title", tabindex: "-1" }, `Edit ${label(department.name)}`),
    h("p", { class: "lede" }, department.source === "service"
      ? "Kept in the service. Saving replaces its policy at once."
      : "From the policy folder. Saving keeps it in the service from now on, with the calendar chosen; the folder's entry is then not used."),
    form, error, outcome));
  document.getElementById("edit-title").focus();
}

/** What the proposed policy would have done to the department's sends of the last four weeks; nothing is saved. */
function showWhatIf(outcome, department, result) {
  const figure = (key, name, value) => h("div", { class: "tile", dataset: { measure: key, value: String(value) } },
    h("dt", {}, name), h("dd", { class: "tile-value" }, String(value)));
  const sends = `${result.sends} ${result.sends === 1 ? "send" : "sends"}`;
  outcome.replaceChildren(h("section", { class: "panel", "aria-labelledby": "what-if-title" },
    h("h3", { id: "what-if-title", tabindex: "-1" }, "What if"),
    h("p", { class: "lede", id: "what-if-summary" },
      `Of ${label(department.name)}'s ${sends} from ${format.instant(result.from)} to ${format.instant(result.to)}: `
      + `its policy now holds ${result.heldNow}, the proposal would hold ${result.heldByProposal}.`),
    h("dl", { class: "tiles" },
      figure("sends", "Sends, last four weeks", result.sends),
      figure("heldNow", "Held by the policy now", result.heldNow),
      figure("heldByProposal", "Held by the proposal", result.heldByProposal),
      figure("newlyHeld", "Newly held", result.newlyHeld),
      figure("noLongerHeld", "No longer held", result.noLongerHeld)),
    h("p", { class: "note" }, "Nothing is saved: press Save to put the proposal in force. Each send is judged by the policy alone "
      + "(recipients' hours are not stored).")));
  outcome.hidden = false;
  document.getElementById("what-if-title").focus();
}
