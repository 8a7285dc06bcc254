// An ICS file into a calendar, in two steps: Preview asks the service what the file would close in the next twelve
// months with the filter chosen (nothing is stored), and Apply stores exactly what was previewed. A file the service
// refuses shows its message, which names the file, line and field, and changes nothing.
import { api, h, param, showMain, table } from "./common.js";
import { change, errorLine, filterGroups, format, showError, startPage } from "./site.js";

const id = param("id") ?? "";
const base = `/api/v1/admin/calendars/${encodeURIComponent(id)}`;

try {
  await startPage("calendars");
  const calendar = await api(base);
  document.title = `Import an ICS file · ${calendar.name} · Admin · BoundaryGuard`;
  showMain(page(calendar));
} catch (error) {
  showError(error);
}

function page(calendar) {
  const file = h("input", { id: "ics-file", name: "file", type: "file", accept: ".ics,.ical,.ifb,.icalendar,text/calendar", required: true,
    "aria-describedby": "ics-file-hint" });
  const name = h("input", { id: "ics-name", name: "name", type: "text", required: true, maxlength: 100, autocomplete: "off",
    "aria-describedby": "ics-name-hint" });
  const filters = filterGroups.map((group) => ({
    group,
    inputs: group.fields.map((field) => ({
      field,
      input: h("textarea", { id: `filter-${field.query}`, name: field.query, rows: 2, spellcheck: "false", "aria-describedby": "filter-hint" }),
    })),
  }));
  const error = errorLine("import-error");
  const preview = h("section", { id: "preview", class: "panel", "aria-labelledby": "preview-title", hidden: true });
  const previewButton = h("button", { type: "submit", class: "primary", id: "preview-button" }, "Preview");
  const applyButton = h("button", { type: "button", id: "apply-button", disabled: true, "aria-describedby": "apply-hint" }, "Apply");
  const applyHint = h("p", { id: "apply-hint", class: "hint" }, "Preview first: Apply stores the file as previewed.");
  let previewed = null;

  /** The query both calls share: the name and every filter value, one per line. */
  function query() {
    const params = new URLSearchParams();
    for (const { inputs } of filters) {
      for (const { field, input } of inputs) {
        for (const value of input.value.split("\n").map((v) => v.trim()).filter(Boolean)) params.append(field.query, value);
      }
    }
    return params;
  }

  function body() {
    return new Blob([file.files[0]], { type: "text/calendar" });
  }

  /** Anything changed after a preview: Apply waits for a new one, so what is stored is always what was shown. */
  function stale() {
    if (!previewed) return;
    previewed = null;
    applyButton.disabled = true;
    preview.classList.add("stale");
    preview.querySelector(".preview-note")?.replaceChildren("Changed since this preview: preview again before applying.");
  }

  file.addEventListener("change", () => {
    const picked = file.files[0];
    if (picked) name.value = picked.name;
    stale();
  });
  name.addEventListener("input", stale);
  for (const { inputs } of filters) for (const { input } of inputs) input.addEventListener("input", stale);

  const form = h("form", { id: "import-form", onsubmit: async (event) => {
    event.preventDefault();
    previewed = null;
    applyButton.disabled = true;
    preview.hidden = true;
    const params = query();
    params.set("name", name.value);
    const answer = await change(previewButton, error, () => api(`${base}/files/preview?${params}`, { method: "POST", body: body() }));
    if (!answer) return;
    previewed = answer;
    showPreview(preview, answer, calendar);
    applyButton.disabled = false;
    preview.querySelector("h2").focus();
  } },
  h("div", { class: "field" },
    h("label", { for: "ics-file" }, "ICS file"), file,
    h("p", { id: "ics-file-hint", class: "hint" }, "An iCalendar file (.ics), up to 4 MB: a holiday feed or a calendar exported from Outlook, Google or Thunderbird.")),
  h("div", { class: "field" },
    h("label", { for: "ics-name" }, "Name in the calendar"), name,
    h("p", { id: "ics-name-hint", class: "hint" }, calendar.files.length
      ? `A file of the same name replaces it (this calendar has ${calendar.files.map((f) => f.name).join(", ")}).`
      : "The file's own name unless you change it.")),
  filters.map(({ group, inputs }) => h("fieldset", { class: "filter", dataset: { group: group.key } },
    h("legend", {}, group.legend),
    inputs.map(({ field, input }) => h("div", { class: "field" }, h("label", { for: input.id }, field.label), input)))),
  h("p", { id: "filter-hint", class: "hint" }, "One value per line; case is ignored. For a national feed such as Thunderbird's US holidays, "
    + "“Federal Holiday” under “Summary or description contains” keeps the federal holidays and leaves the observances open."),
  h("div", { class: "actions" }, previewButton, applyButton),
  applyHint);

  applyButton.addEventListener("click", async () => {
    if (!previewed) return;
    const params = query();
    const applied = await change(applyButton, error, () => api(`${base}/files/${encodeURIComponent(previewed.name)}?${params}`, { method: "PUT", body: body() }));
    if (applied) location.assign(`calendar.html?id=${encodeURIComponent(calendar.id)}&applied=${encodeURIComponent(previewed.name)}#year`);
  });

  return [
    h("header", { class: "page-head" }, h("div", { class: "page-title" },
      h("p", { class: "crumb" }, h("a", { href: "./" }, "Calendars"), " / ",
        h("a", { href: `calendar.html?id=${encodeURIComponent(calendar.id)}` }, calendar.name), " /"),
      h("h1", {}, "Import an ICS file"),
      h("p", { class: "page-sub" }, `Into ${calendar.name}. Preview shows what the file would close; nothing is stored until you apply it.`))),
    h("section", { id: "import", class: "panel", "aria-label": "The file and which events close" }, form, error),
    preview,
  ];
}

function showPreview(section, answer, calendar) {
  section.hidden = false;
  section.classList.remove("stale");
  section.replaceChildren(
    h("h2", { id: "preview-title", tabindex: "-1" },
      `Preview: ${answer.closures.length} ${answer.closures.length === 1 ? "closure" : "closures"} from ${answer.name}`),
    h("p", { class: "lede preview-note" }, `${format.date(answer.from)} to ${format.date(answer.to)}. Nothing is stored yet: `
      + `Apply adds these closures to ${calendar.name}.`),
    answer.closures.length
      ? table(["Day", "Name"], answer.closures.map((c) => h("tr", { dataset: { date: c.date } },
        h("td", {}, h("time", { datetime: c.date }, format.date(c.date))),
        h("td", {}, c.name, c.closedFrom ? ` (from ${c.closedFrom})` : ""))))
      : h("p", { class: "empty" }, "The file closes nothing in the next twelve months with this filter."));
}
