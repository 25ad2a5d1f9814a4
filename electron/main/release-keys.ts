/**
 * The release keys this build trusts, baked into the app at build time (this file is bundled; the
 * kiosk's environment chooses nothing). `root` is the first release public key (raw Ed25519,
 * base64url); each rotation names the next key, signed by the key before it, so a kiosk built
 * with the root trusts every key the chain hands on to. docs/release.md says how to add a key
 * (`npm run release:sign` prints the line). Empty root: this build trusts no key and refuses
 * every update (a development build).
 */
export interface ReleaseKeyChain {
  root: string;
  rotations: ReadonlyArray<{ key: string; signature: string }>;
}

export const RELEASE_KEY_CHAIN: ReleaseKeyChain = { root: '', rotations: [] };
