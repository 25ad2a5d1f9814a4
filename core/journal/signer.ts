/**
 * Fiscal signing: every journal entry's hash is signed. The shipped signer uses the terminal's
 * Ed25519 key (node:crypto); other signers (a TSE, a smart card) implement the same interface.
 * A signer that is unavailable is a state the journal records, not an error that stops sales.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Db } from '../db';
import { keyIdOfSpki } from '../../protocol/journal-chain';
import { systemClock, type Clock } from '../clock';

export interface FiscalSigner {
  readonly keyId: string;
  readonly publicKeyPem: string;
  /** Whether signing works right now (a hardware signer may be unplugged). */
  available(): boolean;
  sign(data: Buffer): Buffer;
}

export function keyIdOf(publicKeyPem: string): string {
  return keyIdOfSpki(createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' }));
}

export class Ed25519Signer implements FiscalSigner {
  readonly keyId: string;
  readonly publicKeyPem: string;
  private readonly key: KeyObject;

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
    this.publicKeyPem = createPublicKey(this.key).export({ format: 'pem', type: 'spki' }).toString();
    this.keyId = keyIdOf(this.publicKeyPem);
  }

  static generate(): { signer: Ed25519Signer; privateKeyPem: string } {
    const { privateKey } = generateKeyPairSync('ed25519');
    const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    return { signer: new Ed25519Signer(privateKeyPem), privateKeyPem };
  }

  available(): boolean {
    return true;
  }

  sign(data: Buffer): Buffer {
    return sign(null, data, this.key);
  }
}

/** Public keys as key objects, made once each: a journal of 10,000 entries is verified against a handful of keys (parsing the PEM each time cost more than the verification). */
const publicKeys = new Map<string, KeyObject>();

export function verifySignature(publicKeyPem: string, data: Buffer, signature: Buffer): boolean {
  try {
    let key = publicKeys.get(publicKeyPem);
    if (!key) {
      key = createPublicKey(publicKeyPem);
      if (publicKeys.size > 64) publicKeys.clear();
      publicKeys.set(publicKeyPem, key);
    }
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}

/** The terminal's signer: loads its key from the database, creating one on first start. */
export function loadOrCreateTerminalSigner(db: Db, now: Clock = systemClock): Ed25519Signer {
  const row = db.prepare<[], { private_key_pem: string }>('SELECT private_key_pem FROM terminal_key ORDER BY created_at DESC LIMIT 1').get();
  if (row) return new Ed25519Signer(row.private_key_pem);
  const { signer, privateKeyPem } = Ed25519Signer.generate();
  db.prepare('INSERT INTO terminal_key (key_id, public_key_pem, private_key_pem, created_at) VALUES (?, ?, ?, ?)').run(
    signer.keyId,
    signer.publicKeyPem,
    privateKeyPem,
    now().toISOString(),
  );
  return signer;
}
