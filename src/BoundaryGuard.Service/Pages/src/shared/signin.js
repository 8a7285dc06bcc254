// Sign-in to a site of pages (this folder): with Microsoft (Entra ID) where the service is configured for it, and in
// the demo (the service on its embedded Graph sandbox) by picking one of the demo institution's people. Back to the
// page that sent the person here, never to another site or another folder.
import { brand, getSession, h, showMain } from "./common.js";
import { site } from "./site.js";

const params = new URLSearchParams(location.search);
const folder = location.pathname.slice(0, location.pathname.lastIndexOf("/") + 1);
const asked = params.get("returnUrl") ?? "";
const returnUrl = asked.startsWith(folder) && !asked.includes("\\") ? asked : folder;
document.getElementById("topbar").replaceChildren(brand(site));

try {
  const session = await getSession();
  const parts = [h("h1", {}, site.signIn.title)];
  if (params.get("signedout")) parts.push(h("p", { class: "notice", role: "status" }, "You are signed out."));
  if (params.get("error")) parts.push(h("p", { class: "notice error", role: "alert" }, "Sign-in did not complete. Please try again."));
  if (session.signedIn) {
    parts.push(h("p", {}, `You are signed in as ${session.name}. `, h("a", { href: returnUrl }, site.signIn.continue), "."));
  }
  if (session.methods.microsoft) {
    parts.push(h("p", { class: "lede" }, "Use your institution's Microsoft account."),
      h("p", {}, h("a", { class: "button primary", id: "signin-microsoft", href: `/auth/signin?returnUrl=${encodeURIComponent(returnUrl)}` }, "Sign in with Microsoft")));
  }
  if (session.methods.demo) {
    parts.push(await demoPeople());
  }
  if (!session.methods.microsoft && !session.methods.demo) {
    parts.push(h("p", {}, `${site.signIn.notSetUp} IT configures it in `
      + "Authentication:Schemes:OpenIdConnect (see docs/microsoft-365.md, Signing in to the scorecard)."));
  }
  showMain(h("section", { class: "panel signin" }, parts));
} catch {
  showMain(h("section", { class: "panel signin" }, h("h1", {}, "Sign-in is unavailable"), h("p", {}, "The service did not answer. Try again in a moment.")));
}

async function demoPeople() {
  const people = await (await fetch("/auth/demo/people", { headers: { Accept: "application/json" } })).json();
  const groups = new Map();
  for (const person of people) {
    const department = person.department ?? "Information Technology";
    groups.set(department, [...(groups.get(department) ?? []), person]);
  }
  const status = h("p", { role: "status", class: "notice", hidden: true });
  return h("section", { class: "demo", "aria-labelledby": "demo-title" },
    h("h2", { id: "demo-title" }, "Demo: sign in as one of the demo institution's people"),
    h("p", { class: "lede" }, `This service runs on its built-in Microsoft 365 sandbox, so there is no real sign-in. ${site.signIn.demo}`),
    status,
    [...groups].map(([department, members]) => h("fieldset", { class: "people" },
      h("legend", {}, department),
      h("ul", {}, members.map((person) => h("li", {},
        h("button", { type: "button", class: "person", dataset: { mailbox: person.mailbox }, onclick: () => signIn(person, status) },
          h("span", { class: "person-name" }, person.name),
          h("span", { class: "person-title" }, [person.jobTitle, site.signIn.note(person.roles)].filter(Boolean).join(" · ")),
          h("span", { class: "person-mail" }, person.mailbox))))))));
}

async function signIn(person, status) {
  const response = await fetch("/auth/demo/signin", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ mailbox: person.mailbox }),
  });
  if (response.ok) {
    location.assign(returnUrl);
  } else {
    status.hidden = false;
    status.textContent = `Could not sign in as ${person.name} (the service answered ${response.status}).`;
  }
}
