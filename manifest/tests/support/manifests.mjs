// What both manifest tests need: where the manifests are, the placeholder origin the service replaces, the file a
// manifest URL names, version comparison and a PNG's size.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

export const manifestDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PLACEHOLDER_ORIGIN = 'https://boundaryguard.invalid';
export const URL_PREFIX = `${PLACEHOLDER_ORIGIN}/addin/`;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const versionAtLeast = (version, minimum) => {
  const [major, minor] = version.split('.').map(Number);
  const [minMajor, minMinor] = minimum.split('.').map(Number);
  return major > minMajor || (major === minMajor && minor >= minMinor);
};

/** A PNG's width, height and colour type, from its IHDR chunk. */
export async function pngHeader(file) {
  const bytes = await readFile(file);
  assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `${file} is not a PNG`);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${file} does not start with IHDR`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colorType: bytes[25] };
}

// The service serves the built add-in (these files) at /addin/, so a URL's path below the prefix names a file here.
export const fileForUrl = (url) => {
  assert.ok(url.startsWith(URL_PREFIX), `${url} is not under ${URL_PREFIX}`);
  return path.join(manifestDir, url.slice(URL_PREFIX.length));
};

// Microsoft's add-in XSDs with the LaunchEvent and Runtimes types of [MS-OWEMXML], kept in the shared corpus beside the
// repository (or the worktree): see shared/corpus/addin-schemas/README.md.
const xsdDir = path.resolve(manifestDir, '../../shared/corpus/addin-schemas/xsd-with-launchevent');
const ROOT_XSD = 'OfficeAppManifestV1_1.xsd';
let schemas;

/** xmllint's verdict on an add-in-only manifest: { valid, errors, rawOutput }. */
export async function validateManifestXml(xml) {
  schemas ??= new Map(await Promise.all((await readdir(xsdDir)).filter((name) => name.endsWith('.xsd'))
    .map(async (name) => [name, await readFile(path.join(xsdDir, name), 'utf8')])));
  assert.ok(schemas.has(ROOT_XSD), `${ROOT_XSD} missing from ${xsdDir}`);
  // xmllint-wasm does no I/O of its own: the root XSD's xs:import targets are handed over by file name.
  return validateXML({
    xml: [{ fileName: 'manifest.xml', contents: xml }],
    schema: [{ fileName: ROOT_XSD, contents: schemas.get(ROOT_XSD) }],
    preload: [...schemas].filter(([name]) => name !== ROOT_XSD).map(([fileName, contents]) => ({ fileName, contents })),
  });
}

const SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v(\d+\.\d+)\/MicrosoftTeams\.schema\.json$/;

/**
 * The schema of a unified manifest's manifestVersion, as Microsoft's @microsoft/app-manifest ships it (offline), compiled:
 * { schemaVersion, validate }.
 */
export async function manifestJsonValidator(manifest) {
  const schemaVersion = manifest.$schema?.match(SCHEMA_URL)?.[1];
  assert.ok(schemaVersion, `$schema ${manifest.$schema} is not a Microsoft app manifest schema URL`);
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(await readFile(
    require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${schemaVersion}/MicrosoftTeams.schema.json`), 'utf8'));
  // strictTypes is off because Microsoft's schema puts array and object keywords on nodes without a "type"; the
  // rest of strict mode stays on, so an unknown keyword or format still stops compilation. The schema refers to
  // no other file; its only format is "uri" (on "$schema"), which ajv needs defined.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  ajv.addFormat('uri', (value) => URL.canParse(value));
  return { schemaVersion, validate: ajv.compile(schema) };
}
