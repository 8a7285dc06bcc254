// The "Held mail" task pane: the signed-in user's held mail with its release times, Send now (with a reason, which
// the service records as an override) and Cancel; the sends Outlook delayed itself; and the way to hold mail from
// a phone. Opened from the ribbon, or from the Smart Alerts dialog of a send that was just held, which passes that
// hold as contextData. Where the held draft is the message open in this compose window, Send now records the reason
// with the service and sends it with Outlook's own item.sendAsync (Mailbox 1.15); elsewhere the service sends it.
import { ServiceClient, ServiceError, TokenError } from "./api.js";
import { createTokenSource } from "./auth.js";
import { config } from "./config.js";
import { formatReleaseAt } from "./decide.js";
import { Deferrals } from "./deferrals.js";
import { PolicyCache } from "./policy-cache.js";
import { lastHold, officeCall, OVERRIDE_KEY } from "./send.js";
import { durableStorage, itemSessionStorage, writeJson } from "./storage.js";

const OVERRIDE_REASONS = [
  ["patient-care", "Patient care"],
  ["time-critical", "Time-critical"],
  ["recipient-asked", "The recipient asked for it now"],
  ["other", "Other"],
];

const STATE_LABELS = {
  held: "Waiting",
  sending: "Sending",
  sent: "Sent",
  cancelled: "Cancelled",
  overridden: "Sent early",
  "sent-by-user": "Sent by you",
  failed: "Not sent",
};

const REASON_LABELS = {
  "after-hours": "after hours",
  weekend: "weekend",
  holiday: "holiday",
  "recipient-off-hours": "outside a recipient's hours",
};

const HISTORY_LENGTH = 10;

class TaskPane {
  constructor(document, { office, client, cache, clock = () => Date.now() }) {
    this.document = document;
    this.office = office;
    this.client = client;
    this.cache = cache;
    this.clock = clock;
    this.timeZone = undefined; // the policy's zone once known; until then the device's
  }

  element(id) {
    return this.document.getElementById(id);
  }

  async load() {
    try {
      const [holds, deferrals, policy, current] = await Promise.all([
        this.client.holds(),
        this.client.deferrals(),
        this.cache.refresh().catch(() => null),
        currentHold(this.office),
      ]);
      this.timeZone = policy?.timeZone ?? this.timeZone;
      this.render(holds, deferrals, current?.id);
      this.status("");
    } catch (error) {
      this.status(messageOf(error), true);
    }
  }

  render(holds, deferrals, currentId) {
    this.currentId = currentId;
    const waiting = holds.filter((h) => h.state === "held" || h.state === "sending")
      .sort((a, b) => (a.id === currentId ? -1 : b.id === currentId ? 1 : Date.parse(a.releaseAt) - Date.parse(b.releaseAt)));
    const done = holds.filter((h) => !waiting.includes(h)).slice(0, HISTORY_LENGTH);
    this.fill("held", waiting, (hold) => this.holdItem(hold, hold.id === currentId));
    this.element("held-empty").hidden = waiting.length > 0;
    this.fill("history", done, (hold) => this.holdItem(hold, false));
    this.element("history-empty").hidden = done.length > 0;
    this.fill("deferred", deferrals.filter((d) => Date.parse(d.releaseAt) > Date.now()), (d) => this.deferralItem(d));
    this.element("deferred-section").hidden = this.element("deferred").children.length === 0;
  }

  fill(listId, items, toElement) {
    this.element(listId).replaceChildren(...items.map(toElement));
  }

  holdItem(hold, current) {
    const item = this.tag("li", { class: `hold${current ? " current" : ""}`, "data-hold-id": hold.id });
    item.append(this.tag("span", { class: "state" }, STATE_LABELS[hold.state] ?? hold.state));
    const when = hold.state === "held" || hold.state === "sending"
      ? `Goes ${this.format(hold.releaseAt)}`
      : hold.completedAt ? `${STATE_LABELS[hold.state] ?? hold.state} ${this.format(hold.completedAt)}` : `Was due ${this.format(hold.releaseAt)}`;
    item.append(this.tag("div", { class: "when" }, when));
    const why = hold.reasons.map((r) => REASON_LABELS[r] ?? r).join(", ");
    const source = hold.source === "send-later" ? " · from the Send later folder" : "";
    item.append(this.tag("div", { class: "meta" }, `${current ? "This message · " : ""}Held ${this.format(hold.createdAt)}${why ? ` · ${why}` : ""}${source}`));
    if (hold.state === "held") {
      item.append(this.actions(hold));
    }

    return item;
  }

  actions(hold) {
    const box = this.tag("div", { class: "actions" });
    const reason = this.tag("select", { "aria-label": "Why must this go now?" });
    reason.append(this.tag("option", { value: "" }, "Send now? Choose why…"));
    for (const [value, label] of OVERRIDE_REASONS) {
      reason.append(this.tag("option", { value }, label));
    }

    const sendNow = this.tag("button", { type: "button", disabled: "" }, "Send now");
    const cancel = this.tag("button", { type: "button", class: "secondary" }, "Cancel hold");
    reason.addEventListener("change", () => { sendNow.disabled = !reason.value; });
    sendNow.addEventListener("click", () => (this.canSendFromCompose(hold)
      ? this.sendFromCompose(box, hold, reason.value)
      : this.act(box, () => this.client.release(hold.id, reason.value), "Sent.")));
    cancel.addEventListener("click", () => this.act(box, () => this.client.cancel(hold.id), "Hold cancelled: the message stays in your Drafts folder."));
    box.append(reason, sendNow, cancel);
    return box;
  }

  /** The held draft is the message open in this compose window, and Outlook can send it from here (Mailbox 1.15). */
  canSendFromCompose(hold) {
    return hold.id === this.currentId &&
      this.office.context.requirements.isSetSupported("Mailbox", "1.15") &&
      typeof this.office.context.mailbox.item?.sendAsync === "function";
  }

  /**
   * Records the reason with the service, tells the Send handler (which item.sendAsync runs again) to let this send
   * go, then sends. Nothing after sendAsync is guaranteed to run, so everything is done before it
   * (learn.microsoft.com/office/dev/add-ins/outlook/smart-alerts-onmessagesend-walkthrough, sendAsync).
   */
  async sendFromCompose(box, hold, reason) {
    for (const control of box.querySelectorAll("button, select")) {
      control.disabled = true;
    }

    try {
      await this.client.override(hold.id, reason);
      const session = itemSessionStorage(this.office);
      if (session) {
        await writeJson(session, OVERRIDE_KEY, { holdId: hold.id, at: this.clock() }).catch(() => {});
      }

      this.status("Sending…");
      await officeCall((done) => this.office.context.mailbox.item.sendAsync(done));
    } catch (error) {
      this.status(error instanceof ServiceError || error instanceof TokenError ? messageOf(error) : "Outlook could not send it; it is still held.", true);
      await this.load();
    }
  }

  deferralItem(deferral) {
    const item = this.tag("li", { class: "hold", "data-deferral-id": deferral.id });
    item.append(this.tag("span", { class: "state" }, "Delayed"));
    item.append(this.tag("div", { class: "when" }, `Goes ${this.format(deferral.releaseAt)}`));
    item.append(this.tag("div", { class: "meta" }, `Sent ${this.format(deferral.deferredAt)}`));
    return item;
  }

  async act(box, action, done) {
    for (const control of box.querySelectorAll("button, select")) {
      control.disabled = true;
    }

    try {
      await action();
      this.status(done);
    } catch (error) {
      this.status(messageOf(error), true);
    }

    const message = this.element("status").textContent;
    const failed = this.element("status").classList.contains("error");
    await this.load();
    this.status(message, failed);
  }

  status(text, error = false) {
    const status = this.element("status");
    status.textContent = text;
    status.classList.toggle("error", error);
  }

  format(instant) {
    return formatReleaseAt(Date.parse(instant), this.timeZone);
  }

  tag(name, attributes = {}, text) {
    const element = this.document.createElement(name);
    for (const [key, value] of Object.entries(attributes)) {
      element.setAttribute(key, value);
    }

    if (text !== undefined) {
      element.textContent = text;
    }

    return element;
  }
}

function messageOf(error) {
  if (error instanceof TokenError) {
    return "BoundaryGuard could not sign you in. Close and reopen this pane; if it keeps happening, tell IT.";
  }

  if (error instanceof ServiceError) {
    // The service's ProblemDetails are written for users and never carry mail content.
    return error.message;
  }

  return "BoundaryGuard could not be reached. Try again in a moment.";
}

/** The hold this pane was opened for: the Smart Alerts dialog's contextData, else the last Send's in this message. */
async function currentHold(office) {
  const item = office.context.mailbox.item;
  if (typeof item?.getInitializationContextAsync === "function") {
    const context = await officeCall((done) => item.getInitializationContextAsync(done)).catch(() => null);
    try {
      const { holdId } = JSON.parse(context ?? "null") ?? {};
      if (holdId) {
        return { id: holdId };
      }
    } catch {
      // opened from the ribbon: no context
    }
  }

  return lastHold(office).catch(() => null);
}

/** Where Outlook keeps a message it delays itself (learn.microsoft.com/office/dev/add-ins/outlook/delay-delivery). */
function deferredNote(office) {
  return office.context.platform === office.PlatformType?.PC
    ? "BoundaryGuard could not be reached when you sent these, so Outlook's server delays their delivery to the time " +
      "shown. Classic Outlook does not keep them in your Outbox: they go at that time, and you can read them in Sent Items."
    : "BoundaryGuard could not be reached when you sent these, so Outlook's server delays their delivery to the time " +
      "shown. Until then they wait in your Drafts folder, where you can still change them.";
}

Office.onReady(async () => {
  const storage = durableStorage();
  const mailbox = () => Office.context.mailbox.userProfile.emailAddress;
  const getToken = createTokenSource(config, { office: Office, storage, interactive: true, mailbox });
  const client = new ServiceClient({ baseUrl: config.apiBaseUrl ?? config.baseUrl, getToken });
  document.getElementById("deferred-note").textContent = deferredNote(Office);
  const pane = new TaskPane(document, { office: Office, client, cache: new PolicyCache({ storage, client }) });
  await pane.load();
  // Sends Outlook delayed while the service was out of reach: report them now that it answers.
  if ((await new Deferrals({ storage, client }).report().catch(() => 0)) > 0) {
    await pane.load();
  }
});
