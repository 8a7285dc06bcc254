// The parts of a scorecard page: its heading with the range and the CSV download, a person's card, the totals with
// each measure explained, the trend against the four weeks before, the charts, and the withheld notice.
import { attemptsChart, indexChart, overrideReasons, overridesChart } from "./charts.js";
import { api, h } from "./common.js";
import { format, sumOverrides } from "./site.js";

/**
 * The measures, each with its name and one plain line on what it counts (docs/chairs.md has the exact
 * formulas). "better" says which way is good, for the trend.
 */
export const measures = [
  {
    key: "index", name: "Boundary modelling index", better: "up",
    value: (m) => m.index, show: (m) => `${format.index(m.index)}`, unit: "/ 100",
    definition: "100 when no after-hours mail reaches anyone; mail that reaches trainees after hours weighs double.",
  },
  {
    key: "attempts", name: "After-hours attempts", better: "down",
    value: (m) => m.attempts, show: (m) => format.count(m.attempts),
    definition: "Mail sent outside working hours: held, delayed by Outlook, or delivered anyway.",
  },
  {
    key: "heldShare", name: "Held for working hours", better: "up",
    value: (m) => m.heldShare, show: (m) => format.share(m.heldShare),
    note: (m) => `${format.count(m.held)} held`,
    definition: "Share of after-hours attempts that were delivered in working hours instead.",
  },
  {
    key: "deliveredAfterHours", name: "Delivered after hours", better: "down",
    value: (m) => m.deliveredAfterHours, show: (m) => format.count(m.deliveredAfterHours),
    definition: "Mail that reached people after hours: sent early on purpose, or sent without BoundaryGuard.",
  },
  {
    key: "deliveredAfterHoursToTrainees", name: "…of which to trainees", better: "down",
    value: (m) => m.deliveredAfterHoursToTrainees, show: (m) => format.count(m.deliveredAfterHoursToTrainees),
    definition: "After-hours deliveries that reached residents, fellows, interns or students.",
  },
  {
    key: "overrides", name: "Sent early", better: "down",
    value: (m) => sumOverrides(m), show: (m) => format.count(sumOverrides(m)),
    definition: "Held mail its sender chose to send before working hours, with a reason.",
  },
  {
    key: "weekendAttempts", name: "Weekend attempts", better: "down",
    value: (m) => m.weekendAttempts, show: (m) => format.count(m.weekendAttempts),
    definition: "After-hours attempts on a day that is not a working day.",
  },
  {
    key: "holidayAttempts", name: "Holiday attempts", better: "down",
    value: (m) => m.holidayAttempts, show: (m) => format.count(m.holidayAttempts),
    definition: "After-hours attempts on an institutional holiday or closure.",
  },
  {
    key: "medianHoldHours", name: "Typical wait", better: null,
    value: (m) => m.medianHoldHours, show: (m) => format.hours(m.medianHoldHours),
    definition: "How long held mail waited before delivery (the median).",
  },
];

const cardMeasures = ["index", "attempts", "heldShare", "deliveredAfterHours", "overrides", "medianHoldHours"];

function tile(measure, m, { definition = true } = {}) {
  return h("div", { class: `tile tile-${measure.key}`, dataset: { measure: measure.key, value: String(measure.value(m) ?? "") } },
    h("dt", {}, measure.name),
    h("dd", { class: "tile-value" }, measure.show(m), measure.unit ? h("span", { class: "tile-unit" }, ` ${measure.unit}`) : null),
    measure.note ? h("dd", { class: "tile-note" }, measure.note(m)) : null,
    definition ? h("dd", { class: "tile-definition" }, measure.definition) : null);
}

export function tiles(m, keys = null) {
  const shown = keys ? measures.filter((x) => keys.includes(x.key)) : measures;
  return h("dl", { class: "tiles" }, shown.map((measure) => tile(measure, m)));
}

/** The heading: what, which weeks, how many people, the range form and the CSV download of what the page shows. */
export function pageHead({ title, subtitle, card, csvUrl, csvName, people }) {
  const from = h("input", { type: "week", id: "range-from", name: "from", value: card.from, required: true });
  const to = h("input", { type: "week", id: "range-to", name: "to", value: card.to, required: true });
  const form = h("form", { class: "range", method: "get", onsubmit: (event) => {
    event.preventDefault();
    const params = new URLSearchParams(location.search);
    params.set("from", from.value);
    params.set("to", to.value);
    location.search = params.toString();
  } },
  h("label", { for: "range-from" }, "From"), from,
  h("label", { for: "range-to" }, "to"), to,
  h("button", { type: "submit", class: "secondary" }, "Show"));
  const presets = h("p", { class: "presets" }, "Last ",
    [4, 12, 26, 52].map((n, i) => [i ? " · " : "", h("a", { href: presetHref(card, n) }, `${n} weeks`)]));
  const status = h("p", { class: "download-status", role: "status", "aria-live": "polite" });
  const download = h("button", { type: "button", id: "download-csv", class: "primary", onclick: () => downloadCsv(csvUrl, csvName, download, status) },
    h("span", { "aria-hidden": "true" }, "⤓ "), "Download CSV");
  return h("header", { class: "page-head" },
    h("div", { class: "page-title" },
      h("h1", {}, title),
      h("p", { class: "page-sub" }, subtitle,
        h("span", { class: "range-text" }, ` ${card.from} – ${card.to} · ${format.range(card.weeks.length ? card.weeks : card.own?.weeks ?? [])}`),
        people !== undefined ? h("span", {}, ` · ${people}`) : null)),
    h("div", { class: "download" }, download, status),
    h("div", { class: "page-tools" }, form, presets));
}

/** The same range's last n weeks: from the Monday n-1 weeks before the last week shown. */
function presetHref(card, n) {
  const weeks = card.weeks.length ? card.weeks : card.own?.weeks ?? [];
  const params = new URLSearchParams(location.search);
  if (weeks.length) {
    const monday = new Date(`${weeks[weeks.length - 1].monday}T00:00:00Z`);
    monday.setUTCDate(monday.getUTCDate() - 7 * (n - 1));
    params.set("from", monday.toISOString().slice(0, 10));
    params.set("to", card.to);
  }
  return `?${params}`;
}

/** Downloads the API's own CSV for the range on the page, byte for byte, as a file. */
async function downloadCsv(url, name, button, status) {
  button.disabled = true;
  status.textContent = "Preparing the CSV…";
  try {
    const text = await api(url, { accept: "text/csv" });
    const link = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    status.textContent = `Downloaded ${name}.`;
  } catch (error) {
    status.textContent = `The CSV could not be downloaded: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

/** "Exempt from holds until <date>" when IT exempted the person (their mail is never held); null otherwise. */
export function exemptNote(card) {
  return card?.exemptUntil
    ? h("p", { class: "notice exempt", dataset: { until: card.exemptUntil } }, `Exempt from holds until ${format.date(card.exemptUntil)}`)
    : null;
}

/** A person's card: the main measures and their weeks. */
export function personCard(card, { id, title, lede }) {
  const chart = attemptsChart(`${id}-chart`, card.weeks, "Your after-hours attempts and held mail, by week");
  const section = h("section", { id, class: "panel own-card", "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    lede ? h("p", { class: "lede" }, lede) : null,
    exemptNote(card),
    tiles(card.totals, cardMeasures),
    h("div", { class: "charts" }, chart.element));
  return { section, charts: [chart] };
}

/** The totals of a group (or a person) with every measure explained. */
export function totalsSection(m, { id = "totals", title }) {
  return h("section", { id, class: "panel", "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    tiles(m));
}

/** The last week against the average week of the four before it. */
export function trendSection(trend, { id = "trend" } = {}) {
  const rows = measures.filter((m) => m.better !== null).map((measure) => {
    const now = measure.value(trend.current);
    const before = measure.value(trend.previousFourWeeks);
    return h("tr", { dataset: { measure: measure.key } },
      h("th", { scope: "row" }, measure.name),
      h("td", {}, measure.show(trend.current)),
      h("td", {}, measure.show(trend.previousFourWeeks)),
      h("td", {}, change(now, before, measure.better)));
  });
  return h("section", { id, class: "panel", "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, "Trend"),
    h("p", { class: "lede" }, `The last week shown (${trend.week}) against the average week of the four before it.`),
    h("div", { class: "table-scroll" }, h("table", { class: "trend" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, "Measure"),
        h("th", { scope: "col" }, `Week ${trend.week}`),
        h("th", { scope: "col" }, "Four weeks before (average)"),
        h("th", { scope: "col" }, "Change"))),
      h("tbody", {}, rows))));
}

function change(now, before, better) {
  if (now === null || before === null || now === undefined || before === undefined) return h("span", { class: "change same" }, "—");
  if (now === before) return h("span", { class: "change same" }, "No change");
  const up = now > before;
  const good = (better === "up") === up;
  return h("span", { class: `change ${good ? "better" : "worse"}` },
    h("span", { "aria-hidden": "true" }, up ? "▲ " : "▼ "), `${up ? "Up" : "Down"}, ${good ? "better" : "worse"}`);
}

/** The weekly charts and the overrides by reason. */
export function chartsSection(weeks, totals, { id = "charts", own = false } = {}) {
  const attempts = attemptsChart(`${id}-attempts`, weeks, own ? "Your after-hours attempts and held mail, by week" : undefined);
  const index = indexChart(`${id}-index`, weeks, own ? "Your boundary modelling index, by week" : undefined);
  const overrides = overridesChart(`${id}-overrides`, totals, own ? "Your held mail sent early, by reason" : undefined);
  const section = h("section", { id, class: "panel", "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, "Week by week"),
    h("div", { class: "charts" }, attempts.element, index.element, overrides.element),
    h("p", { class: "note" }, `Sent early, by reason, over the range: ${overrideReasons.map((r) => `${r.label.toLowerCase()} ${format.count(totals.overrides[r.key])}`).join(", ")}.`));
  return { section, charts: [attempts, index, overrides] };
}

/** Shown in place of every aggregate when fewer people than the minimum group size were active. */
export function withheldSection(card, { id = "totals", title }) {
  return h("section", { id, class: "panel withheld", role: "status", "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    h("p", { class: "withheld-text" }, h("strong", {}, `Withheld: fewer than ${card.minimumGroupSize} people.`)),
    h("p", {}, `BoundaryGuard shows no figures for a group of fewer than ${card.minimumGroupSize} people in the weeks shown, `
      + "so no one's mail can be singled out. A longer range may include enough people."));
}

/** Charts are drawn once their figures are in the page (Chart.js sizes them from their box). */
export function draw(charts) {
  for (const chart of charts) chart.draw();
}
