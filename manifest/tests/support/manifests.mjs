// What both manifest tests need: where the manifests are, the placeholder origin the service replaces, the file a
// manifest URL names, version comparison and a PNG's size.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
