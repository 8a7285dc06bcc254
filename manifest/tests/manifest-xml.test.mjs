// Checks manifest.xml: against Microsoft's add-in XSDs kept in the shared corpus with the LaunchEvent and Runtimes types
// of [MS-OWEMXML] (shared/corpus/addin-schemas/xsd-with-launchevent), and structurally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { PLACEHOLDER_ORIGIN, URL_PREFIX, fileForUrl, manifestDir, pngHeader, validateManifestXml, versionAtLeast } from './support/manifests.mjs';

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

const HANDLERS = {
  OnNewMessageCompose: 'onNewMessageComposeHandler',
  OnMessageRecipientsChanged: 'onMessageRecipientsChangedHandler',
  OnMessageSend: 'onMessageSendHandler',
};
// The service switches Smart Alerts' send mode by replacing this exact text.
const SEND_MODE_TEXT = 'SendMode="SoftBlock"';
// Which resource list each resid-carrying element points into.
const RESOURCE_KIND_OF_REFERENCE = {
  Runtime: 'bt:Urls',
  Override: 'bt:Urls',
  SourceLocation: 'bt:Urls',
  'bt:Image': 'bt:Images',
  Label: 'bt:ShortStrings',
  Title: 'bt:ShortStrings',
  Description: 'bt:LongStrings',
};

const manifestText = await readFile(path.join(manifestDir, 'manifest.xml'), 'utf8');

function withoutFirst(xml, element) {
  const pattern = new RegExp(`<${element}>[\\s\\S]*?</${element}>`);
  assert.match(xml, pattern);
  return xml.replace(pattern, '');
}

// Flattens the parsed document into elements that know their ancestors, so checks can walk every element.
function* elementsOf(nodes, ancestors = []) {
  for (const node of nodes) {
    const name = Object.keys(node).find((key) => key !== ':@');
    if (name === '#text' || name === '?xml') continue;
    const element = { name, attributes: node[':@'] ?? {}, children: node[name], ancestors };
    yield element;
    yield* elementsOf(element.children, [...ancestors, element]);
  }
}

const descendants = (element) => [...elementsOf(element.children, [...element.ancestors, element])];
const textOf = (element) => element.children.find((child) => '#text' in child)?.['#text'] ?? '';
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false });
const elements = [...elementsOf(parser.parse(manifestText))];
const named = (name) => elements.filter((element) => element.name === name);
const only = (name) => {
  const found = named(name);
  assert.equal(found.length, 1, `expected exactly one <${name}>`);
  return found[0];
};

// Resource lists (bt:Urls, bt:Images, ...) as Map<id, DefaultValue>; ids must be unique within a list.
function resources(kind) {
  const list = new Map();
  for (const entry of descendants(only(kind))) {
    assert.ok(!list.has(entry.attributes.id), `${kind} defines ${entry.attributes.id} twice`);
    list.set(entry.attributes.id, entry.attributes.DefaultValue);
  }
  return list;
}

const urlOf = (resid) => {
  const url = resources('bt:Urls').get(resid);
  assert.ok(url, `no bt:Url with id ${resid}`);
  return url;
};

test('manifest.xml passes the XSDs with event-based activation', async () => {
  const result = await validateManifestXml(manifestText);
  assert.deepEqual(result.errors.map((error) => error.rawMessage), []);
  assert.equal(result.valid, true);
});

test('the XSD check rejects a broken manifest', async (t) => {
  // <Id> is required by OfficeApp; <Supertip> by a button inside VersionOverrides 1.1, which the 1.0 schema only
  // reaches through a lax wildcard: its rejection shows that the inner overrides are validated too.
  for (const element of ['Id', 'Supertip']) {
    await t.test(`without <${element}>`, async () => {
      const result = await validateManifestXml(withoutFirst(manifestText, element));
      assert.equal(result.valid, false);
      assert.ok(result.errors.some((error) => error.message.includes(`}${element} `)), `no error names ${element}: ${result.rawOutput}`);
    });
  }

  await t.test('with the unified manifest\'s spelling of the send mode', async () => {
    const result = await validateManifestXml(manifestText.replace(SEND_MODE_TEXT, 'SendMode="softBlock"'));
    assert.equal(result.valid, false);
    assert.match(result.rawOutput, /SendMode/);
  });

  await t.test('with a permission Outlook does not know', async () => {
    const result = await validateManifestXml(manifestText.replace('<Permissions>ReadWriteMailbox</Permissions>', '<Permissions>ReadWriteMail</Permissions>'));
    assert.equal(result.valid, false);
  });
});

test('the runtime loads commands.html, and launchevent.js in classic Outlook on Windows', () => {
  const runtime = only('Runtime');
  assert.equal(urlOf(runtime.attributes.resid), `${URL_PREFIX}commands.html`);
  const override = only('Override');
  assert.equal(override.ancestors.at(-1), runtime);
  assert.equal(override.attributes.type, 'javascript');
  assert.equal(urlOf(override.attributes.resid), `${URL_PREFIX}launchevent.js`);
});

test('launch events call the three handlers in the runtime, and Send soft-blocks', () => {
  const launchEvents = named('LaunchEvent');
  assert.deepEqual(
    Object.fromEntries(launchEvents.map((event) => [event.attributes.Type, event.attributes.FunctionName])),
    HANDLERS,
  );
  assert.equal(launchEvents.length, Object.keys(HANDLERS).length);
  for (const event of launchEvents) {
    assert.equal(event.attributes.SendMode, event.attributes.Type === 'OnMessageSend' ? 'SoftBlock' : undefined);
  }
  assert.equal(manifestText.split(SEND_MODE_TEXT).length - 1, 1, `${SEND_MODE_TEXT} should appear exactly once`);

  const extensionPoint = launchEvents[0].ancestors.find((element) => element.name === 'ExtensionPoint');
  assert.equal(extensionPoint.attributes['xsi:type'], 'LaunchEvent');
  const sourceLocation = descendants(extensionPoint).find((element) => element.name === 'SourceLocation');
  assert.equal(sourceLocation.attributes.resid, only('Runtime').attributes.resid);
});

test('every resid resolves to a resource of the kind its element needs', () => {
  const references = elements.filter((element) => 'resid' in element.attributes);
  assert.ok(references.length > 0);
  for (const reference of references) {
    const kind = RESOURCE_KIND_OF_REFERENCE[reference.name];
    assert.ok(kind, `<${reference.name} resid> points into no known resource list`);
    assert.ok(resources(kind).has(reference.attributes.resid), `${reference.attributes.resid} is not in ${kind}`);
  }
});

test('every URL uses the placeholder origin', () => {
  // Namespace names are identifiers, not URLs the add-in loads.
  const withoutNamespaces = manifestText.replace(/\sxmlns(:\w+)?="[^"]*"/g, '');
  const hosts = new Set([...withoutNamespaces.matchAll(/\bhttps?:\/\/([\w.-]+(?::\d+)?)/gi)].map((match) => match[1]));
  assert.deepEqual([...hosts], [new URL(PLACEHOLDER_ORIGIN).host]);

  for (const element of elements) {
    const values = [...Object.entries(element.attributes).filter(([name]) => !name.startsWith('xmlns')).map(([, value]) => value), textOf(element)];
    for (const value of values.filter((candidate) => /^[a-z][a-z\d+.-]*:\S+$/i.test(candidate))) {
      if (element.name === 'AppDomain') assert.equal(value, PLACEHOLDER_ORIGIN);
      // Office SSO's resource: the API's application id URI, api://{the service's host}/{the add-in's client id}.
      else if (element.name === 'Resource') assert.equal(value, `api://${new URL(PLACEHOLDER_ORIGIN).host}/${ZERO_GUID}`);
      else assert.ok(value.startsWith(URL_PREFIX), `<${element.name}> has ${value}`);
    }
  }
});

test('the Held mail buttons open the task pane, in compose as bgHeldMailButton and in read as bgHeldMailReadButton', () => {
  const buttons = { MessageComposeCommandSurface: 'bgHeldMailButton', MessageReadCommandSurface: 'bgHeldMailReadButton' };
  for (const [surface, id] of Object.entries(buttons)) {
    const button = named('Control').find((control) => control.attributes.id === id);
    assert.ok(button, `no control ${id}`);
    assert.equal(button.attributes['xsi:type'], 'Button');
    const extensionPoint = button.ancestors.find((element) => element.name === 'ExtensionPoint');
    assert.equal(extensionPoint.attributes['xsi:type'], surface);
    const label = descendants(button).find((element) => element.name === 'Label');
    assert.equal(resources('bt:ShortStrings').get(label.attributes.resid), 'Held mail');
    const action = descendants(button).find((element) => element.name === 'Action');
    assert.equal(action.attributes['xsi:type'], 'ShowTaskpane');
    const sourceLocation = descendants(action).find((element) => element.name === 'SourceLocation');
    assert.equal(urlOf(sourceLocation.attributes.resid), `${URL_PREFIX}taskpane.html`);
  }
});

test('Send now can send from the compose window: read/write mailbox, which item.sendAsync needs', () => {
  assert.equal(textOf(only('Permissions')), 'ReadWriteMailbox');
});

test('Office SSO, the fallback without Nested App Authentication, names the placeholder client id the service fills', () => {
  const info = only('WebApplicationInfo');
  assert.equal(textOf(descendants(info).find((element) => element.name === 'Id')), ZERO_GUID);
  assert.equal(info.ancestors.at(-1).name, 'VersionOverrides');
  assert.equal(info.ancestors.at(-1).attributes['xsi:type'], 'VersionOverridesV1_1');
});

test('every Mailbox requirement is 1.12 or later (Smart Alerts)', () => {
  const isMailbox = (set) => set.attributes.Name === 'Mailbox';
  // One in the manifest's top-level Requirements, one in VersionOverrides 1.1 (where the bt:Sets default applies).
  const versions = [
    ...named('Set').filter(isMailbox).map((set) => set.attributes.MinVersion),
    ...named('bt:Set').filter(isMailbox).map((set) => set.attributes.MinVersion ?? set.ancestors.at(-1).attributes.DefaultMinVersion),
  ];
  assert.equal(versions.length, 2);
  for (const version of versions) assert.ok(versionAtLeast(version, '1.12'), `Mailbox ${version} is older than 1.12`);
});

test('every icon exists in assets/ with the pixel size the manifest gives it', async () => {
  const images = resources('bt:Images');
  const expected = [
    [only('IconUrl').attributes.DefaultValue, 64],
    [only('HighResolutionIconUrl').attributes.DefaultValue, 128],
    ...named('bt:Image')
      .filter((image) => 'resid' in image.attributes)
      .map((image) => [images.get(image.attributes.resid), Number(image.attributes.size)]),
  ];
  for (const url of images.values()) assert.ok(expected.some(([used]) => used === url), `${url} is never used`);
  for (const [url, size] of expected) {
    const { width, height } = await pngHeader(fileForUrl(url));
    assert.deepEqual({ width, height }, { width: size, height: size }, url);
  }
});
