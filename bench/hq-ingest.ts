/**
 * The ingest load both HQ benches use: terminals enrolled through HQ's admin API and its enrollment
 * endpoint, each uploading signed batches of 5-line sales concurrently, as the uploader does.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { entryHash, GENESIS_HASH, keyIdOfSpki, rawEd25519 } from '../protocol/journal-chain';
import { uuidv7 } from '../core/ids';
import { systemClock } from '../core/clock';
import { signedPost, type HqLink } from '../core/sync/link';
import type { SaleUpload } from '../protocol/hq';

/** A bench terminal: its HQ link and the key its journal is signed with. */
export interface BenchTerminal extends HqLink {
  journalKey: KeyObject;
  journalKeyId: string;
}

export async function enrollTerminal(url: string, admin: string, store: string, lane: string): Promise<BenchTerminal> {
  const journal = generateKeyPairSync('ed25519');
  const journalDer = journal.publicKey.export({ format: 'der', type: 'spki' });
  const { token } = (await (await fetch(`${url}/v1/admin/enrollment-tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ storeId: store, laneId: lane }) })).json()) as { token: string };
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const r = (await (
    await fetch(`${url}/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, publicKey: rawEd25519(publicKey), journalKey: journalDer.subarray(12).toString('base64url'), softwareVersion: 'bench' }),
    })
  ).json()) as { terminalId: string; storeId: string; laneId: string };
  return { hqUrl: url, terminalId: r.terminalId, storeId: r.storeId, laneId: r.laneId, privateKey, now: systemClock, journalKey: journal.privateKey, journalKeyId: keyIdOfSpki(journalDer) };
}

function saleBody(i: number): string {
  const lines = Array.from({ length: 5 }, (_, k) => ({ lineId: `L${k + 1}`, itemId: `item-${(i * 7 + k) % 5000}`, name: `Vara ${k}`, quantity: 1 + (k % 3), unitPrice: 1990 + k * 100, total: (1990 + k * 100) * (1 + (k % 3)), vatRate: 1200 }));
  // Sale ids as terminals make them: UUIDv7, in time order (HQ's unique indexes grow at one end).
  return JSON.stringify({ saleId: uuidv7(systemClock().getTime()), lines, totals: { total: lines.reduce((a, l) => a + l.total, 0) }, tenders: [{ kind: 'cash', amount: 20000 }] });
}

/**
 * `terminals` new terminals upload `perTerminal` sales each (batches of `batch`), all at once;
 * returns the seconds from the first batch sent to the last acknowledged (enrollment excluded).
 */
export async function ingestLoad(o: { url: string; admin: string; store: string; terminals: number; perTerminal: number; batch: number }): Promise<number> {
  const links: BenchTerminal[] = [];
  for (let t = 0; t < o.terminals; t++) links.push(await enrollTerminal(o.url, o.admin, o.store, String(t)));
  const createdAt = systemClock().toISOString();
  // Each sale is an entry of its terminal's signed journal chain, as a lane writes it (HQ checks the chain).
  const batches = links.map((link) => {
    let prevHash = GENESIS_HASH;
    return Array.from({ length: Math.ceil(o.perTerminal / o.batch) }, (_, b) =>
      Array.from({ length: Math.min(o.batch, o.perTerminal - b * o.batch) }, (_, k): SaleUpload => {
        const seq = b * o.batch + k + 1;
        const body = saleBody(seq);
        const saleId = (JSON.parse(body) as { saleId: string }).saleId;
        const e = { seq, at: createdAt, kind: 'sale.completed', ref: saleId, body };
        const hash = entryHash(prevHash, e);
        const entry = { seq, at: createdAt, kind: e.kind, ref: saleId, prevHash, hash, signature: sign(null, Buffer.from(hash, 'hex'), link.journalKey).toString('base64'), keyId: link.journalKeyId };
        prevHash = hash;
        return { sequence: seq, saleId, kind: 'sale', businessDate: '2026-11-25', total: 10000, createdAt, body, entry };
      }),
    );
  });
  const t0 = performance.now();
  await Promise.all(
    links.map(async (link, i) => {
      for (const sales of batches[i]!) await signedPost(link, '/v1/sales', { clock: systemClock().toISOString(), backlog: { count: 0, oldestAt: null }, sales }, fetch, 300_000);
    }),
  );
  return (performance.now() - t0) / 1000;
}
