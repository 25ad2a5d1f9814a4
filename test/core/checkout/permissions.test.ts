/** Every supervisor-gated action: refused without approval, refused with a cashier's, accepted with a supervisor's, and the approval journalled. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandBody } from '../../../protocol/terminal';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService, type LaneConfig } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { refuse, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { testClock } from '../../helpers/clock';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'perm.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90
const SNUS = DEMO_ITEMS.snus.codes[0]!; // 18+
type Case = { action: string; setup: (s: LaneService) => void; cmd: CommandBody; config?: Partial<LaneConfig> };
const cases: Case[] = [
  { action: 'cancelSale', setup: (s) => run(s, { cmd: 'scan', code: SOAP, quantity: 20 }), cmd: { cmd: 'cancelSale' } },
  { action: 'discount', setup: (s) => run(s, { cmd: 'scan', code: SOAP }), cmd: { cmd: 'discount', lineId: 'L1', kind: 'percent', value: 3000, reason: 'Damaged' } },
  { action: 'discount', setup: (s) => run(s, { cmd: 'scan', code: SOAP, quantity: 5 }), cmd: { cmd: 'discount', kind: 'amount', value: 5000, reason: 'Goodwill' } },
  { action: 'overridePrice', setup: (s) => run(s, { cmd: 'scan', code: SOAP }), cmd: { cmd: 'overridePrice', lineId: 'L1', unitPrice: 1000, reason: 'Shelf label' } },
  { action: 'pickup', setup: () => {}, cmd: { cmd: 'cashMovement', kind: 'pickup', amount: 10_000, reason: 'Safe' } },
  { action: 'paidOut', setup: () => {}, cmd: { cmd: 'cashMovement', kind: 'paidOut', amount: 1_000, reason: 'Milk for the staff room' } },
  { action: 'noSale', setup: () => {}, cmd: { cmd: 'noSale', reason: 'Change' } },
  { action: 'returnWithoutReceipt', setup: () => {}, cmd: { cmd: 'returnWithoutReceipt', items: [{ code: SOAP, quantity: 1 }], reason: 'No receipt' } },
  { action: 'closeTill', setup: () => {}, cmd: { cmd: 'closeTill', counted: [] } },
  { action: 'ageCheck', setup: (s) => run(s, { cmd: 'scan', code: SNUS }), cmd: { cmd: 'confirmAge' }, config: { mode: 'self' } },
];

describe('supervisor-gated actions', () => {
  for (const c of cases) {
    it(`${c.action} (${c.cmd.cmd}): refused alone, refused with a cashier, accepted with a supervisor, journalled`, () => {
      const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: '1' }, { now: testClock(), ...(c.config ? { config: c.config } : {}) });
      run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
      run(s, { cmd: 'openTill', float: [{ denomination: 10_000, count: 5 }] });
      c.setup(s);
      expect(refuse(s, c.cmd)).toBe('APPROVAL_REQUIRED');
      expect(refuse(s, { ...c.cmd, approval: { operator: '2', pin: '2222' } } as CommandBody)).toBe('APPROVAL_DENIED');
      expect(refuse(s, { ...c.cmd, approval: { operator: '7', pin: '0000' } } as CommandBody)).toBe('BAD_CREDENTIALS');
      const before = s.snapshot().version;
      run(s, { ...c.cmd, approval: { operator: '7', pin: '7777' } } as CommandBody);
      expect(s.snapshot().version).toBe(before + 1);
      const entries = (db.prepare("SELECT body FROM journal WHERE kind = 'approval'").all() as Array<{ body: string }>).map((r) => JSON.parse(r.body));
      expect(entries).toEqual([expect.objectContaining({ action: c.action, approvedBy: '7', operator: '1', self: false })]);
    });
  }

  it('a supervisor badge scan approves like a PIN; a revoked badge or a cashier badge does not; the secret is never stored', () => {
    const ops = new Operators(db);
    const badge = ops.issueBadge('7');
    const cashierBadge = ops.issueBadge('2');
    const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: '1' }, { now: testClock() });
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    run(s, { cmd: 'openTill', float: [] });
    expect(refuse(s, { cmd: 'noSale', reason: 'x', approval: { badge: cashierBadge } })).toBe('APPROVAL_DENIED');
    expect(refuse(s, { cmd: 'noSale', reason: 'x', approval: { badge: 'B' + 'x'.repeat(32) } })).toBe('BAD_CREDENTIALS');
    run(s, { cmd: 'noSale', reason: 'x', approval: { badge } });
    expect(db.prepare("SELECT count(*) AS n FROM command_log WHERE command LIKE ?").get(`%${badge}%`)).toEqual({ n: 0 });
    db.prepare('UPDATE operator_badge SET revoked = 1').run();
    expect(refuse(s, { cmd: 'noSale', reason: 'x', approval: { badge } })).toBe('BAD_CREDENTIALS');
  });
});
