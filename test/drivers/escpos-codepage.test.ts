/**
 * "…" never prints as "?": every line sent to the printer goes through the code page's encoder
 * with a fallback (drivers/escpos/codepage.ts). Checked for every character the receipts use — a
 * sale, an X report, a parked-basket slip, in every store profile (their printers use
 * CP858), the demo catalog's names — and by the bytes the printer gets.
 */
import { describe, expect, it } from 'vitest';
import { canPrint, printableText } from '../../drivers/escpos/codepage';
import { encodeReceipt } from '../../drivers/escpos/receipt';
import { Catalog } from '../../core/catalog/repo';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { LaneService } from '../../core/lane/host';
import { PROFILES } from '../../core/profile';
import { renderTillReport } from '../../core/till/report';
import type { TillReport } from '../../protocol/terminal';
import { demoDb } from '../helpers/demo-lane';
import { testClock } from '../helpers/clock';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';

/** The texts one lane of this profile prints in a day: a sale's receipt, a slip, an X and a Z report. */
function dayOfReceipts(country: keyof typeof PROFILES): string[] {
  const t = tempDir();
  const db = demoDb(t.dir);
  try {
    const s = new LaneService(db, new Catalog(db), PROFILES[country], { storeId: 's', storeName: 'Stormarknaden Åkersberga – Öst', laneId: '1' }, { now: testClock() });
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    run(s, { cmd: 'openTill', float: [] });
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    const slip = s.handle({ id: 'p1', cmd: 'suspendSale' }).result as { slipText: string };
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'tenderCash' });
    const sale = run(s, { cmd: 'complete', receipt: 'none' }).lastSale!.receiptText;
    const x = s.handle({ id: 'x1', cmd: 'xReport', print: false }).result as TillReport;
    const names = (db.prepare('SELECT name FROM item').all() as Array<{ name: string }>).map((r) => r.name);
    s.dispose();
    return [sale, slip.slipText, renderTillReport(x, PROFILES[country]), ...names];
  } finally {
    db.close();
    t.cleanup();
  }
}

describe('printable text', () => {
  it('replaces what the code page lacks with what reads the same, never with a question mark', () => {
    expect(printableText('Pant … 2,00 € – ’ok’ „gut“ 5\u202fkg')).toBe('Pant ... 2,00 € - \'ok\' "gut" 5 kg');
    expect(printableText('Łódź Szőke č')).toBe('Lódz Szoke c'); // ó is on the page, ź ő č are not
    expect(printableText('Mjölk Äpple Käse Øl Straße Æble')).toBe('Mjölk Äpple Käse Øl Straße Æble');
    expect(printableText('?')).toBe('?');
    // The bytes: "…" as three dots, not 0x3F.
    const bytes = encodeReceipt('Summa …\n');
    expect(Buffer.from(bytes).includes(Buffer.from('Summa ...'))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from('Summa ?'))).toBe(false);
  });

  it.each(Object.keys(PROFILES) as Array<keyof typeof PROFILES>)('prints every character a %s lane puts on paper', (country) => {
    const chars = new Set([...dayOfReceipts(country).join('\n')].filter((c) => c !== '\n'));
    expect(chars.size).toBeGreaterThan(40);
    const lost = [...chars].filter((c) => c !== '?' && printableText(c).includes('?'));
    expect(lost, 'characters the printer would print as "?"').toEqual([]);
    // And the receipt words themselves need no fallback on CP858 (only what a catalog brings might).
    expect([...'ÅÄÖåäöÜüß€'].every((c) => canPrint(c))).toBe(true);
  });
});
