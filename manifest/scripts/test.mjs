// npm test: builds the demo host the tests run against (the service, and with it this add-in, into dist/), then runs
// every test file one at a time (each starts services of its own; two cores are not enough to run them side by side).
// Results go to the console and, as JUnit XML, to test-results/junit.xml, which .ci/run counts.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const run = (command, args, cwd) => spawnSync(command, args, { cwd, stdio: "inherit" }).status ?? 1;

const built = run("dotnet", ["build", join(root, "../src/BoundaryGuard.Demo"), "-c", "Debug", "--nologo", "-v", "quiet"], root);
if (built !== 0) {
  console.error("The demo host did not build: the add-in's tests need it.");
  process.exit(built);
}

mkdirSync(join(root, "test-results"), { recursive: true });
const files = readdirSync(join(root, "tests")).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => join("tests", f));
process.exit(run(process.execPath, [
  "--test", "--test-concurrency=1",
  "--test-reporter=spec", "--test-reporter-destination=stdout",
  "--test-reporter=junit", "--test-reporter-destination=test-results/junit.xml",
  ...files,
], root));
