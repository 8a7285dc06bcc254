// The real BoundaryGuard service for the add-in's tests: the demo host (scripts/test.mjs builds it) as a process
// of its own, on its embedded default (SQLite in a temporary folder, the built-in Graph sandbox seeded with the demo
// institution), on a simulated clock that starts where a test needs it, and accepting tokens this file signs.
import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repository = join(dirname(fileURLToPath(import.meta.url)), "../../..");
export const serviceFolder = join(repository, "src/BoundaryGuard.Demo/bin/Debug/net10.0");

const ISSUER = "boundaryguard-addin-tests";
const AUDIENCE = "boundaryguard";

export const DOMAIN = "med.example.edu";

/**
 * Starts the service with its clock at `startAt` (ISO instant with offset), running `clockSpeed` times real time,
 * with any further `settings` (configuration keys, or a function of the port the service will listen on that gives them).
 * Returns { baseUrl, sandboxUrl, token(mailbox, role), createDraft(mailbox, to), message(mailbox, id), sends(), stop() }.
 */
export async function startService({ startAt, clockSpeed = 1, settings: extra = {} } = {}) {
  const [port, sandboxPort] = [await freePort(), await freePort()];
  const folder = await mkdtemp(join(tmpdir(), "boundaryguard-addin-"));
  const key = randomBytes(32);
  const baseUrl = `http://127.0.0.1:${port}`;
  const settings = {
    // Where Outlook loads the add-in from: its origin is the one the well-known URI and CORS answer for.
    "Addin:BaseUrl": baseUrl,
    "Scheduling:ConnectionString": `Data Source=${join(folder, "boundaryguard.db")}`,
    "Sandbox:Port": sandboxPort,
    "Sandbox:DataFile": "",
    "Authentication:Schemes:Bearer:ValidIssuer": ISSUER,
    "Authentication:Schemes:Bearer:ValidAudiences:0": AUDIENCE,
    "Authentication:Schemes:Bearer:SigningKeys:0:Issuer": ISSUER,
    "Authentication:Schemes:Bearer:SigningKeys:0:Value": key.toString("base64"),
    ...(startAt ? { "Demo:StartAt": startAt, "Demo:ClockSpeed": clockSpeed } : {}),
    ...(typeof extra === "function" ? extra({ port }) : extra),
  };
  const args = [join(serviceFolder, "BoundaryGuard.Demo.dll"), "--urls", `http://127.0.0.1:${port}`,
    ...Object.entries(settings).map(([k, v]) => `--${k}=${v}`)];
  const child = spawn("dotnet", args, {
    cwd: serviceFolder,
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: "Production", DOTNET_NOLOGO: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  const exited = new Promise((resolve) => child.once("exit", resolve));

  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  await waitFor(async () => (await fetch(`${baseUrl}/healthz/ready`)).ok, "the service to start", 60_000, () => output, child);

  let graphToken;
  async function graph(method, path, body) {
    graphToken ??= (await (await fetch(`${sandboxUrl}/tests/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: "tests", client_secret: "tests", scope: "https://graph.microsoft.com/.default" }),
    })).json()).access_token;
    const response = await fetch(`${sandboxUrl}/v1.0${path}`, {
      method,
      headers: { Authorization: `Bearer ${graphToken}`, Prefer: 'IdType="ImmutableId"', "Content-Type": "application/json" },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
    }

    return response.status === 202 || response.status === 204 ? null : response.json();
  }

  return {
    baseUrl,
    sandboxUrl,
    output: () => output,
    /** A bearer token as Entra ID would issue it for the add-in's user. */
    token: (mailbox, role = "faculty") => jwt({ iss: ISSUER, aud: AUDIENCE, preferred_username: mailbox, roles: [role] }, key),
    /** A draft as Outlook saves it (through the sandbox's Graph API); returns its id. */
    createDraft: async (mailbox, to) => (await graph("POST", `/users/${mailbox}/messages`, {
      subject: "Case conference",
      toRecipients: to.map((address) => ({ emailAddress: { address } })),
    })).id,
    /** Makes a draft act as one Outlook saved in cached mode: unknown to Graph for `hiddenFor` ("hh:mm:ss"). */
    unsynced: async (messageId, hiddenFor) => {
      const response = await fetch(`${sandboxUrl}/sandbox/unsynced`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ messageId, hiddenFor }),
      });
      if (!response.ok) {
        throw new Error(`sandbox POST /sandbox/unsynced: ${response.status} ${await response.text()}`);
      }
    },
    message: (mailbox, id) => graph("GET", `/users/${mailbox}/messages/${id}?$select=isDraft,parentFolderId`),
    /** How many messages the sandbox has sent, by all mailboxes. */
    sends: async () => (await (await fetch(`${sandboxUrl}/sandbox/report`)).json()).sends,
    api: async (mailbox, method, path, body) => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${jwt({ iss: ISSUER, aud: AUDIENCE, preferred_username: mailbox, roles: ["faculty"] }, key)}`, "Content-Type": "application/json" },
        body: body && JSON.stringify(body),
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    stop: async () => {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      child.kill("SIGKILL");
      await rm(folder, { recursive: true, force: true });
    },
  };
}

function jwt(claims, key) {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ ...claims, nbf: now - 60, iat: now - 60, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(check, what, timeoutMs = 10_000, details = () => "", child = null) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) {
        return;
      }
    } catch {
      // not yet
    }

    if (child && child.exitCode !== null) {
      throw new Error(`The service exited (${child.exitCode}) while waiting for ${what}:\n${details()}`);
    }

    if (Date.now() > until) {
      throw new Error(`Timed out waiting for ${what}.\n${details()}`);
    }

    await new Promise((r) => setTimeout(r, 100));
  }
}
