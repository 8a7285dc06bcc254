// The scorecard's charts, drawn with Chart.js (served by the service from vendor/, loaded before these modules).
// Each chart is a figure with a caption, a canvas described for screen readers, and its figures as a table.
import { h } from "./common.js";
import { format } from "./site.js";

const { Chart } = globalThis;

function palette() {
  const style = getComputedStyle(document.documentElement);
  const value = (name) => style.getPropertyValue(name).trim();
  return {
    attempts: value("--chart-attempts"),
    held: value("--chart-held"),
    late: value("--chart-late"),
    index: value("--chart-index"),
    grid: value("--chart-grid"),
    text: value("--muted"),
    reasons: [value("--chart-reason-1"), value("--chart-reason-2"), value("--chart-reason-3"), value("--chart-reason-4")],
  };
}

function baseOptions(colors) {
  const reduced = matchMedia("(prefers-reduced-motion: reduce)").matches;
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: reduced ? false : { duration: 300 },
    interaction: { mode: "index", intersect: false },
    plugins: {
      // In the order the datasets are listed, whatever order they are drawn in.
      legend: { position: "bottom", labels: { color: colors.text, boxWidth: 12, boxHeight: 12, usePointStyle: true, sort: (a, b) => a.datasetIndex - b.datasetIndex } },
      tooltip: { padding: 10 },
    },
    scales: {
      x: { grid: { display: false }, ticks: { color: colors.text, maxRotation: 0, autoSkipPadding: 12 } },
      y: { beginAtZero: true, grid: { color: colors.grid }, ticks: { color: colors.text, precision: 0 } },
    },
  };
}

function figure({ id, title, description, table, size = "wide" }) {
  const canvas = h("canvas", { id, role: "img", "aria-label": description });
  const element = h("figure", { class: `chart chart-${size}` },
    h("figcaption", {}, title),
    h("div", { class: "chart-box" }, canvas),
    h("details", { class: "chart-table" }, h("summary", {}, "Show the figures"), table));
  return { element, canvas };
}

function weekTable(weeks, columns) {
  return h("table", {},
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Week"), columns.map((c) => h("th", { scope: "col" }, c.label)))),
    h("tbody", {}, weeks.map((w) => h("tr", {},
      h("th", { scope: "row" }, `${w.week} (${format.monday(w.monday)})`),
      columns.map((c) => h("td", {}, c.format(w.measures)))))));
}

/** After-hours attempts against held mail (and what was delivered after hours anyway), week by week. */
export function attemptsChart(id, weeks, title = "After-hours attempts and held mail, by week") {
  const colors = palette();
  const { element, canvas } = figure({
    id,
    title,
    description: `${title}. Bars: after-hours attempts and mail held for working hours; line: mail delivered after hours. The figures are in the table below.`,
    table: weekTable(weeks, [
      { label: "After-hours attempts", format: (m) => format.count(m.attempts) },
      { label: "Held", format: (m) => format.count(m.held) },
      { label: "Delivered after hours", format: (m) => format.count(m.deliveredAfterHours) },
    ]),
  });
  return {
    element,
    draw: () => new Chart(canvas, {
      data: {
        labels: weeks.map((w) => format.monday(w.monday)),
        datasets: [
          { type: "bar", label: "After-hours attempts", data: weeks.map((w) => w.measures.attempts), backgroundColor: colors.attempts, borderRadius: 3, order: 2 },
          { type: "bar", label: "Held for working hours", data: weeks.map((w) => w.measures.held), backgroundColor: colors.held, borderRadius: 3, order: 2 },
          { type: "line", label: "Delivered after hours", data: weeks.map((w) => w.measures.deliveredAfterHours), borderColor: colors.late, backgroundColor: colors.late, pointRadius: 3, cubicInterpolationMode: "monotone", order: 1 },
        ],
      },
      options: baseOptions(colors),
    }),
  };
}

/** The boundary modelling index, 0 to 100, week by week. */
export function indexChart(id, weeks, title = "Boundary modelling index, by week") {
  const colors = palette();
  const { element, canvas } = figure({
    id,
    title,
    description: `${title}, from 0 to 100 (higher is better). The figures are in the table below.`,
    table: weekTable(weeks, [{ label: "Index (0–100)", format: (m) => format.index(m.index) }]),
  });
  const options = baseOptions(colors);
  options.scales.y = { ...options.scales.y, min: 0, max: 100, ticks: { ...options.scales.y.ticks, stepSize: 25 } };
  options.plugins.legend.display = false;
  return {
    element,
    draw: () => new Chart(canvas, {
      type: "line",
      data: {
        labels: weeks.map((w) => format.monday(w.monday)),
        datasets: [{ label: "Index", data: weeks.map((w) => w.measures.index), borderColor: colors.index, backgroundColor: `${colors.index}22`, fill: "origin", pointRadius: 3, cubicInterpolationMode: "monotone" }],
      },
      options,
    }),
  };
}

export const overrideReasons = [
  { key: "patient-care", label: "Patient care" },
  { key: "time-critical", label: "Time-critical" },
  { key: "recipient-asked", label: "Recipient asked" },
  { key: "other", label: "Other" },
];

/** Held mail sent early, by the reason given, over the whole range. */
export function overridesChart(id, measures, title = "Held mail sent early, by reason") {
  const colors = palette();
  const table = h("table", {},
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Reason"), h("th", { scope: "col" }, "Sent early"))),
    h("tbody", {}, overrideReasons.map((r) => h("tr", {}, h("th", { scope: "row" }, r.label), h("td", {}, format.count(measures.overrides[r.key]))))));
  const { element, canvas } = figure({ id, title, description: `${title}. The figures are in the table below.`, table, size: "narrow" });
  const options = baseOptions(colors);
  options.indexAxis = "y";
  options.plugins.legend.display = false;
  options.scales = {
    x: { beginAtZero: true, grid: { color: colors.grid }, ticks: { color: colors.text, precision: 0 } },
    y: { grid: { display: false }, ticks: { color: colors.text } },
  };
  return {
    element,
    draw: () => new Chart(canvas, {
      type: "bar",
      data: {
        labels: overrideReasons.map((r) => r.label),
        datasets: [{ label: "Sent early", data: overrideReasons.map((r) => measures.overrides[r.key]), backgroundColor: colors.reasons, borderRadius: 3 }],
      },
      options,
    }),
  };
}
