// One's own card: every mail user's, whatever the size of their department.
import { api, showMain } from "./common.js";
import { rangeQuery, showError, startPage } from "./site.js";
import { chartsSection, draw, exemptNote, pageHead, totalsSection, trendSection } from "./scorecard.js";

try {
  const { session } = await startPage("me");
  const query = rangeQuery();
  const card = await api(`/api/v1/scorecards/me?${query}`);
  const csv = new URLSearchParams({ from: card.from, to: card.to, format: "csv" });
  const weekly = chartsSection(card.weeks, card.totals, { id: "charts", own: true });
  showMain(
    pageHead({
      title: "Your card",
      subtitle: `${session.name},`,
      card,
      csvUrl: `/api/v1/scorecards/me?${csv}`,
      csvName: `boundaryguard-my-card-${card.from}-${card.to}.csv`,
    }),
    exemptNote(card.own),
    totalsSection(card.totals, { id: "own", title: "Your measures" }),
    trendSection(card.trend),
    weekly.section);
  draw(weekly.charts);
} catch (error) {
  showError(error);
}
