// A department's scorecard, for its chair (their own card first) and for IT.
import { api, h, param, showMain } from "./common.js";
import { rangeQuery, showError, startPage } from "./site.js";
import { chartsSection, draw, pageHead, personCard, totalsSection, trendSection, withheldSection } from "./scorecard.js";

const id = param("id") ?? "";

try {
  await startPage(`department:${id}`);
  const query = rangeQuery();
  const base = `/api/v1/scorecards/departments/${encodeURIComponent(id)}`;
  const card = await api(`${base}?${query}`);
  document.title = `${card.name} · Scorecard · BoundaryGuard`;
  const csv = new URLSearchParams({ from: card.from, to: card.to, format: "csv" });
  const parts = [pageHead({
    title: card.name,
    subtitle: "Department scorecard,",
    card,
    csvUrl: `${base}?${csv}`,
    csvName: `boundaryguard-${card.id}-${card.from}-${card.to}.csv`,
    people: card.suppressed ? undefined : `${card.people} people${card.exempt ? ` · ${card.exempt} ${card.exempt === 1 ? "person" : "people"} exempt from holds` : ""}`,
  })];
  const charts = [];
  if (card.own) {
    const own = personCard(card.own, {
      id: "own",
      title: "Your card",
      lede: "Your own mail first: what you model for the department.",
    });
    parts.push(own.section);
    charts.push(...own.charts);
  }
  if (card.suppressed) {
    parts.push(withheldSection(card, { title: "Department totals" }));
  } else {
    parts.push(totalsSection(card.totals, { title: "Department totals" }));
    parts.push(trendSection(card.trend));
    const weekly = chartsSection(card.weeks, card.totals, { id: "charts" });
    parts.push(weekly.section);
    charts.push(...weekly.charts);
  }
  parts.push(h("p", { class: "note" },
    `Every department figure covers at least ${card.minimumGroupSize} people; no one else's mail is shown by name.`));
  showMain(parts);
  draw(charts);
} catch (error) {
  showError(error);
}
