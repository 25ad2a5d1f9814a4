/**
 * `npm run release:sign -- --key release-key.pem release/*.deb release/*.AppImage` writes
 * `<artifact>.sig` beside each artifact (see electron/main/release-signature.ts) and prints the public
 * key to pin in the build (KASSA_RELEASE_KEYS). The private key never leaves the release machine.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { signRelease } from '../electron/main/release-signature';

const { values, positionals } = parseArgs({ options: { key: { type: 'string' } }, allowPositionals: true });
if (!values.key || positionals.length === 0) throw new Error('usage: release:sign -- --key release-key.pem <artifact> …');
const key = createPrivateKey(readFileSync(values.key));
process.stdout.write(`release key: ${createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12).toString('base64url')}\n`);
for (const file of positionals) {
  writeFileSync(`${file}.sig`, await signRelease(file, key));
  process.stdout.write(`signed ${file}\n`);
}
