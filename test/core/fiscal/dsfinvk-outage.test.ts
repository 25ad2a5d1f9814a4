/**
 * A sale sold while the TSE was out is in the DSFinV-K export as any sale, its TSE row empty but for
 * the reason (TSE_TA_FEHLER); the signed sales around it keep their numbers, and the closing counts
 * it. The business day is the store's (Berlin), not the machine's.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { exportDsfinvk } from '../../../core/fiscal/dsfinvk/export';
import { closeDay, openGermanTill, sellCash, type GermanTill } from '../../helpers/de-till';
import { readIndex, readTable } from '../../helpers/gdpdu';
import { tempDir } from '../../helpers/tmp';
import { TseError } from '../../../core/fiscal/tse/port';
import { DsfinvkError } from '../../../core/fiscal/dsfinvk/read';

const MILK = DEMO_ITEMS.milk.codes[0]!;
let t: { dir: string; cleanup: () => void };
let till: GermanTill;

let failFinish = false;
beforeEach(() => {
  t = tempDir('kassa-dsfinvk-outage-');
  failFinish = false;
  // The real simulator, dying between start and finish while `failFinish` (a TSE pulled mid-sale).
  till = openGermanTill(t.dir, '2026-12-07T22:30:00.000Z', {
    tse: (sim) => ({
      info: () => sim.info(),
      startTransaction: (...a) => sim.startTransaction(...a),
      updateTransaction: (...a) => sim.updateTransaction(...a),
      finishTransaction: (...a) => {
        if (failFinish) throw new TseError('TSE_UNAVAILABLE', 'the TSE stopped answering');
        return sim.finishTransaction(...a);
      },
      exportTar: (f) => sim.exportTar(f),
    }),
  });
});
const OPTS = { timeZone: 'Europe/Berlin', softwareVersion: 'test' };
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
  exportDsfinvk(till.db, { from: '2026-12-07', to: '2026-12-07' }, out, OPTS);
  const tse = readTable(out, readIndex(out).find((d) => d.url === 'transactions_tse.csv')!);
  const of = (id: string) => tse.find((r) => r.BON_ID === id)!;
  expect([of(before).TSE_TANR, of(before).TSE_TA_SIGZ, of(after).TSE_TANR, of(after).TSE_TA_SIGZ]).toEqual(['1', '2', '2', '4']);
  expect(of(during)).toMatchObject({ TSE_TANR: '', TSE_TA_SIG: '', TSE_TA_FEHLER: 'TSE ausgefallen: TSE_UNAVAILABLE: the TSE does not answer' });
  const heads = readTable(out, readIndex(out).find((d) => d.url === 'transactions.csv')!);
  expect(heads.map((h) => [h.BON_ID, h.BON_TYP])).toEqual([[before, 'Beleg'], [during, 'Beleg'], [after, 'Beleg']]);
  const closing = readTable(out, readIndex(out).find((d) => d.url === 'cashpointclosing.csv')!)[0]!;
  expect([closing.Z_BUCHUNGSTAG, closing.Z_SE_BARZAHLUNGEN]).toEqual(['2026-12-07', '50,85']);
});

it('names the transaction the TSE started and could not finish, finished as AVBelegabbruch when it was back', () => {
  failFinish = true;
  const during = sellCash(till, [MILK], 2_000).saleId;
  failFinish = false;
  const after = sellCash(till, [MILK], 2_000).saleId;
  closeDay(till);
  const out = join(t.dir, 'export');
  exportDsfinvk(till.db, { z: 1 }, out, OPTS);
  const tse = readTable(out, readIndex(out).find((d) => d.url === 'transactions_tse.csv')!);
  expect(tse.find((r) => r.BON_ID === during)).toMatchObject({ TSE_TANR: '1', TSE_TA_SIG: '', TSE_TA_FEHLER: expect.stringMatching(/^TSE ausgefallen: TSE_UNAVAILABLE: the TSE stopped answering; TSE-Transaktion 1 am .* als AVBelegabbruch beendet$/) });
  expect(tse.find((r) => r.BON_ID === after)).toMatchObject({ TSE_TANR: '2', TSE_TA_SIGZ: '4' });
});

it('refuses a sale at a VAT rate DSFinV-K has no key for, naming the rate, and writes nothing', () => {
  till.db.exec("UPDATE vat_class SET rate_bp = 2500 WHERE id = 'food'");
  sellCash(till, [MILK], 2_000);
  closeDay(till);
  const out = join(t.dir, 'export');
  let err: unknown;
  try {
    exportDsfinvk(till.db, { z: 1 }, out, OPTS);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DsfinvkError);
  expect((err as DsfinvkError).code).toBe('DSFINVK_VAT_RATE');
  expect((err as Error).message).toContain('25 %');
  expect(existsSync(out)).toBe(false);
});
