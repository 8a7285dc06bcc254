// The scorecard's front door: sends each person to what they may see. IT to the institution, a chair to their
// department (their own card first), everyone else to their own card; anyone not signed in to the sign-in page.
import { api, getSession, roles } from "./common.js";
import { showError } from "./site.js";

try {
  const session = await getSession();
  if (!session.signedIn) {
    location.replace("signin.html");
  } else if (session.roles.includes(roles.itAdmin)) {
    location.replace("institution.html");
  } else {
    const departments = await api("/api/v1/scorecards/departments");
    location.replace(departments.length ? `department.html?id=${encodeURIComponent(departments[0].id)}` : "me.html");
  }
} catch (error) {
  showError(error);
}
