/**
 * `npm run demo:day` (core/demo-day/cli.ts, run as a process): a German day of a few sales through
 * the real lane with the TSE simulator, closed with a Z whose figures are the day's (sales, the
 * return, the cancelled basket, every tender kind, the drawer counted to its expected cash), and its
 * DSFinV-K export (`npm run dsfinvk`'s program) verified transaction by transaction with the
 * independent verifier; a Swedish day prints its Z-dagrapport with the control unit simulator; bad
 * input is refused and changes nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db';
import type { TillReport } from '../../../protocol/terminal';
import { cents, readIndex, readTable } from '../../helpers/gdpdu';
import { tempDir } from '../../helpers/tmp';
import { verifyQr } from '../../helpers/tse-verifier';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const t = tempDir('kassa-demo-day-');
afterAll(() => t.cleanup());

/** Runs a program as `npm run` would (through tsx), without the fiscal settings of the environment the tests run in. */
async function tsx(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^KASSA_(TSE|CONTROL_UNIT|SE_)/.test(k)));
  try {
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, maxBuffer: 1 << 24 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function zOf(db: string): TillReport {
  const d = openDatabase(db, { readonly: true });
  try {
    return JSON.parse(d.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'report.z'").get()!.body) as TillReport;
  } finally {
    d.close();
  }
}

describe('demo:day', () => {
  it('sells a German day through the lane with the TSE and closes it with a Z; its DSFinV-K export verifies with the independent verifier', async () => {
    const db = join(t.dir, 'de.db');
    const r = await tsx('core/demo-day/cli.ts', ['--profile', 'DE', '--sales', '8', '--db', db, '--date', '2026-10-25']);
    expect(r.stderr).toMatch(/TSE: simulator/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Z-BERICHT 1$/m);
    expect(r.stdout).toContain('25.10.2026, 08:');
    expect(r.stdout).toMatch(/^Umsatz 8 +\d+,\d\d$/m);
    expect(r.stdout).toMatch(/^Rückgaben 1 /m);
    expect(r.stdout).toMatch(/^Abbrüche 1 /m);
    expect(r.stdout).toMatch(/^Stornos 1 /m);
    expect(r.stdout).toMatch(/^Differenz +0,00$/m);
    const z = zOf(db);
    expect(z.sales.count).toBe(8);
    expect(z.returns.count).toBe(1);
    expect(z.cancels.count).toBe(1);
    expect(new Set(z.tenders.map((x) => x.kind))).toEqual(new Set(['cash', 'card', 'voucher']));
    expect(z.cash.overShort).toBe(0);
    expect(z.cash.counted).toBe(z.cash.expected);

    const out = join(t.dir, 'de-export');
    const x = await tsx('core/fiscal/dsfinvk/cli.ts', ['--db', db, '--from', '2026-10-25', '--to', '2026-10-25', '--out', out]);
    expect(x.stderr).toBe('');
    expect(x.stdout).toMatch(/^Z 1 {2}2026-10-25 {2}13 receipts$/m); // 8 sales, the return, the cancelled basket, the float, a paid-in and a pickup
    const tables = Object.fromEntries(readIndex(out).map((d) => [d.url, readTable(out, d)]));
    const signed = tables['transactions_tse.csv']!.filter((row) => row.TSE_TA_SIG !== '');
    expect(signed.length).toBe(13); // the sales, the return, the cancelled basket (AVBelegabbruch) and the three cash movements (Belege of their business case)
    expect(signed.filter((row) => row.TSE_VORGANGSDATEN!.startsWith('AVBelegabbruch^')).length).toBe(1);
    const cash = tables['transactions.csv']!.filter((b) => ['Anfangsbestand', 'Einzahlung', 'Geldtransit'].includes(b.BON_NAME!));
    expect(cash.map((b) => [b.BON_TYP, b.BON_NAME])).toEqual([['Beleg', 'Anfangsbestand'], ['Beleg', 'Einzahlung'], ['Beleg', 'Geldtransit']]);
    // Each sale's transaction started at its first scan, before it was paid: its start is before its end (a cash movement is signed at once).
    const movements = new Set(cash.map((b) => b.BON_ID));
    const sales = signed.filter((row) => row.TSE_VORGANGSDATEN!.startsWith('Beleg^') && !row.TSE_VORGANGSDATEN!.startsWith('Beleg^-') && !movements.has(row.BON_ID));
    for (const row of sales) expect(Date.parse(row.TSE_TA_START!)).toBeLessThan(Date.parse(row.TSE_TA_ENDE!));
    const tse = tables['tse.csv']![0]!;
    for (const row of signed) {
      const qr = ['V0', row.Z_KASSE_ID, row.TSE_TA_VORGANGSART, row.TSE_VORGANGSDATEN, row.TSE_TANR, row.TSE_TA_SIGZ, row.TSE_TA_START, row.TSE_TA_ENDE, tse.TSE_SIG_ALGO, tse.TSE_ZEITFORMAT, row.TSE_TA_SIG, tse.TSE_PUBLIC_KEY].join(';');
      expect(verifyQr(qr), `transaction ${row.TSE_TANR}`).toBe(true);
    }
    // Payments of the day's receipts (sales, the return, the cash movements) equal the closing's, and the Z's.
    const paid = new Map<string, number>();
    const beleg = new Set(tables['transactions.csv']!.filter((b) => b.BON_TYP === 'Beleg').map((b) => b.BON_ID));
    for (const p of tables['datapayment.csv']!.filter((p) => beleg.has(p.BON_ID))) paid.set(p.ZAHLART_NAME!, (paid.get(p.ZAHLART_NAME!) ?? 0) + cents(p.BASISWAEH_BETRAG!));
    const closing = new Map(tables['payment.csv']!.map((p) => [p.ZAHLART_NAME!, cents(p.Z_ZAHLART_BETRAG!)]));
    expect(closing).toEqual(paid);
    // Gift cards are no payment (multi-purpose vouchers: positions of their own, MehrzweckgutscheinEinloesung).
    const onCards = z.tenders.filter((x) => x.kind === 'voucher').reduce((a, x) => a + x.amount, 0);
    expect(onCards).toBeGreaterThan(0);
    expect(tables['businesscases.csv']!.filter((b) => b.GV_TYP === 'MehrzweckgutscheinEinloesung').reduce((a, b) => a + cents(b.Z_UMS_BRUTTO!), 0)).toBe(-onCards);
    expect([...closing.values()].reduce((a, b) => a + b, 0)).toBe(z.sales.total - z.returns.amount - onCards + z.cash.float + z.cash.paidIn - z.cash.paidOut - z.cash.pickups);
    // The drawer's cash in the closing is what was counted (Kassenbestand).
    expect(cents(tables['cash_per_currency.csv']![0]!.ZAHLART_BETRAG_WAEH!)).toBe(z.cash.counted);
  }, 120_000);

  it('sells a Swedish day with the control unit and prints the Z-dagrapport', async () => {
    const db = join(t.dir, 'se.db');
    const r = await tsx('core/demo-day/cli.ts', ['--profile', 'SE', '--sales', '6', '--db', db, '--date', '2026-03-29']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/control unit: simulator/);
    expect(r.stdout).toMatch(/^Z-DAGRAPPORT nr 1$/m);
    expect(r.stdout).toMatch(/^Org\.nr 556000-0001$/m);
    expect(r.stdout).toMatch(/^Antal kvitton +7$/m); // six sales and the return
    expect(r.stdout).toMatch(/^Ej slutförda köp 1 /m);
    expect(r.stdout).toContain('2026-03-29 08:');
    expect(zOf(db).se?.receipts).toBe(7);
  }, 120_000);

  it('sells a day for every other market without a fiscal device', async () => {
    for (const p of ['DK', 'NO', 'FI', 'GB']) {
      const db = join(t.dir, `${p}.db`);
      const r = await tsx('core/demo-day/cli.ts', ['--profile', p, '--sales', '3', '--db', db, '--date', '2026-12-07']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${p} 2026-12-07: 3 sales, 1 return, 1 cancelled basket (no fiscal device)`);
      expect(zOf(db).cash.overShort).toBe(0);
    }
  }, 240_000);

  it('refuses an existing database, an unknown profile and a bad count or date, and writes nothing', async () => {
    const db = join(t.dir, 'de.db');
    const again = await tsx('core/demo-day/cli.ts', ['--profile', 'DE', '--sales', '3', '--db', db]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists: a demo day is sold into a new database/);
    expect(zOf(db).sales.count).toBe(8);
    const fresh = join(t.dir, 'never.db');
    expect((await tsx('core/demo-day/cli.ts', ['--profile', 'XX', '--sales', '3', '--db', fresh])).stderr).toMatch(/Unknown country profile "XX"/);
    expect((await tsx('core/demo-day/cli.ts', ['--profile', 'DE', '--sales', 'ten', '--db', fresh])).stderr).toMatch(/--sales is a whole number/);
    expect((await tsx('core/demo-day/cli.ts', ['--profile', 'DE', '--sales', '3', '--db', fresh, '--date', '2026-02-30'])).stderr).toMatch(/no such date/);
    expect(existsSync(fresh)).toBe(false);
  }, 120_000);
});
