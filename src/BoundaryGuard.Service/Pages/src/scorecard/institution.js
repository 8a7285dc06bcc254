// The institution's scorecard, for IT: everyone's totals and each department's, each withheld below the minimum.
import { api, h, showMain } from "./common.js";
import { format, rangeQuery, showError, startPage } from "./site.js";
import { chartsSection, draw, pageHead, totalsSection, trendSection, withheldSection } from "./scorecard.js";

try {
  await startPage("institution");
  const query = rangeQuery();
  const card = await api(`/api/v1/scorecards/institution?${query}`);
  const csv = new URLSearchParams({ from: card.from, to: card.to, format: "csv" });
  const parts = [pageHead({
    title: "Institution",
    subtitle: "Every department,",
    card,
    csvUrl: `/api/v1/scorecards/institution?${csv}`,
    csvName: `boundaryguard-institution-${card.from}-${card.to}.csv`,
    people: card.suppressed ? undefined : `${card.people} people`,
  })];
  const charts = [];
  if (card.suppressed) {
    parts.push(withheldSection(card, { title: "Institution totals" }));
  } else {
    parts.push(totalsSection(card.totals, { title: "Institution totals" }));
  }
  parts.push(departmentsSection(card));
  if (!card.suppressed) {
    parts.push(trendSection(card.trend));
    const weekly = chartsSection(card.weeks, card.totals, { id: "charts" });
    parts.push(weekly.section);
    charts.push(...weekly.charts);
  }
  showMain(parts);
  draw(charts);
} catch (error) {
  showError(error);
}

function departmentsSection(card) {
  const rows = (card.departmentSummaries ?? []).map((d) => h("tr", { dataset: { department: d.id, suppressed: String(d.suppressed) } },
    h("th", { scope: "row" }, d.name ? h("a", { href: `department.html?id=${encodeURIComponent(d.id)}&from=${card.from}&to=${card.to}` }, d.name) : "(no department)"),
    d.suppressed
      ? h("td", { colspan: 5, class: "withheld-cell" }, `Withheld: fewer than ${card.minimumGroupSize} people`)
      : [
        h("td", {}, format.count(d.people)),
        h("td", {}, format.index(d.totals.index)),
        h("td", {}, format.count(d.totals.attempts)),
        h("td", {}, format.share(d.totals.heldShare)),
        h("td", {}, format.count(d.totals.deliveredAfterHours)),
      ]));
  return h("section", { id: "departments", class: "panel", "aria-labelledby": "departments-title" },
    h("h2", { id: "departments-title" }, "Departments"),
    rows.length
      ? h("div", { class: "table-scroll" }, h("table", { class: "departments" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "Department"),
          h("th", { scope: "col" }, "People"),
          h("th", { scope: "col" }, "Index (0–100)"),
          h("th", { scope: "col" }, "After-hours attempts"),
          h("th", { scope: "col" }, "Held for working hours"),
          h("th", { scope: "col" }, "Delivered after hours"))),
        h("tbody", {}, rows)))
      : h("p", { class: "empty" }, "No boundary metrics in these weeks yet."));
}
