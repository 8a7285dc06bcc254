// Builds the service's pages into dist/, one folder per site the service serves: dist/scorecard at /scorecard/ (the
// chairs' scorecard) and dist/admin at /admin/ (IT's calendars, departments and audit log). Each site is src/shared
// (the session, the API, the header, the error and sign-in pages, the stylesheet) with its own pages over it, so every
// link stays relative and each site stands alone; the sources are written once. Every page is the one template
// (src/shared/page.template.html) filled from its site's pages.json: its title, its loading line, the site's footer,
// its module (page.js) and, for the scorecard's charts, Chart.js. Scripts and styles go as written (ES modules every
// current browser runs; nothing to bundle), and the scorecard gets Chart.js's own UMD build with its licence, so no
// page loads anything from a CDN.
import { cp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const dist = join(root, "dist");
// The package's exports map hides its files from resolution; npm ci puts them here.
const chart = join(root, "node_modules", "chart.js");

const sites = {
  scorecard: async (folder) => {
    await mkdir(join(folder, "vendor"), { recursive: true });
    for (const file of ["chart.umd.min.js", "chart.umd.min.js.map"]) {
      await cp(join(chart, "dist", file), join(folder, "vendor", file));
    }
    await cp(join(chart, "LICENSE.md"), join(folder, "vendor", "chart.js.LICENSE.md"));
  },
  admin: async () => {},
};

// What the build reads rather than copies.
const inputs = new Set(["pages.json", "page.template.html"]);
const copied = (path) => !inputs.has(basename(path));
const template = await readFile(join(src, "shared", "page.template.html"), "utf8");
const readPages = async (folder) => JSON.parse(await readFile(join(src, folder, "pages.json"), "utf8"));
const shared = await readPages("shared");
const sharedFiles = new Set((await readdir(join(src, "shared"))).filter(copied));

const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function page(name, { title, loading, charts = false }, footer) {
  const scripts = [
    charts ? `  <script src="vendor/chart.umd.min.js" defer></script>` : null,
    `  <script type="module" src="${name}.js"></script>`,
  ].filter(Boolean).join("\n");
  const values = { title: escape(title), loading: escape(loading), footer: escape(footer), scripts };
  return template.replace(/\{\{(\w+)\}\}/g, (_, key) => values[key]);
}

await rm(dist, { recursive: true, force: true });
for (const [site, extras] of Object.entries(sites)) {
  // A site's file of a shared file's name would silently replace it on every page of the site.
  const own = (await readdir(join(src, site))).filter(copied);
  const clashes = own.filter((file) => sharedFiles.has(file));
  if (clashes.length) {
    throw new Error(`src/${site} has ${clashes.join(", ")}, which src/shared has too: rename one`);
  }
  const { footer, pages } = await readPages(site);
  const folder = join(dist, site);
  await cp(join(src, "shared"), folder, { recursive: true, filter: copied });
  await cp(join(src, site), folder, { recursive: true, filter: copied });
  for (const [name, settings] of Object.entries({ ...shared.pages, ...pages })) {
    if (!own.includes(`${name}.js`) && !sharedFiles.has(`${name}.js`)) {
      throw new Error(`src/${site}/pages.json names the page ${name}, which has no ${name}.js`);
    }
    await writeFile(join(folder, `${name}.html`), page(name, settings, footer));
  }
  await extras(folder);
}
await writeFile(join(dist, ".built"), `${new Date().toISOString()}\n`);
