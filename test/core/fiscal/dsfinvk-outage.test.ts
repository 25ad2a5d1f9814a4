/**
 * A sale sold while the TSE was out is in the DSFinV-K export as any sale, its TSE row empty but for
 * the reason (TSE_TA_FEHLER); the signed sales around it keep their numbers, and the closing counts
 * it. The business day is the store's (Berlin), not the machine's.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { exportDsfinvk } from '../../../core/fiscal/dsfinvk/export';
import { closeDay, openGermanTill, sellCash, type GermanTill } from '../../helpers/de-till';
import { readIndex, readTable } from '../../helpers/gdpdu';
import { tempDir } from '../../helpers/tmp';

const MILK = DEMO_ITEMS.milk.codes[0]!;
let t: { dir: string; cleanup: () => void };
let till: GermanTill;

beforeEach(() => {
  t = tempDir('kassa-dsfinvk-outage-');
  till = openGermanTill(t.dir, '2026-12-07T22:30:00.000Z');
});
afterEach(() => {
  till.close();
  t.cleanup();
});

it('exports a sale sold in a TSE outage with the outage as its TSE error, and the signed ones around it intact', () => {
  const before = sellCash(till, [MILK], 2_000).saleId;
  till.sim.unplug();
  const during = sellCash(till, [MILK], 2_000).saleId;
  till.sim.plugIn();
  const after = sellCash(till, [MILK], 2_000).saleId;
  closeDay(till);
  const out = join(t.dir, 'export');
  // 22:30 UTC is 23:30 in Berlin: the business day is the 7th there, whatever the machine's zone.
  exportDsfinvk(till.db, { from: '2026-12-07', to: '2026-12-07' }, out, { timeZone: 'Europe/Berlin', softwareVersion: 'test' });
  const tse = readTable(out, readIndex(out).find((d) => d.url === 'transactions_tse.csv')!);
  const of = (id: string) => tse.find((r) => r.BON_ID === id)!;
  expect([of(before).TSE_TANR, of(before).TSE_TA_SIGZ, of(after).TSE_TANR, of(after).TSE_TA_SIGZ]).toEqual(['1', '2', '2', '4']);
  expect(of(during)).toMatchObject({ TSE_TANR: '', TSE_TA_SIG: '', TSE_TA_FEHLER: 'TSE ausgefallen: TSE_UNAVAILABLE: the TSE does not answer' });
  const heads = readTable(out, readIndex(out).find((d) => d.url === 'transactions.csv')!);
  expect(heads.map((h) => [h.BON_ID, h.BON_TYP])).toEqual([[before, 'Beleg'], [during, 'Beleg'], [after, 'Beleg']]);
  const closing = readTable(out, readIndex(out).find((d) => d.url === 'cashpointclosing.csv')!)[0]!;
  expect([closing.Z_BUCHUNGSTAG, closing.Z_SE_BARZAHLUNGEN]).toEqual(['2026-12-07', '50,85']);
});
