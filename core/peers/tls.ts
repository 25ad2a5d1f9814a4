/**
 * TLS between the store's tills (issue 19: no unenrolled device on the LAN can read or write
 * anything). Requests were already signed with each till's enrolled key; TLS keeps the sales they
 * carry from anyone listening on the LAN, and tells a till it reached the peer it meant to.
 *
 * No certificate authority: each till presents a self-signed certificate for the very key HQ enrolled
 * it with (its request key, Ed25519), made here from that key (a minimal X.509 v3 structure, DER), and
 * a till calling a peer accepts the connection only if the certificate's key is the one the signed
 * store roster gives that peer — pinned, as the roster pins everything else. Its names and dates are
 * not looked at: the key is the identity. TLS 1.3 only.
 */
import { X509Certificate, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { Agent, request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { rawEd25519 } from '../../protocol/journal-chain';

const len = (n: number): Buffer => (n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]));
const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
/** AlgorithmIdentifier { id-Ed25519 (1.3.101.112) } (RFC 8410). */
const ED25519 = seq(Buffer.from('06032b6570', 'hex'));
/** Name: one RDN, commonName (2.5.4.3) as a UTF8String. */
const commonName = (cn: string) => seq(tlv(0x31, seq(Buffer.from('0603550403', 'hex'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
/** UTCTime before 2050, GeneralizedTime from then (RFC 5280 4.1.2.5). */
function time(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(s.slice(2))) : tlv(0x18, Buffer.from(s));
}

/** A self-signed certificate (PEM) for `privateKey` (Ed25519), named after the till, valid from a day before `now` for 20 years. */
export function peerCertificate(privateKey: KeyObject, terminalId: string, now: Date): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, no leading zero
  const day = 86_400_000;
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // v3
    tlv(0x02, serial),
    ED25519,
    commonName(terminalId.slice(0, 64)),
    seq(time(new Date(now.getTime() - day)), time(new Date(now.getTime() + 20 * 365 * day))),
    commonName(terminalId.slice(0, 64)),
    spki,
  );
  const der = seq(tbs, ED25519, tlv(0x03, Buffer.from([0]), sign(null, tbs, privateKey)));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** The raw Ed25519 key (base64url) a certificate carries; null for any other kind of key. */
export function certificateKey(raw: Buffer): string | null {
  try {
    const key = new X509Certificate(raw).publicKey;
    if (key.asymmetricKeyType !== 'ed25519') return null;
    return rawEd25519(key);
  } catch {
    return null;
  }
}

/** A peer presented a key other than the roster's for it (or none): nothing was sent to it. */
export class PeerKeyMismatch extends Error {}

function headerRecord(h: RequestInit['headers']): Record<string, string> {
  return Object.fromEntries(new Headers(h ?? {}).entries());
}

/**
 * A `fetch` for one store peer: HTTPS (TLS 1.3) only, and only to the holder of `peerKey` (raw
 * Ed25519, base64url, as the roster gives the peer's request key). Nothing of the request — not its
 * headers — is written before the peer's certificate key has been compared. Connections are kept
 * alive per peer (each checked once, when it is made).
 */
export function pinnedFetch(peerKey: string): typeof fetch {
  const agent = new Agent({ keepAlive: true, maxSockets: 4, minVersion: 'TLSv1.3', rejectUnauthorized: false });
  const checked = new WeakSet<TLSSocket>();
  const check = (s: TLSSocket): Error | null => {
    const cert = s.getPeerCertificate(true);
    const key = cert?.raw ? certificateKey(cert.raw) : null;
    if (key !== peerKey) return new PeerKeyMismatch(`the peer presented ${key ? `key ${key.slice(0, 8)}…` : 'no Ed25519 key'}, not the roster's ${peerKey.slice(0, 8)}…: nothing was sent`);
    checked.add(s);
    return null;
  };
  const pinned = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'https:') return Promise.reject(new TypeError(`a store peer is reached over TLS only, not ${url.protocol}`));
    const body = init.body == null ? null : typeof init.body === 'string' ? Buffer.from(init.body) : Buffer.from(init.body as Uint8Array);
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: { ...headerRecord(init.headers), ...(body ? { 'content-length': String(body.length) } : {}) }, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 502;
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers }));
        });
      });
      req.on('error', reject);
      const signal = init.signal;
      if (signal) {
        if (signal.aborted) return void req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        signal.addEventListener('abort', () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true });
      }
      const send = (s: TLSSocket) => {
        const wrong = checked.has(s) ? null : check(s);
        if (wrong) return void req.destroy(wrong);
        req.end(body ?? undefined);
      };
      req.once('socket', (s) => {
        const tls = s as TLSSocket;
        // A kept-alive connection was checked when it was made; a new one once its handshake is done.
        if (checked.has(tls)) send(tls);
        else tls.once('secureConnect', () => send(tls));
      });
    });
  };
  return pinned as typeof fetch;
}
