/**
 * Reading a catalog payload (gzip NDJSON, protocol/catalog.ts): its records, checked, in order, a
 * batch per piece of decompressed text. An item record — nearly every line of a full snapshot — is
 * first checked by a hand-written test of the same rules as ItemRecordSchema (a few times cheaper
 * than the schema, which counts on a slow terminal: 500,000 of them at first boot); only a record
 * that test does not pass goes through the schema, which then accepts it or words what is wrong,
 * so a refusal reads exactly as before. test/core/catalog/payload.test.ts holds the two to the same
 * answers.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { CatalogRecordSchema, type CatalogRecord, type ItemRecord } from '../../protocol/catalog';
import { CatalogRefusal } from './apply-steps';

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const CODE = /^\d{14}$/;
const PLU = /^\d{1,6}$/;
const EOL = /\r?\n|\r/;
const ITEM_KEYS = new Set(['t', 'id', 'name', 'dept', 'vat', 'unit', 'price', 'ageLimit', 'deposit', 'isDeposit', 'plu', 'blocked', 'codes']);

const isId = (v: unknown) => typeof v === 'string' && ID.test(v);
const intIn = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** True when `v` is an item record ItemRecordSchema accepts as it is (false: ask the schema). */
export function isPlainItem(v: unknown): v is ItemRecord {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  if (r.t !== 'item') return false;
  for (const k of Object.keys(r)) if (!ITEM_KEYS.has(k)) return false;
  const { name, codes } = r;
  if (!isId(r.id) || !isId(r.dept) || !isId(r.vat)) return false;
  if (typeof name !== 'string' || name.length < 1 || name.length > 120) return false;
  if (r.unit !== 'piece' && r.unit !== 'weight') return false;
  if (!intIn(r.price, 0, 100_000_000)) return false;
  if (r.ageLimit !== undefined && r.ageLimit !== null && !intIn(r.ageLimit, 1, 99)) return false;
  if (r.deposit !== undefined && r.deposit !== null && !isId(r.deposit)) return false;
  if (r.isDeposit !== undefined && typeof r.isDeposit !== 'boolean') return false;
  if (r.blocked !== undefined && typeof r.blocked !== 'boolean') return false;
  if (r.plu !== undefined && r.plu !== null && !(typeof r.plu === 'string' && PLU.test(r.plu))) return false;
  if (!Array.isArray(codes) || codes.length > 50) return false;
  for (const c of codes) if (typeof c !== 'string' || !CODE.test(c)) return false;
  return true;
}

/** One line's record, checked (`n`: its line number, for the refusal). */
function parseLine(line: string, n: number): CatalogRecord {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new CatalogRefusal('INVALID_PAYLOAD', `catalog line ${n} is not JSON`);
  }
  if (isPlainItem(json)) return json;
  const r = CatalogRecordSchema.safeParse(json);
  if (!r.success) throw new CatalogRefusal('INVALID_PAYLOAD', `catalog line ${n}: ${r.error.issues[0]?.path.join('.') || 'record'}: ${r.error.issues[0]?.message}`);
  return r.data;
}

/**
 * Reads and checks every record of a gzip NDJSON payload, in order, a batch at a time: the records
 * of about `textBytes` of decompressed text (16 KiB, some 100 items, by default; more costs fewer
 * rounds through the event loop, but each batch is read without a break).
 */
export async function* recordBatches(file: string, textBytes = 16 * 1024): AsyncGenerator<CatalogRecord[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let n = 0;
  const parse = (lines: string[]) => {
    const out: CatalogRecord[] = [];
    for (const line of lines) {
      n++;
      if (line) out.push(parseLine(line, n));
    }
    return out;
  };
  try {
    // pipeline: a file that cannot be read fails the iteration too, and stopping early closes the file.
    const input = pipeline(createReadStream(file, { highWaterMark: Math.max(64 * 1024, textBytes) }), createGunzip({ chunkSize: textBytes }), () => {});
    for await (const chunk of input as AsyncIterable<Buffer>) {
      // Lines end at \n, \r\n or \r, as node:readline reads them; a \r at the end waits for a \n.
      const text = rest + decoder.write(chunk);
      const end = text.endsWith('\r') ? text.length - 1 : text.length;
      const lines = text.slice(0, end).split(EOL);
      rest = lines.pop()! + text.slice(end);
      yield parse(lines);
    }
    yield parse((rest + decoder.end()).split(EOL));
  } catch (err) {
    if (err instanceof CatalogRefusal) throw err;
    throw new CatalogRefusal('INVALID_PAYLOAD', `the catalog payload cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Reads and checks every record of a gzip NDJSON payload, in order. */
export async function* records(file: string): AsyncGenerator<CatalogRecord> {
  for await (const batch of recordBatches(file)) yield* batch;
}
