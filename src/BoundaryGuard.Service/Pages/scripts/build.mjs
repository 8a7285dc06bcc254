// Builds the service's pages into dist/, one folder per site the service serves: dist/scorecard at /scorecard/ (the
// chairs' scorecard). Each site is src/shared (the session, the API, the header, the error and sign-in pages, the
// stylesheet) with its own pages over it, so every link stays relative and each site stands alone; the sources are
// written once. Pages, scripts and styles go as written (ES modules every current browser runs; nothing to bundle), and
// the scorecard gets Chart.js's own UMD build with its licence, so no page loads anything from a CDN.
import { cp, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
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
};

const shared = new Set(await readdir(join(src, "shared")));
await rm(dist, { recursive: true, force: true });
for (const [site, extras] of Object.entries(sites)) {
  // A site's file of a shared file's name would silently replace it on every page of the site.
  const clashes = (await readdir(join(src, site))).filter((file) => shared.has(file));
  if (clashes.length) {
    throw new Error(`src/${site} has ${clashes.join(", ")}, which src/shared has too: rename one`);
  }
  const folder = join(dist, site);
  await cp(join(src, "shared"), folder, { recursive: true });
  await cp(join(src, site), folder, { recursive: true });
  await extras(folder);
}
await writeFile(join(dist, ".built"), `${new Date().toISOString()}\n`);
