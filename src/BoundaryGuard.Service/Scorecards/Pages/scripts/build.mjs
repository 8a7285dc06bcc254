// Builds the scorecard pages into dist/, which the service serves at /scorecard/: the pages, their scripts and
// styles as written (ES modules every current browser runs; nothing to bundle), and Chart.js's own UMD build with its
// licence, so the pages load nothing from a CDN.
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
// The package's exports map hides its files from resolution; npm ci puts them here.
const chart = join(root, "node_modules", "chart.js");

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, "vendor"), { recursive: true });
await cp(join(root, "src"), dist, { recursive: true });
for (const file of ["chart.umd.min.js", "chart.umd.min.js.map"]) {
  await cp(join(chart, "dist", file), join(dist, "vendor", file));
}
await cp(join(chart, "LICENSE.md"), join(dist, "vendor", "chart.js.LICENSE.md"));
await writeFile(join(dist, ".built"), `${new Date().toISOString()}\n`);
