// Checks manifest.json: against the Microsoft 365 app manifest schema it names (shipped by @microsoft/app-manifest,
// so the check runs offline), and for agreement with manifest.xml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { PLACEHOLDER_ORIGIN, URL_PREFIX, fileForUrl, manifestDir, manifestJsonValidator, pngHeader, versionAtLeast } from './support/manifests.mjs';
// The unified manifest's event names for the XML manifest's LaunchEvent types.
const XML_EVENT_TYPE = {
  newMessageComposeCreated: 'OnNewMessageCompose',
  messageRecipientsChanged: 'OnMessageRecipientsChanged',
  messageSending: 'OnMessageSend',
};
// The service switches Smart Alerts' send mode by replacing this exact text.
const SEND_MODE_TEXT = '"sendMode": "softBlock"';
const PNG_COLOR_TYPES_WITH_ALPHA = [4, 6];

const manifestText = await readFile(path.join(manifestDir, 'manifest.json'), 'utf8');
const manifest = JSON.parse(manifestText);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false }).parse(
  await readFile(path.join(manifestDir, 'manifest.xml'), 'utf8'),
).OfficeApp;

const { schemaVersion, validate } = await manifestJsonValidator(manifest);

// Every value in the manifest with its JSON pointer and the key it sits under.
function* entriesOf(value, pointer = '', key = '') {
  yield { pointer, value, key };
  if (value !== null && typeof value === 'object') {
    for (const [childKey, child] of Object.entries(value)) {
      yield* entriesOf(child, `${pointer}/${childKey}`, Array.isArray(value) ? key : childKey);
    }
  }
}

const [extension] = manifest.extensions;
const actions = extension.runtimes.flatMap((runtime) => runtime.actions.map((action) => ({ ...action, runtime })));
const actionFor = (id) => {
  const matching = actions.filter((action) => action.id === id);
  assert.equal(matching.length, 1, `expected exactly one action ${id}`);
  return matching[0];
};
const events = extension.autoRunEvents.flatMap((autoRun) => autoRun.events);
const xmlLaunchEvents = xml.VersionOverrides.VersionOverrides.Hosts.Host.DesktopFormFactor.ExtensionPoint.find(
  (extensionPoint) => extensionPoint['xsi:type'] === 'LaunchEvent',
).LaunchEvents.LaunchEvent;

test('manifest.json passes the Microsoft 365 app manifest schema it names', () => {
  assert.ok(schemaVersion, `$schema ${manifest.$schema} is not a Microsoft app manifest schema URL`);
  assert.equal(manifest.manifestVersion, schemaVersion);
  assert.equal(validate(manifest), true, JSON.stringify(validate.errors, null, 2));
});

test('the schema check rejects broken manifests', async (t) => {
  await t.test('without the required developer', () => {
    const broken = structuredClone(manifest);
    delete broken.developer;
    assert.equal(validate(broken), false);
    assert.ok(validate.errors.some((error) => error.keyword === 'required' && error.params.missingProperty === 'developer'));
  });
  await t.test('with the XML spelling of the send mode', () => {
    const broken = structuredClone(manifest);
    broken.extensions[0].autoRunEvents[0].events.find((event) => event.type === 'messageSending').options.sendMode = 'PromptUser';
    assert.equal(validate(broken), false);
    assert.ok(validate.errors.some((error) => error.keyword === 'enum' && error.instancePath.endsWith('/options/sendMode')));
  });
});

// learn.microsoft.com/office/dev/add-ins/concepts/duplicate-legacy-metaos-add-ins: the app with the unified manifest
// has an id of its own and hides the add-in-only version, so nobody sees the add-in twice.
test('manifest.json has an id of its own and hides the add-in of manifest.xml', () => {
  assert.notEqual(manifest.id, xml.Id);
  const hidden = extension.alternates.filter((alternate) => alternate.hide).map((alternate) => alternate.hide);
  assert.deepEqual(hidden, [{ customOfficeAddin: { officeAddinId: xml.Id } }]);
});

test('Send now can send from the compose window (Mailbox.ReadWrite.User, the read/write mailbox item.sendAsync needs)', () => {
  assert.deepEqual(manifest.authorization.permissions.resourceSpecific, [{ name: 'Mailbox.ReadWrite.User', type: 'Delegated' }]);
});

test('Office SSO, the fallback without Nested App Authentication, names the client id manifest.xml names', () => {
  assert.equal(manifest.webApplicationInfo.id, xml.VersionOverrides.VersionOverrides.WebApplicationInfo.Id);
  assert.equal(manifest.webApplicationInfo.resource, xml.VersionOverrides.VersionOverrides.WebApplicationInfo.Resource);
});

test('the auto-run events call the handlers manifest.xml names, in the launch-event runtime', () => {
  assert.deepEqual(events.map((event) => event.type).sort(), Object.keys(XML_EVENT_TYPE).sort());
  for (const event of events) {
    const xmlEvent = xmlLaunchEvents.find((launchEvent) => launchEvent.Type === XML_EVENT_TYPE[event.type]);
    assert.equal(event.actionId, xmlEvent.FunctionName, event.type);
    const action = actionFor(event.actionId);
    assert.equal(action.type, 'executeFunction');
    assert.deepEqual(action.runtime.code, { page: `${URL_PREFIX}commands.html`, script: `${URL_PREFIX}launchevent.js` });
  }
});

test('Send soft-blocks, as manifest.xml says, and the send mode text appears once', () => {
  for (const event of events) {
    assert.deepEqual(event.options, event.type === 'messageSending' ? { sendMode: 'softBlock' } : undefined, event.type);
  }
  assert.equal(manifestText.split(SEND_MODE_TEXT).length - 1, 1, `${SEND_MODE_TEXT} should appear exactly once`);
});

test('every URL uses the placeholder origin', () => {
  // "$schema" names Microsoft's schema; it is the one URL the add-in never loads.
  const withoutSchema = manifestText.replace(manifest.$schema, '');
  const hosts = new Set([...withoutSchema.matchAll(/\bhttps?:\/\/([\w.-]+(?::\d+)?)/gi)].map((match) => match[1]));
  assert.deepEqual([...hosts], [new URL(PLACEHOLDER_ORIGIN).host]);

  const urls = [...entriesOf(manifest)].filter(
    ({ pointer, value }) => pointer !== '/$schema' && typeof value === 'string' && /^[a-z][a-z\d+.-]*:\S+$/i.test(value),
  );
  assert.ok(urls.length > 0);
  for (const { pointer, value } of urls) {
    // Office SSO's resource is the API's application id URI on the service's host, not a file.
    if (pointer === '/webApplicationInfo/resource') assert.match(value, new RegExp(`^api://${new URL(PLACEHOLDER_ORIGIN).host}/`));
    else assert.ok(value.startsWith(URL_PREFIX), `${pointer} is ${value}`);
  }
  assert.deepEqual(manifest.validDomains, [new URL(PLACEHOLDER_ORIGIN).host]);
});

test('the Held mail buttons open the task pane, in compose as bgHeldMailButton and in read as bgHeldMailReadButton', () => {
  const buttons = { mailCompose: 'bgHeldMailButton', mailRead: 'bgHeldMailReadButton' };
  for (const [context, id] of Object.entries(buttons)) {
    const ribbon = extension.ribbons.find((candidate) =>
      candidate.tabs.some((tab) => tab.groups.some((group) => group.controls.some((control) => control.id === id))),
    );
    assert.ok(ribbon, `no control ${id}`);
    assert.deepEqual(ribbon.contexts, [context]);
    const button = ribbon.tabs.flatMap((tab) => tab.groups).flatMap((group) => group.controls).find((control) => control.id === id);
    assert.equal(button.type, 'button');
    assert.equal(button.label, 'Held mail');
    const action = actionFor(button.actionId);
    assert.equal(action.type, 'openPage');
    assert.equal(action.runtime.code.page, `${URL_PREFIX}taskpane.html`);
  }
});

test('every Mailbox requirement is 1.12 or later, and the add-in asks for the Mailbox version manifest.xml asks for', () => {
  const mailbox = [...entriesOf(manifest)].filter(({ key, value }) => key === 'capabilities' && value?.name === 'Mailbox');
  assert.ok(mailbox.length > 0);
  for (const { pointer, value } of mailbox) {
    assert.ok(versionAtLeast(value.minVersion, '1.12'), `${pointer} asks for Mailbox ${value.minVersion}`);
  }
  const required = extension.requirements.capabilities.find((capability) => capability.name === 'Mailbox');
  assert.equal(required.minVersion, xml.Requirements.Sets.Set.MinVersion);
});

test('every icon exists with the pixel size the manifest gives it', async () => {
  const expected = [
    // The app icons: colour 192x192, outline 32x32 on a transparent background, paths relative to the manifest.
    { file: path.join(manifestDir, manifest.icons.color), size: 192 },
    { file: path.join(manifestDir, manifest.icons.outline), size: 32, transparent: true },
    ...[...entriesOf(manifest)]
      .filter(({ value }) => typeof value?.url === 'string' && typeof value?.size === 'number')
      .map(({ key, value }) => ({
        file: fileForUrl(value.url),
        // The high-resolution icon is the 2x image (XML HighResolutionIconUrl); the schema caps "size" at 80.
        size: key === 'highResolutionIcon' ? value.size * 2 : value.size,
      })),
  ];
  assert.ok(expected.length > 2);
  for (const { file, size, transparent } of expected) {
    const header = await pngHeader(file);
    assert.deepEqual({ width: header.width, height: header.height }, { width: size, height: size }, file);
    if (transparent) assert.ok(PNG_COLOR_TYPES_WITH_ALPHA.includes(header.colorType), `${file} has no alpha channel`);
  }
});
