/**
 * A basket parked on one lane taken up on another by its slip number (issue 19.4), HQ or not: the
 * other lane reads it from its verified copy of the parking lane's journal (core/peers/copies.ts),
 * fed here the tail lane 1's peer feed sends (core/peers/feed.ts); a basket taken up anywhere a
 * lane can see is refused with the lane that took it; an unknown slip keeps the old answer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../core/db';
import { CoreError } from '../../../core/errors';
import { loadOrCreateTerminalSigner } from '../../../core/journal/signer';
import { Catalog } from '../../../core/catalog/repo';
import { Journal } from '../../../core/journal';
import { LaneService } from '../../../core/lane/host';
import { PROFILES } from '../../../core/profile';
import { PeerCopies } from '../../../core/peers/copies';
import { PeerFeed } from '../../../core/peers/feed';
import { salesRequest } from '../../../core/sync/encode';
import { SalesBatchSchema } from '../../../protocol/hq';
import type { Slip, SuspendedList } from '../../../protocol/terminal';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { MONDAY, testClock } from '../../helpers/clock';
import { demoDb } from '../../helpers/demo-lane';
import { exec, refuse, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { rawEd25519 } from '../../../protocol/journal-chain';

const tmp = tempDir('kassa-suspend-store-');
afterAll(() => tmp.cleanup());
const NOW = new Date(MONDAY);
const MILK = DEMO_ITEMS.milk.codes[0]!;
const JULMUST = DEMO_ITEMS.julmust.codes[0]!;

interface Till {
  id: string;
  db: Db;
  lane: LaneService;
  key: string;
  copies: PeerCopies;
}

/** A lane on its own file, its journal signed, signed in with the till open, keeping copies of its peers' journals. */
function till(id: string, laneId: string): Till {
  const db = demoDb(tmp.dir, `${id}.db`);
  const copies = new PeerCopies(db);
  const now = testClock();
  const lane = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Testbutiken', laneId }, { now, journal: new Journal(db, { signer: loadOrCreateTerminalSigner(db, now) }), storeSales: copies });
  run(lane, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(lane, { cmd: 'openTill', float: [] });
  return { id, db, lane, key: rawEd25519(loadOrCreateTerminalSigner(db).publicKeyPem), copies };
}

/** What `from`'s peer feed sends `to` once its sales are sent: its journal after what `to` holds. */
function sendTail(from: Till, to: Till): void {
  const feed = new PeerFeed(from.db, to.id);
  const tail = feed.tail(500, 3_000_000);
  if (!tail) return;
  const batch = SalesBatchSchema.parse(JSON.parse(salesRequest({ clock: NOW.toISOString(), backlog: { count: 0, oldestAt: null }, links: tail.links }, []).toString('utf8')));
  expect(to.copies.ingest(from.id, from.key, batch, NOW).rejected).toEqual([]);
  feed.tailSent(tail.through);
}

function refusal(s: LaneService, slip: string): { code: string; message: string } {
  try {
    exec(s, { cmd: 'resumeSale', slip });
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    return { code: (e as CoreError).code, message: (e as CoreError).message };
  }
  throw new Error('not refused');
}

describe('a parked basket on another lane, by its slip number', () => {
  it('is taken up from the copy of the parking lane’s journal, once anywhere', () => {
    const one = till('T1', '1');
    const two = till('T2', '2');
    run(one.lane, { cmd: 'scan', code: MILK, quantity: 3 });
    run(one.lane, { cmd: 'scan', code: JULMUST });
    const before = one.lane.snapshot().checkout!.lines.map((l) => [l.name, l.quantity]);
    const slip = exec(one.lane, { cmd: 'suspendSale' }).result as Slip;

    // Not yet held on lane 2: the old answer.
    expect(refusal(two.lane, slip.barcode)).toEqual({ code: 'SLIP_NOT_FOUND', message: 'That slip was not parked on this lane; scan its QR code instead.' });
    sendTail(one, two);
    const co = run(two.lane, { cmd: 'resumeSale', slip: slip.barcode }).checkout!;
    expect(co.lines.map((l) => [l.name, l.quantity])).toEqual(before);
    const resumed = two.db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'sale.resumed'").all();
    expect(resumed.map((r) => JSON.parse(r.body))).toEqual([expect.objectContaining({ suspendId: slip.suspendId, fromLane: '1', items: 2 })]);
    run(two.lane, { cmd: 'cancelSale' });

    // Taken up once: again on lane 2, by number or QR, refused with the lane that took it.
    for (const s of [slip.barcode, slip.qr]) expect(refusal(two.lane, s)).toEqual({ code: 'SLIP_ALREADY_RESUMED', message: 'That basket was already taken up on lane 2.' });
    // On lane 1 too, once it holds lane 2's journal: refused, and no longer listed.
    expect((exec(one.lane, { cmd: 'suspendedList' }).result as SuspendedList).suspended).toHaveLength(1);
    sendTail(two, one);
    expect(refusal(one.lane, slip.barcode).code).toBe('SLIP_ALREADY_RESUMED');
    expect((exec(one.lane, { cmd: 'suspendedList' }).result as SuspendedList).suspended).toEqual([]);

    // A slip number no lane parked: the old answer.
    expect(refuse(two.lane, { cmd: 'resumeSale', slip: `S${'0'.repeat(32)}` })).toBe('SLIP_NOT_FOUND');
  });
});
