// Builds the add-in into dist/, which the service serves at /addin/: the two scripts bundled with MSAL.js (classic
// Outlook on Windows loads launchevent.js alone, so it must be one file with no imports), the pages, the icons and
// both manifests. Placeholders (https://boundaryguard.invalid and the Entra settings) stay: the service fills them.
import { build } from "esbuild";
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: [join(root, "src/launchevent.js"), join(root, "src/taskpane.js")],
  outdir: dist,
  bundle: true,
  format: "iife",
  // Lowered so the same files run in every runtime Outlook gives add-ins, older Windows webviews included.
  target: "es2017",
  minify: true,
  sourcemap: "linked",
  legalComments: "linked",
  logLevel: "warning",
});
for (const file of ["src/commands.html", "src/taskpane.html", "src/taskpane.css", "manifest.xml", "manifest.json"]) {
  await cp(join(root, file), join(dist, file.replace(/^src\//, "")));
}

await cp(join(root, "assets"), join(dist, "assets"), { recursive: true });
await writeFile(join(dist, ".built"), `${new Date().toISOString()}\n`);
