// The manifests as IT downloads them from the service (filled with its address, the client id and the version) pass
// the same schemas as the files in the repository: a fill that broke a manifest would be refused by the admin center.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { manifestJsonValidator, validateManifestXml } from "./support/manifests.mjs";
import { startService } from "./support/service.mjs";

const CLIENT_ID = "0f8f6c4e-5d7b-4a39-9a43-3f1e2b7c9d10";
let service;

before(async () => {
  // The unified manifest's schema takes only https URLs, as Outlook does (the service refuses http off this machine).
  service = await startService({
    settings: { "Addin:BaseUrl": "https://boundaryguard.med.example.edu", "Addin:ClientId": CLIENT_ID, "Addin:SendMode": "PromptUser" },
  });
});
after(() => service?.stop());

const served = async (file) => {
  const response = await fetch(`${service.baseUrl}/addin/${file}`);
  assert.equal(response.status, 200);
  return response.text();
};

test("the served manifest.xml passes the XSDs with event-based activation, filled in", async () => {
  const xml = await served("manifest.xml");

  const result = await validateManifestXml(xml);

  assert.deepEqual(result.errors.map((error) => error.rawMessage), []);
  assert.match(xml, /<Version>1\.0\.1\.0<\/Version>/);
  assert.match(xml, new RegExp(`<Id>${CLIENT_ID}</Id>`));
  assert.match(xml, new RegExp(`<Resource>api://boundaryguard.med.example.edu/${CLIENT_ID}</Resource>`));
  assert.match(xml, /SendMode="PromptUser"/);
  assert.doesNotMatch(xml, /boundaryguard\.invalid|00000000-0000-0000-0000-000000000000/);
});

test("the served manifest.json passes the Microsoft 365 app manifest schema, filled in", async () => {
  const manifest = JSON.parse(await served("manifest.json"));
  const { validate } = await manifestJsonValidator(manifest);

  assert.equal(validate(manifest), true, JSON.stringify(validate.errors, null, 2));
  assert.equal(manifest.version, "1.0.1");
  assert.equal(manifest.webApplicationInfo.id, CLIENT_ID);
  assert.equal(manifest.extensions[0].autoRunEvents.flatMap((run) => run.events).find((e) => e.type === "messageSending").options.sendMode, "promptUser");
  assert.doesNotMatch(JSON.stringify(manifest), /boundaryguard\.invalid|00000000-0000-0000-0000-000000000000/);
});
