/**
 * Digital receipts in the core: the link is made only when the customer chose digital, carries the
 * whole receipt (or the excerpt of a very long one) signed by the terminal, and the core's /R page
 * renders it verified — or refuses, never crashing, what was changed, forged, malformed or too big.
 * Also the QR sizes of typical demo receipts (5, 20, 40 items), read back with jsQR.
 */
import { generateKeyPairSync } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { encode } from 'uqr';
import { ApiServer } from '../../../core/api/server';
import { AttendantServer } from '../../../core/api/attendant';
import type { Db } from '../../../core/db';
import { Operators } from '../../../core/operators';
import type { LaneService } from '../../../core/lane/host';
import { Journal } from '../../../core/journal';
import { Ed25519Signer } from '../../../core/journal/signer';
import { deflateReceipt, digitalReceiptLinker, inflateReceipt } from '../../../core/receipt/digital';
import { ReceiptPages } from '../../../core/receipt/digital-page';
import { isQrAlphanumeric, MAX_QR_VERSION, parseReceiptPath, qrVersion, receiptLink, type ReceiptEnvelope } from '../../../protocol/digital-receipt';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { rawEd25519 } from '../../../protocol/journal-chain';

const STORE = 'http://127.0.0.1:41234';
let tmp: ReturnType<typeof tempDir>;
let db: Db;
let lane: LaneService;
let pages: ReceiptPages;

beforeEach(() => {
  tmp = tempDir();
  db = demoDb(tmp.dir);
  const journal = new Journal(db, { signer: Ed25519Signer.generate().signer });
  lane = openDemoLane(db, { journal, digitalReceiptLink: digitalReceiptLinker({ db, journal, lang: 'sv', storeBase: () => STORE }) }, 'Kassa Demo Store');
  pages = new ReceiptPages(db, { storeId: 's', laneId: '1' });
});
afterEach(() => {
  lane.dispose();
  db.close();
  tmp.cleanup();
});

/** Barcodes of `n` different demo items sold by the piece, with no age limit or deposit. */
function items(n: number): string[] {
  return db
    .prepare<[number], { code: string }>(
      "SELECT substr(b.code, 2) AS code FROM barcode b JOIN item i ON i.id = b.item_id WHERE i.unit = 'piece' AND i.price > 0 AND i.age_limit IS NULL AND i.deposit_item_id IS NULL AND i.is_deposit = 0 AND b.code NOT LIKE '02%' GROUP BY i.id ORDER BY i.id LIMIT ?",
    )
    .all(n)
    .map((r) => r.code);
}

function sell(n: number, receipt: 'print' | 'digital' | 'none' = 'digital') {
  for (const code of items(n)) run(lane, { cmd: 'scan', code });
  run(lane, { cmd: 'tenderCash', amount: 1_000_000 });
  return run(lane, { cmd: 'complete', receipt }).lastSale!;
}

const pathOf = (link: string) => new URL(link).pathname;
const envelopeOf = (link: string): ReceiptEnvelope => {
  const r = parseReceiptPath(pathOf(link));
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};
/** The link with its envelope changed (the signature kept). */
const relink = (link: string, change: (e: ReceiptEnvelope) => ReceiptEnvelope) => pathOf(receiptLink(STORE, change(envelopeOf(link))));

/** Draws the QR code (4 px a module, as on a screen) and reads it back as a phone would. */
function scan(text: string): string | null {
  const { data } = encode(isQrAlphanumeric(text) ? text : Array.from(new TextEncoder().encode(text)), { ecc: 'L', border: 4 });
  const scale = 4;
  const n = data.length * scale;
  const px = new Uint8ClampedArray(n * n * 4).fill(255);
  data.forEach((row, y) =>
    row.forEach((on, x) => {
      if (!on) return;
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < scale; dx++) {
          const o = ((y * scale + dy) * n + x * scale + dx) * 4;
          px[o] = px[o + 1] = px[o + 2] = 0;
        }
    }),
  );
  return jsQR(px, n, n)?.data ?? null;
}

describe('digital receipt link', () => {
  it('is made only when the customer chose a digital receipt', () => {
    expect(sell(1, 'print').receiptLink).toBeNull();
    expect(sell(1, 'none').receiptLink).toBeNull();
    const sale = sell(1, 'digital');
    expect(sale.receiptLink).toMatch(/^HTTP:\/\/127\.0\.0\.1:41234\/R\/[0-9A-Z$*+\-.:]+$/);
    // It carries the receipt whole: nothing is looked up to read it.
    const env = envelopeOf(sale.receiptLink!);
    expect(env.excerpt).toBe(false);
    expect(inflateReceipt(env.deflated)).toEqual({ ok: true, text: sale.receiptText });
  });

  it('opens as the receipt page, verified with the terminal’s own key: store, items, total, return barcode, verification line', () => {
    const sale = sell(2);
    const page = pages.answer(pathOf(sale.receiptLink!));
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-state="verified"');
    expect(page.body).toContain('Verifierat – utfärdat av kassa 1 i butik s.');
    expect(page.body).toContain('Kassa Demo Store');
    expect(page.body).toMatch(/TOTALT SEK +\d/);
    const barcode = /\[BARCODE\] (R[0-9a-f]{32})/.exec(sale.receiptText)![1]!;
    expect(page.body).toContain(`aria-label="Returkod ${barcode}"`);
    const verification = /\[QR\] (.*)/.exec(sale.receiptText)![1]!;
    expect(page.body).toContain(verification);
    expect(page.body).not.toContain('[QR]');
  });

  it('says "not verified" for a changed receipt, another till’s signature, or none', () => {
    const link = sell(1).receiptLink!;
    const text = (inflateReceipt(envelopeOf(link).deflated) as { text: string }).text;
    const changed = relink(link, (e) => ({ ...e, deflated: deflateReceipt(text.replace(/TOTALT SEK( +)[\d ]+,\d\d/, 'TOTALT SEK$1 0,01')) }));
    expect(pages.answer(changed).body).toContain('data-state="mismatch"');
    const forged = relink(link, (e) => ({ ...e, signature: new Uint8Array(64).fill(7) }));
    expect(pages.answer(forged).body).toContain('data-state="mismatch"');
    expect(pages.answer(relink(link, (e) => ({ ...e, signature: null }))).body).toContain('data-state="unsigned"');
    // A link naming an HQ terminal this lane is not.
    expect(pages.answer(relink(link, (e) => ({ ...e, terminalId: 'T-00000000-0000-4000-8000-000000000000' }))).body).toContain('data-state="unknownTill"');
  });

  it('refuses malformed and oversized links with a 400 page, never an exception', () => {
    const link = sell(1).receiptLink!;
    const bomb = relink(link, (e) => ({ ...e, deflated: deflateRawSync(Buffer.alloc(4_000_000, 'A')) }));
    const garbage = relink(link, (e) => ({ ...e, deflated: new Uint8Array([1, 2, 3, 4, 5, 6]) }));
    const notUtf8 = relink(link, (e) => ({ ...e, deflated: deflateRawSync(Buffer.from([0xff, 0xfe, 0x41])) }));
    for (const path of ['/R/', '/R/x', `/R/${'0'.repeat(5000)}`, bomb, garbage, notUtf8, pathOf(link).slice(0, -7)]) {
      const a = pages.answer(path);
      expect(a.status, path.slice(0, 40)).toBe(400);
      expect(a.body).toContain('This receipt link is damaged or incomplete');
    }
  });

  it('typical demo receipts fit a QR code a phone reads at arm’s length, and read back exactly', () => {
    const sizes: Array<{ items: number; version: number; chars: number }> = [];
    for (const n of [5, 20, 40]) {
      const link = sell(n).receiptLink!;
      const env = envelopeOf(link);
      expect(env.excerpt, `${n} items`).toBe(false);
      sizes.push({ items: n, version: qrVersion(link)!, chars: link.length });
      expect(scan(link)).toBe(link);
    }
    // Measured (SE demo store, cash, the core's address as base): 5 items → version 16, 20 → 21, 40 → 25 (docs/design.md).
    expect(sizes.map((s) => s.version)).toEqual([...sizes.map((s) => s.version)].sort((a, b) => a - b));
    expect(sizes[0]!.version).toBeLessThanOrEqual(16);
    expect(sizes[2]!.version).toBeLessThanOrEqual(MAX_QR_VERSION);
  });

  it('a receipt too long for that carries its excerpt; the store’s page shows its full copy', () => {
    const sale = sell(120);
    const link = sale.receiptLink!;
    const env = envelopeOf(link);
    expect(env.excerpt).toBe(true);
    expect(qrVersion(link)).toBeLessThanOrEqual(MAX_QR_VERSION);
    const excerpt = (inflateReceipt(env.deflated) as { text: string }).text;
    expect(excerpt).toContain(/\[QR\] .*/.exec(sale.receiptText)![0]);
    expect(excerpt).toContain('Antal varor 120');
    const page = pages.answer(pathOf(link));
    expect(page.body).toContain('data-state="verified"');
    expect(page.body).not.toContain('data-testid="receipt-excerpt"');
    const last = sale.receiptText.split('\n').filter((l) => / {2,}\d+,\d\d( [A-Z])?$/.test(l))[100]!;
    expect(page.body).toContain(last.replace(/&/g, '&#38;').replace(/'/g, '&#39;').replace(/"/g, '&#34;'));
  });

  it('is served by the core’s listeners (Terminal API and attendant) with no token, under a strict CSP', async () => {
    const link = sell(1).receiptLink!;
    const api = new ApiServer({ service: lane, token: 'a-token-nobody-sends-0123', receiptPages: pages });
    const attendant = new AttendantServer({ service: lane, operators: new Operators(db), receiptPages: pages });
    try {
      for (const base of [`http://127.0.0.1:${await api.listen(0)}`, `http://127.0.0.1:${await attendant.listen('127.0.0.1', 0)}`]) {
        const ok = await fetch(`${base}${pathOf(link)}`);
        expect(ok.status).toBe(200);
        expect(ok.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; img-src 'none'/);
        expect(await ok.text()).toContain('data-state="verified"');
        const bad = await fetch(`${base}/R/not-a-receipt`);
        expect(bad.status).toBe(400);
        expect(bad.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect((await fetch(`${base}${pathOf(link)}`, { method: 'POST' })).status).toBe(405);
      }
    } finally {
      await api.close();
      await attendant.close();
    }
  });

  it('an enrolled lane links to HQ, signed with the key HQ knows (the core checks it too)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = rawEd25519(publicKey);
    db.prepare('INSERT INTO hq_link (id, hq_url, terminal_id, store_id, lane_id, private_key, public_key, enrolled_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)').run(
      'https://hq.kassa-demo.se/',
      'T-0f8d3c2e-1b7a-4c7e-9a51-3f0e2d6c8b90',
      's',
      '1',
      privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      raw,
      '2026-11-23T09:00:00.000Z',
    );
    const link = sell(5).receiptLink!;
    expect(link.startsWith('HTTPS://HQ.KASSA-DEMO.SE/R/')).toBe(true);
    expect(envelopeOf(link).terminalId).toBe('T-0f8d3c2e-1b7a-4c7e-9a51-3f0e2d6c8b90');
    expect(qrVersion(link)).toBeLessThanOrEqual(17);
    expect(pages.answer(pathOf(link)).body).toContain('data-state="verified"');
  });
});
