/**
 * HQ's digital receipt page: an enrolled lane's link opens at HQ (no token, nothing asked of the
 * lane), verified with the key the terminal enrolled with; a changed, forged, unknown or withdrawn
 * one says "not verified"; a malformed or oversized one gets a 400 page. Strict CSP, no scripts.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { Journal } from '../../core/journal';
import { Ed25519Signer } from '../../core/journal/signer';
import { deflateReceipt, digitalReceiptLinker, inflateReceipt } from '../../core/receipt/digital';
import { enroll } from '../../core/sync/link';
import { migrate, sqliteSql, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { buildHqServer } from '../../hq/server';
import { parseReceiptPath, receiptLink, type ReceiptEnvelope } from '../../protocol/digital-receipt';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';

const ADMIN = 'admin-token-for-tests-0123456789';
const tmp = tempDir('kassa-hq-receipt-');
let sql: Sql;
let store: HqStore;
let app: FastifyInstance;
let url: string;
let link: string;
let terminalId: string;
let receiptText: string;

beforeAll(async () => {
  sql = sqliteSql(join(tmp.dir, 'hq.db'));
  await migrate(sql, join(__dirname, '../../migrations/hq'));
  store = new HqStore(sql);
  app = await buildHqServer({ store, adminToken: ADMIN });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  // A lane enrolled at this HQ sells milk and the customer takes a digital receipt.
  const token = await store.createEnrollmentToken('store-7', 'K3');
  const db = demoDb(tmp.dir);
  terminalId = (await enroll(db, url, token, '0.1.0-test')).terminalId;
  const journal = new Journal(db, { signer: Ed25519Signer.generate().signer });
  const lane = openDemoLane(db, { journal, digitalReceiptLink: digitalReceiptLinker({ db, journal, lang: 'sv', storeBase: () => 'http://127.0.0.1:1' }) }, 'Kassa Demo Store');
  run(lane, { cmd: 'scan', code: DEMO_ITEMS.butter.codes[0]! });
  run(lane, { cmd: 'tenderCash', amount: 10_000 });
  const sale = run(lane, { cmd: 'complete', receipt: 'digital' }).lastSale!;
  lane.dispose();
  db.close();
  link = sale.receiptLink!;
  receiptText = sale.receiptText;
});
afterAll(async () => {
  await app.close();
  await sql.close();
  tmp.cleanup();
});

const envelope = (): ReceiptEnvelope => {
  const r = parseReceiptPath(new URL(link).pathname);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};
/** GETs a link (its path on this HQ), as a phone would. */
const open = async (l: string) => {
  const res = await fetch(`${url}${new URL(l).pathname}`);
  return { status: res.status, csp: res.headers.get('content-security-policy') ?? '', type: res.headers.get('content-type'), body: await res.text() };
};

describe('HQ receipt page', () => {
  it('opens an enrolled lane’s link: the receipt, its return barcode and verification line, verified with the terminal’s key', async () => {
    expect(link.toLowerCase().startsWith(`${url}/r/`)).toBe(true);
    expect(envelope().terminalId).toBe(terminalId);
    const page = await open(link);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain('<html lang="sv">');
    expect(page.body).toContain('data-state="verified"');
    expect(page.body).toContain('Verifierat – utfärdat av kassa K3 i butik store-7.');
    expect(page.body).toContain('Smör normalsaltat 500 g');
    expect(page.body).toMatch(/TOTALT SEK +55,00/);
    expect(page.body).toContain(`aria-label="Returkod ${/\[BARCODE\] (\S+)/.exec(receiptText)![1]}"`);
    expect(page.body).toContain(/\[QR\] (.*)/.exec(receiptText)![1]);
    // The lower-case path works too (some phones lower-case what they open).
    expect((await fetch(`${url}${new URL(link).pathname.replace('/R/', '/r/')}`)).status).toBe(200);
  });

  it('says "not verified" for a changed receipt, an unknown terminal and, after it is withdrawn, the terminal’s own', async () => {
    const e = envelope();
    const text = (inflateReceipt(e.deflated) as { text: string }).text;
    const changed = receiptLink(url, { ...e, deflated: deflateReceipt(text.replace('Smör normalsaltat 500 g', 'Smör normalsaltat 5 kg ')) });
    expect((await open(changed)).body).toContain('data-state="mismatch"');
    expect((await open(receiptLink(url, { ...e, terminalId: 'T-00000000-0000-4000-8000-000000000000' }))).body).toContain('data-state="unknownTill"');
    expect((await open(receiptLink(url, { ...e, terminalId: null }))).body).toContain('data-state="unknownTill"');
    expect((await open(receiptLink(url, { ...e, signature: null }))).body).toContain('data-state="unsigned"');
    await store.revoke(terminalId);
    expect((await open(link)).body).toContain('data-state="revoked"');
  });

  it('refuses malformed and oversized links with a clear 400 page (HTML, the same strict CSP)', async () => {
    for (const path of ['/R/', '/R/abc', `/R/${'Z'.repeat(5000)}`, `/R/${'0'.repeat(300)}`, '/R/%3Cscript%3E']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path.slice(0, 30)).toBe(400);
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      const body = await res.text();
      expect(body).toContain('This receipt link is damaged or incomplete');
      expect(body).not.toContain('<script');
    }
  });
});
