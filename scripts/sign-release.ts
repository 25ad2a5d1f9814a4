/**
 * `npm run release:sign -- --key=release-key.pem --version=0.2.0 [--channel=stable] [--expires-days=30]
 * release/*.deb release/*.AppImage` writes `<artifact>.sig` beside each artifact: a release statement
 * (electron/main/release-signature.ts) naming the file, its SHA-512, its version and channel, and
 * until when it holds, signed by the release key. Prints the public key — the build bakes it into
 * electron/main/release-keys.ts (never read from the environment). `--next-key=<public key>` prints
 * the rotation entry that hands trust on to a new release key. The private key never leaves the
 * release machine.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../common/cli-args';
import { systemClock } from '../core/clock';
import { signRelease, signRotation } from '../electron/main/release-signature';
import { rawEd25519 } from '../protocol/journal-chain';

const options = { key: { type: 'string' }, version: { type: 'string' }, channel: { type: 'string', default: 'stable' }, 'expires-days': { type: 'string', default: '30' }, 'next-key': { type: 'string' } } as const;
const { values, positionals } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, allowPositionals: true });
if (!values.key) throw new Error('usage: release:sign -- --key=release-key.pem --version=X.Y.Z <artifact> …  (or --next-key=<public key>)');
const key = createPrivateKey(readFileSync(values.key));
process.stdout.write(`release key: ${rawEd25519(key)}\n`);
if (values['next-key']) process.stdout.write(`rotation entry for release-keys.ts: ${JSON.stringify(signRotation(values['next-key'], key))}\n`);
if (positionals.length > 0) {
  if (!values.version || !/^\d+\.\d+\.\d+$/.test(values.version)) throw new Error('give --version=X.Y.Z (the version the artifacts are)');
  const days = Number(values['expires-days']);
  if (!(days > 0 && days <= 366)) throw new Error('--expires-days must be between 0 and 366');
  // The release machine's clock, read through the one clock: a statement holds from when it was made.
  const expiresAt = new Date(systemClock().getTime() + days * 86_400_000).toISOString();
  for (const file of positionals) {
    writeFileSync(`${file}.sig`, await signRelease(file, key, { version: values.version, channel: values.channel, expiresAt }));
    process.stdout.write(`signed ${file} (version ${values.version}, ${values.channel}, until ${expiresAt})\n`);
  }
}
