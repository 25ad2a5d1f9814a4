/**
 * An independent verifier of TSE signatures, written from BSI TR-03151 / TR-03153 and DSFinV-K
 * (Anhang I, the QR code), sharing no code with the signer (core/fiscal/tse): its own DER writer
 * and reader. It rebuilds the data a TSE signed — the DER encodings of version, certifiedDataType,
 * the transaction's certifiedData, serialNumber, signatureAlgorithm, signatureCounter and logTime,
 * one after the other — from a DSFinV-K QR code, or reads it out of an exported log message, and
 * checks the plain (r ‖ s) ECDSA signature with node:crypto.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';

// ---- DER, written out by hand (X.690 §8) ----
function len(n: number): number[] {
  if (n < 128) return [n];
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 + out.length, ...out];
}
const el = (tag: number, body: Uint8Array): Buffer => Buffer.from([tag, ...len(body.length), ...body]);
function int(tag: number, v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let body = Buffer.from(hex, 'hex');
  if (body[0]! >= 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return el(tag, body);
}
function objectId(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const body: number[] = [a! * 40 + b!];
  for (const arc of rest) {
    const septets = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) septets.unshift((v & 0x7f) | 0x80);
    body.push(...septets);
  }
  return el(0x06, Buffer.from(body));
}

/** DSFinV-K's names of the signature algorithms (TR-03111 OIDs) and their curve and hash. */
const ALGORITHMS: Record<string, { oid: string; hash: string; curve: string; half: number }> = {
  'ecdsa-plain-SHA256': { oid: '0.4.0.127.0.7.1.1.4.1.3', hash: 'sha256', curve: 'prime256v1', half: 32 },
  'ecdsa-plain-SHA384': { oid: '0.4.0.127.0.7.1.1.4.1.4', hash: 'sha384', curve: 'brainpoolP384r1', half: 48 },
};
const TRANSACTION_LOG = '0.4.0.127.0.7.3.7.1.1';

export interface QrFields {
  version: string;
  clientId: string;
  processType: string;
  processData: string;
  transactionNumber: string;
  signatureCounter: string;
  startTime: string;
  logTime: string;
  algorithm: string;
  logTimeFormat: string;
  signature: string;
  publicKey: string;
}

/** The 12 fields of a DSFinV-K QR code (V0;…). */
export function parseQr(qr: string): QrFields {
  const p = qr.split(';');
  if (p.length !== 12 || p[0] !== 'V0') throw new Error(`not a DSFinV-K V0 QR code (${p.length} fields)`);
  const [version, clientId, processType, processData, transactionNumber, signatureCounter, startTime, logTime, algorithm, logTimeFormat, signature, publicKey] = p as [string, string, string, string, string, string, string, string, string, string, string, string];
  return { version, clientId, processType, processData, transactionNumber, signatureCounter, startTime, logTime, algorithm, logTimeFormat, signature, publicKey };
}

/** The data a TSE signed for a FinishTransaction, rebuilt from a QR code's fields. */
export function signedDataFromQr(q: QrFields): Buffer {
  const alg = ALGORITHMS[q.algorithm];
  if (!alg) throw new Error(`unknown algorithm ${q.algorithm}`);
  if (q.logTimeFormat !== 'unixTime') throw new Error(`log time format ${q.logTimeFormat} is not handled`);
  const serial = createHash('sha256').update(Buffer.from(q.publicKey, 'base64')).digest();
  const unix = BigInt(Math.floor(Date.parse(q.logTime) / 1000));
  return Buffer.concat([
    int(0x02, 2n),
    objectId(TRANSACTION_LOG),
    el(0x80, Buffer.from('FinishTransaction', 'ascii')),
    el(0x81, Buffer.from(q.clientId, 'ascii')),
    el(0x82, Buffer.from(q.processData, 'utf8')),
    el(0x83, Buffer.from(q.processType, 'ascii')),
    int(0x85, BigInt(q.transactionNumber)),
    el(0x04, serial),
    el(0x30, objectId(alg.oid)),
    int(0x02, BigInt(q.signatureCounter)),
    int(0x02, unix),
  ]);
}

/** A raw EC point (0x04 ‖ X ‖ Y) on a named curve as a node:crypto key, via its SubjectPublicKeyInfo. */
function ecPublicKey(point: Buffer, curve: string) {
  const curveOid = { prime256v1: '1.2.840.10045.3.1.7', brainpoolP384r1: '1.3.36.3.3.2.8.1.1.11' }[curve]!;
  const algorithm = el(0x30, Buffer.concat([objectId('1.2.840.10045.2.1'), objectId(curveOid)]));
  const spki = el(0x30, Buffer.concat([algorithm, el(0x03, Buffer.concat([Buffer.from([0]), point]))]));
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

export function verifyPlain(algorithm: string, publicKey: Buffer, data: Buffer, signature: Buffer): boolean {
  const alg = ALGORITHMS[algorithm];
  if (!alg || signature.length !== alg.half * 2) return false;
  return verify(alg.hash, data, { key: ecPublicKey(publicKey, alg.curve), dsaEncoding: 'ieee-p1363' }, signature);
}

/** True when the QR code's signature verifies with the public key it carries. */
export function verifyQr(qr: string): boolean {
  const q = parseQr(qr);
  return verifyPlain(q.algorithm, Buffer.from(q.publicKey, 'base64'), signedDataFromQr(q), Buffer.from(q.signature, 'base64'));
}

// ---- reading an exported log message ----
interface Tlv {
  tag: number;
  body: Buffer;
  /** The whole element, tag and length included. */
  raw: Buffer;
}
function readTlvs(buf: Buffer): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < buf.length) {
    const start = i;
    const tag = buf[i++]!;
    let n = buf[i++]!;
    if (n & 0x80) {
      const k = n & 0x7f;
      n = 0;
      for (let j = 0; j < k; j++) n = n * 256 + buf[i++]!;
    }
    out.push({ tag, body: buf.subarray(i, i + n), raw: buf.subarray(start, i + n) });
    i += n;
  }
  return out;
}
const uint = (b: Buffer): number => Number(BigInt('0x' + (b.toString('hex') || '0')));

export interface ReadLogMessage {
  operation: string;
  clientId: string;
  processData: string;
  processType: string;
  transactionNumber: number;
  serialNumber: string;
  signatureCounter: number;
  logTime: number;
  signedData: Buffer;
  signature: Buffer;
}

/** A transaction log message (one .log file of a TAR export), its fields and the data its signature covers. */
export function readLogMessage(der: Buffer): ReadLogMessage {
  const [outer] = readTlvs(der);
  if (!outer || outer.tag !== 0x30) throw new Error('a log message is a SEQUENCE');
  const items = readTlvs(outer.body);
  const last = items[items.length - 1]!;
  if (last.tag !== 0x04) throw new Error('a log message ends with its signature');
  const byTag = (tag: number) => items.find((t) => t.tag === tag);
  const ints = items.filter((t) => t.tag === 0x02);
  const octets = items.filter((t) => t.tag === 0x04);
  if (byTag(0x06)?.raw.equals(objectId(TRANSACTION_LOG)) !== true) throw new Error('not a transaction log message');
  return {
    operation: byTag(0x80)!.body.toString('ascii'),
    clientId: byTag(0x81)!.body.toString('ascii'),
    processData: byTag(0x82)!.body.toString('utf8'),
    processType: byTag(0x83)!.body.toString('ascii'),
    transactionNumber: uint(byTag(0x85)!.body),
    serialNumber: octets[0]!.body.toString('hex'),
    signatureCounter: uint(ints[1]!.body),
    logTime: uint(ints[2]!.body),
    signedData: Buffer.concat(items.slice(0, -1).map((t) => t.raw)),
    signature: last.body,
  };
}

/** The files of a ustar archive. */
export function untar(archive: Buffer): Array<{ name: string; data: Buffer }> {
  const out: Array<{ name: string; data: Buffer }> = [];
  for (let off = 0; off + 512 <= archive.length; ) {
    const h = archive.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim(), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (sum !== parseInt(h.subarray(148, 156).toString('ascii'), 8)) throw new Error(`bad tar header checksum at ${off}`);
    out.push({ name, data: archive.subarray(off + 512, off + 512 + size) });
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
