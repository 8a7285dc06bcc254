// Exemptions: people whose mail BoundaryGuard never holds (an on-call clinical role, say), each for a reason and until
// a day at most a year ahead, so every one is reviewed at least yearly. Adding one sends their held mail at once.
import { api, h, showMain, table } from "./common.js";
import { change, errorLine, format, say, showError, startPage, statusLine } from "./site.js";

const base = "/api/v1/admin/exemptions";
const status = statusLine("exemptions-status");

try {
  await startPage("exemptions");
  await render("");
} catch (error) {
  showError(error);
}

async function render(notice, focusId) {
  const exemptions = await api(base);
  say(status, notice);
  showMain(
    h("header", { class: "page-head" }, h("div", { class: "page-title" },
      h("h1", {}, "Exemptions"),
      h("p", { class: "page-sub" }, "A person exempt from holds has their mail delivered whenever they send it, until the day given; "
        + "their scorecard card says so."))),
    status,
    listSection(exemptions),
    addSection());
  if (focusId) document.getElementById(focusId)?.focus();
}

function listSection(exemptions) {
  const error = errorLine("remove-error");
  const rows = exemptions.map((e) => {
    const remove = h("button", { type: "button", class: "link-button", "aria-label": `Remove the exemption of ${e.mailbox}`, onclick: async () => {
      if (await change(remove, error, () => api(`${base}/${encodeURIComponent(e.id)}`, { method: "DELETE" }))) {
        await render(`${e.mailbox} is no longer exempt: their mail after hours is held again.`, "exemptions-title");
      }
    } }, "Remove");
    return h("tr", { dataset: { mailbox: e.mailbox, id: e.id, active: String(e.active) } },
      h("th", { scope: "row" }, e.mailbox),
      h("td", {}, e.reason),
      h("td", {}, h("time", { datetime: e.until }, format.date(e.until))),
      h("td", {}, e.active ? h("span", { class: "badge service" }, "active") : h("span", { class: "badge folder" }, "ended")),
      h("td", {}, `${format.instant(e.updatedAt)} · ${e.updatedBy}`),
      h("td", {}, remove));
  });
  return h("section", { id: "exemptions", class: "panel", "aria-labelledby": "exemptions-title" },
    h("h2", { id: "exemptions-title", tabindex: "-1" }, "Exempt from holds"),
    rows.length
      ? table(["Person", "Reason", "Until (inclusive)", "State", "Added", h("span", { class: "visually-hidden" }, "Remove")], rows)
      : h("p", { class: "empty" }, "No one is exempt: everyone's mail after hours is held."),
    error);
}

function addSection() {
  const error = errorLine("exemption-error");
  const mailbox = h("input", { id: "exemption-mailbox", name: "mailbox", type: "email", required: true, autocomplete: "off", spellcheck: "false" });
  const reason = h("input", { id: "exemption-reason", name: "reason", type: "text", required: true, maxlength: 200, autocomplete: "off" });
  const until = h("input", { id: "exemption-until", name: "until", type: "date", required: true, "aria-describedby": "exemption-until-hint" });
  const add = h("button", { type: "submit", class: "primary" }, "Exempt");
  return h("section", { id: "add", class: "panel", "aria-labelledby": "add-title" },
    h("h2", { id: "add-title" }, "Exempt someone"),
    h("form", { class: "inline-form", onsubmit: async (event) => {
      event.preventDefault();
      const body = { mailbox: mailbox.value, reason: reason.value, until: until.value };
      const added = await change(add, error, () => api(base, { method: "POST", body }));
      if (added) await render(`${added.mailbox} is exempt from holds until ${format.date(added.until)}: ${added.reason}.`, "exemptions-title");
    } },
    h("div", { class: "field grow" }, h("label", { for: "exemption-mailbox" }, "Person's address"), mailbox),
    h("div", { class: "field grow" }, h("label", { for: "exemption-reason" }, "Reason"), reason),
    h("div", { class: "field" }, h("label", { for: "exemption-until" }, "Until"), until,
      h("p", { id: "exemption-until-hint", class: "hint" }, "The last day, at most a year ahead.")),
    add),
    error);
}
