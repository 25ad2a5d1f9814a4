/**
 * The store's day while HQ is gone (issue 19, core/peers/store-day.ts), on real SQLite files: this
 * till's own sales and the copies it holds of two peers' sales — fed the very batches their
 * uploaders make from their signed journals — add up per lane as each lane's own X report adds up
 * its day; returns take off; another business date is left out; a lane the roster names with
 * nothing held shows as such; the store's total is the lanes' sum; the report is journalled.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreFigures, StoreReport, TillReport } from '../../../protocol/terminal';
import type { Roster, RosterTerminal } from '../../../protocol/roster';
import type { Db } from '../../../core/db';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import type { LaneService } from '../../../core/lane/host';
import { renderStoreReport } from '../../../core/peers/store-report-text';
import { PeerCopies } from '../../../core/peers/copies';
import { RosterRepo } from '../../../core/peers/roster';
import { HqLinkRepo } from '../../../core/sync/repo';
import { RosterSigner } from '../../../hq/roster';
import { PROFILES } from '../../../core/profile';
import { MONDAY } from '../../helpers/clock';
import { exec, run, sellMilkForCash } from '../../helpers/lane';
import { batchOf as batchAt, peerTill, returnFirstLine, sellButterByCard, type PeerTill } from '../../helpers/peer-tills';
import { tempDir } from '../../helpers/tmp';
import { rawEd25519 } from '../../../protocol/journal-chain';

const tmp = tempDir('kassa-store-day-');
const lanes: LaneService[] = [];
afterAll(() => {
  for (const l of lanes) l.dispose();
  tmp.cleanup();
});
const SUNDAY = '2026-11-22T15:00:00+01:00';
const NOW = new Date(MONDAY);

function till(laneId: string, at = MONDAY): PeerTill {
  const t = peerTill(tmp.dir, laneId, at);
  lanes.push(t.lane);
  return t;
}
const batchOf = (t: PeerTill) => batchAt(t, NOW);

/** This till's store roster: terminals T-1 (itself) to T-4, lane n each. */
function enrollWithRoster(db: Db, keys: Map<string, string>): void {
  const rawKey = () => rawEd25519(generateKeyPairSync('ed25519').publicKey);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const rosterKey = rawEd25519(publicKey);
  new HqLinkRepo(db).put({ hqUrl: 'http://hq.invalid/', terminalId: 'T-1', storeId: 'store-a', laneId: '1', privateKey: 'unused', publicKey: 'unused', enrolledAt: '2026-11-01T00:00:00.000Z', rosterKey });
  const terminals: RosterTerminal[] = [1, 2, 3, 4].map((n) => ({ terminalId: `T-${n}`, laneId: String(n), publicKey: rawKey(), journalKey: keys.get(`T-${n}`) ?? rawKey(), address: null, hqAckedThrough: 0, lastContact: null }));
  const roster: Roster = { storeId: 'store-a', issuedAt: '2026-11-23T08:00:00.000Z', terminals };
  expect(new RosterRepo(db).store(new RosterSigner(privateKey).sign(roster), rosterKey)).toEqual({ ok: true });
}

const storeReport = (l: LaneService, businessDate?: string): StoreReport => (exec(l, { cmd: 'storeReport', ...(businessDate ? { businessDate } : {}) }).result as { storeReport: StoreReport }).storeReport;
const xFigures = (x: TillReport): StoreFigures => ({ sales: x.sales, returns: x.returns, net: x.sales.total - x.returns.amount, tenders: x.tenders });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("the store's day from this till's sales and its peers' copies", () => {
  it('adds up each lane as its own X report does, leaves out another day, and totals the lanes', async () => {
    const self = till('1');
    const a = till('2');
    const b = till('3', SUNDAY);

    // This till: two sales, one returned.
    const sold = sellMilkForCash(self.lane);
    const card = await sellButterByCard(self.lane);
    const ret = returnFirstLine(self.lane, sold);
    // Lane 2: cash, card, a return.
    const aSale = sellMilkForCash(a.lane);
    sellMilkForCash(a.lane);
    await sellButterByCard(a.lane);
    const aRet = returnFirstLine(a.lane, aSale);
    // Lane 3: one sale on Sunday, one on Monday.
    const sunday = run(b.lane, { cmd: 'scan', code: DEMO_ITEMS.bread.codes[0]! });
    run(b.lane, { cmd: 'tenderCash', amount: 10_000 });
    const sundayTotal = run(b.lane, { cmd: 'complete' }).lastSale!.total;
    expect(sunday.checkout!.lines).toHaveLength(1);
    b.clock.set(MONDAY);
    sellMilkForCash(b.lane);

    enrollWithRoster(self.db, new Map([['T-2', a.key], ['T-3', b.key]]));
    const copies = new PeerCopies(self.db);
    expect(copies.ingest('T-2', a.key, batchOf(a), NOW)).toMatchObject({ ackedThrough: 4, accepted: 4 });
    expect(copies.ingest('T-3', b.key, batchOf(b), NOW)).toMatchObject({ ackedThrough: 2, accepted: 2 });

    const r = storeReport(self.lane);
    expect(r.businessDate).toBe('2026-11-23');
    expect(r.currency).toBe('SEK');
    expect(r.lanes.map((l) => [l.laneId, l.terminalId, l.self])).toEqual([['1', 'T-1', true], ['2', 'T-2', false], ['3', 'T-3', false], ['4', 'T-4', false]]);
    const [one, two, three, four] = r.lanes;

    // This till's figures are its X report's (one till session, all on Monday).
    const selfX = exec(self.lane, { cmd: 'xReport' }).result as TillReport;
    expect(one!.figures).toEqual(xFigures(selfX));
    expect(one!.figures!.sales).toEqual({ count: 2, total: 1700 + card });
    expect(one!.figures!.returns).toEqual({ count: 1, amount: ret.refund });
    expect(one!.lastContact).toBeNull();
    // Lane 2's, from the copy, are what lane 2's own X report says.
    const aX = exec(a.lane, { cmd: 'xReport' }).result as TillReport;
    expect(two!.figures).toEqual(xFigures(aX));
    expect(two!.figures!.returns.amount).toBe(aRet.refund);
    expect(two!.figures!.tenders.map((t) => t.kind)).toEqual(['card', 'cash']);
    expect(two!.lastContact).toBe(NOW.toISOString());
    // Lane 3: Monday's sale only.
    expect(three!.figures).toEqual({ sales: { count: 1, total: 1700 }, returns: { count: 0, amount: 0 }, net: 1700, tenders: [{ kind: 'cash', amount: 1700 }] });
    // Lane 4: named, nothing held, never heard.
    expect(four).toMatchObject({ figures: null, lastContact: null, lastSaleAt: null });

    // Each lane's tenders add up to its net; the store's total is the lanes' sum.
    for (const l of r.lanes.filter((x) => x.figures)) expect(sum(l.figures!.tenders.map((t) => t.amount))).toBe(l.figures!.net);
    const figs = r.lanes.flatMap((l) => (l.figures ? [l.figures] : []));
    expect(r.total.sales).toEqual({ count: sum(figs.map((f) => f.sales.count)), total: sum(figs.map((f) => f.sales.total)) });
    expect(r.total.returns).toEqual({ count: 2, amount: ret.refund + aRet.refund });
    expect(r.total.net).toBe(sum(figs.map((f) => f.net)));
    expect(r.total.net).toBe(r.total.sales.total - r.total.returns.amount);
    expect(sum(r.total.tenders.map((t) => t.amount))).toBe(r.total.net);

    // Sunday: lane 3's other sale, nothing of the others.
    const sun = storeReport(self.lane, '2026-11-22');
    expect(sun.lanes.map((l) => [l.laneId, l.figures?.sales.count ?? null])).toEqual([['1', 0], ['2', null], ['3', 1], ['4', null]]);
    expect(sun.total.sales).toEqual({ count: 1, total: sundayTotal });

    // Journalled, as the X report is.
    const journalled = self.db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'report.store' ORDER BY seq").all();
    expect(journalled.map((j) => (JSON.parse(j.body) as StoreReport).businessDate)).toEqual(['2026-11-23', '2026-11-22']);
  });

  it('needs someone signed in, as the X report does', () => {
    const l = till('9');
    run(l.lane, { cmd: 'signOut' });
    expect(() => exec(l.lane, { cmd: 'storeReport' })).toThrow(/Sign in first/);
  });
  it('prints as the lane shows it: each lane, how current, its figures, then the store, in the store’s language', () => {
    const figs = (count: number, total: number, returned = 0) => ({ sales: { count, total }, returns: { count: returned ? 1 : 0, amount: returned }, net: total - returned, tenders: [{ kind: 'cash', amount: total - returned }] });
    const r: StoreReport = {
      businessDate: '2026-11-23', at: '2026-11-23T16:30:00.000Z', currency: 'SEK',
      lanes: [
        { laneId: '1', terminalId: 'T-1', self: true, lastContact: null, lastSaleAt: '2026-11-23T16:00:00.000Z', figures: figs(2, 3400, 1700) },
        { laneId: '2', terminalId: 'T-2', self: false, lastContact: '2026-11-23T15:05:00.000Z', lastSaleAt: '2026-11-23T15:00:00.000Z', figures: figs(1, 5490) },
        { laneId: '3', terminalId: 'T-3', self: false, lastContact: null, lastSaleAt: null, figures: null },
      ],
      total: figs(3, 8890, 1700),
      conflicts: [
        { kind: 'return', ref: 'R0123abcd', lanes: ['1', '2'], item: 'Mellanmjölk 1 l', sold: 1, returned: 2 },
        { kind: 'resume', ref: 'S4567cdef', lanes: ['2', '3'], item: null, sold: null, returned: null },
      ],
    };
    const se = renderStoreReport(r, PROFILES.SE, 'Butiken Centrum').split('\n');
    expect(se.slice(0, 4)).toEqual(['Butiken Centrum', 'BUTIKSRAPPORT (X, alla kassor)', 'Affärsdag 2026-11-23', 'Utskriven 2026-11-23 17:30']);
    expect(se).toContain('Kassa 1 (denna kassa)');
    expect(se).toContain('Kassa 2 (senast hörd 2026-11-23 16:05)');
    expect(se.slice(se.indexOf('Kassa 3 (aldrig hörd)'), se.indexOf('Kassa 3 (aldrig hörd)') + 2)).toEqual(['Kassa 3 (aldrig hörd)', '  inga köp här']);
    const total = se.slice(se.indexOf('BUTIKEN TOTALT'));
    expect(total.slice(1, 5).map((l) => l.replace(/(\S)\s+/g, '$1 '))).toEqual(['  Försäljning 3 88,90', '  Returer 1 -17,00', '  Netto 71,90', '    Kontant 71,90']);
    // What two lanes did to the same thing while apart, after the total.
    expect(se.slice(se.indexOf('KONFLIKTER'), se.indexOf('KONFLIKTER') + 5)).toEqual(['KONFLIKTER', 'R0123abcd Mellanmjölk 1 l:', '  såld 1, returnerad 2 (kassa 1, 2)', 'S4567cdef parkerad korg:', '  upptagen på kassa 2, 3']);
    const de = renderStoreReport({ ...r, currency: 'EUR' }, PROFILES.DE, 'Markt Mitte');
    expect(de).toMatch(/FILIALBERICHT \(X, alle Kassen\)[\s\S]*Kasse 1 \(diese Kasse\)[\s\S]*FILIALE GESAMT/);
    expect(de).not.toMatch(/Kassa|Försäljning/);
  });
  it('lists what two lanes did to the same thing while apart: a line returned twice, a basket taken up twice', () => {
    const a = peerTill(tmp.dir, 'c1', MONDAY, true);
    const b = peerTill(tmp.dir, 'c2', MONDAY, true);
    lanes.push(a.lane, b.lane);
    const sold = sellMilkForCash(a.lane);
    // Lane c2 holds lane c1's sale and returns its milk; lane c1, cut off from c2, returns it too.
    expect(new PeerCopies(b.db).ingest('T-c1', a.key, batchOf(a), NOW)).toMatchObject({ accepted: 1 });
    returnFirstLine(b.lane, sold);
    returnFirstLine(a.lane, sold);
    // A basket parked on c1 is taken up on c2 by its QR code and paid there, and on c1 by its barcode.
    run(a.lane, { cmd: 'scan', code: DEMO_ITEMS.butter.codes[0]! });
    const slip = exec(a.lane, { cmd: 'suspendSale' }).result as { barcode: string; qr: string; suspendId: string };
    run(b.lane, { cmd: 'resumeSale', slip: slip.qr });
    run(b.lane, { cmd: 'tenderCash' });
    run(b.lane, { cmd: 'complete' });
    run(a.lane, { cmd: 'resumeSale', slip: slip.barcode });
    run(a.lane, { cmd: 'cancelSale' });
    expect(storeReport(a.lane).conflicts).toEqual([]);
    // The link is back: c1 gets c2's copy, and its store report says what happened.
    expect(new PeerCopies(a.db).ingest('T-c2', b.key, batchOf(b), NOW)).toMatchObject({ rejected: [] });
    expect(storeReport(a.lane).conflicts).toEqual([
      { kind: 'return', ref: `R${sold.replace(/-/g, '')}`, lanes: ['c1', 'c2'], item: DEMO_ITEMS.milk.name, sold: 1, returned: 2 },
      { kind: 'resume', ref: slip.barcode, lanes: ['c1', 'c2'], item: null, sold: null, returned: null },
    ]);
  });
});
