/**
 * The Kassenmeldung (§146a Abs. 4 AO) a German till records: once per TSE and till when the lane
 * starts with it (the TSE's commissioning its own, the till's its first journal entry), a new TSE
 * a new record, the software version the running one; a TSE that does not answer at start is
 * recorded when it signs again. Exported as JSON and CSV by the command's functions.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { Catalog } from '../../../core/catalog/repo';
import { TseSimulator } from '../../../core/fiscal/tse/simulator';
import { TseError, type TsePort } from '../../../core/fiscal/tse/port';
import { kassenmeldungCsv, readKassenmeldungen } from '../../../core/fiscal/tse/kassenmeldung';
import { Journal } from '../../../core/journal';
import { loadOrCreateTerminalSigner } from '../../../core/journal/signer';
import { LaneService } from '../../../core/lane/host';
import { PROFILES } from '../../../core/profile';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { DE_CLIENT, DE_IDENTITY, openGermanTill, sellCash, type GermanTill } from '../../helpers/de-till';
import { tempDir } from '../../helpers/tmp';

let t: { dir: string; cleanup: () => void };
let till: GermanTill;
const MILK = DEMO_ITEMS.milk.codes[0]!;

beforeEach(() => {
  t = tempDir('kassa-meldung-');
  till = openGermanTill(t.dir, '2026-12-07T08:30:00.000Z');
});
afterEach(() => {
  till.close();
  t.cleanup();
});

const reopen = (tse: TsePort, legal: { address: string; orgNumber: string; vatId: string } | null = null) => {
  till.lane.dispose();
  till.lane = new LaneService(till.db, new Catalog(till.db), PROFILES.DE, { ...DE_IDENTITY, legal }, { now: till.clock.now, journal: new Journal(till.db, { signer: loadOrCreateTerminalSigner(till.db, till.clock.now) }), tse });
};

it('is recorded once per TSE and till, with a new TSE a new record, and exported as CSV', () => {
  const first = readKassenmeldungen(till.db);
  expect(first).toEqual([
    { tseSerialNumber: till.sim.info().serialNumber, tsePublicKey: till.sim.info().publicKey, tseSignatureAlgorithm: 'ecdsa-plain-SHA256', tseCertificate: null, tseCommissionedAt: '2026-12-07T08:30:00.000Z', tillSerialNumber: DE_CLIENT, manufacturer: 'Kassa (open source, AGPL-3.0)', model: 'Kassa POS terminal', softwareVersion: '0.1.0', tillCommissionedAt: '2026-12-07T08:30:00.000Z', storeName: 'Kassa Berlin', location: '' },
  ]);
  sellCash(till, [MILK], 2_000);
  till.clock.advance(86_400_000);
  reopen(till.sim);
  expect(readKassenmeldungen(till.db)).toEqual(first); // the same TSE and till: nothing new
  // The TSE is replaced by another one, a day later, and the store's address is now known.
  const other = new TseSimulator(join(t.dir, 'tse-2.sqlite'), { now: till.clock.now });
  other.registerClient(DE_CLIENT);
  reopen(other, { address: 'Hauptstraße 1, 10115 Berlin', orgNumber: '11/111/11111', vatId: 'DE000000000' });
  const both = readKassenmeldungen(till.db);
  expect(both).toHaveLength(2);
  expect(both[1]).toMatchObject({ tseSerialNumber: other.info().serialNumber, tseCommissionedAt: '2026-12-08T08:30:01.500Z', tillCommissionedAt: '2026-12-07T08:30:00.000Z', location: 'Hauptstraße 1, 10115 Berlin' });
  expect(till.lane.snapshot().tse?.meldung).toEqual(both[1]);
  const csv = kassenmeldungCsv(both).split('\r\n');
  expect(csv).toHaveLength(4); // head, two records, and the end of the last line
  expect(csv[2]).toBe(`"${other.info().serialNumber}";"${other.info().publicKey}";"ecdsa-plain-SHA256";"";"2026-12-08T08:30:01.500Z";"${DE_CLIENT}";"Kassa (open source, AGPL-3.0)";"Kassa POS terminal";"0.1.0";"2026-12-07T08:30:00.000Z";"Kassa Berlin";"Hauptstraße 1, 10115 Berlin"`);
  reopen(till.sim);
  other.close();
});

it('a TSE that does not answer when the lane starts is recorded when it signs again', () => {
  till.db.exec('DELETE FROM tse_kassenmeldung');
  let out = true;
  const sim = till.sim;
  const flaky: TsePort = {
    info: () => {
      if (out) throw new TseError('TSE_UNAVAILABLE', 'the TSE does not answer');
      return sim.info();
    },
    startTransaction: (...a) => sim.startTransaction(...a),
    updateTransaction: (...a) => sim.updateTransaction(...a),
    finishTransaction: (...a) => sim.finishTransaction(...a),
    exportTar: (f) => sim.exportTar(f),
  };
  till.lane.dispose();
  till.lane = new LaneService(till.db, new Catalog(till.db), PROFILES.DE, DE_IDENTITY, { now: till.clock.now, journal: new Journal(till.db, { signer: loadOrCreateTerminalSigner(till.db, till.clock.now) }), tse: flaky });
  expect(till.lane.snapshot().tse?.meldung).toBeNull();
  expect(sellCash(till, [MILK], 2_000).receiptText).toContain('TSE ausgefallen');
  out = false;
  sellCash(till, [MILK], 2_000);
  expect(till.lane.snapshot().tse?.meldung?.tseSerialNumber).toBe(sim.info().serialNumber);
  expect(readKassenmeldungen(till.db)).toHaveLength(1);
});
