/**
 * Crash safety as a real process test: the core bundle is started, driven with scripted sales
 * over the WebSocket and SIGKILLed at random moments, again and again. After every restart the
 * open basket must come back exactly; at the end every completed sale must be in the journal and
 * the outbox exactly once, the hash chain must verify and SQLite's integrity check must pass.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandBody, ServerMessage, Snapshot } from '../../protocol/terminal';
import { openDatabase } from '../../core/db';
import { Operators, seedDemoOperators } from '../../core/operators';
import { generateCatalog, prng as mulberry32 } from '../../core/catalog/demo';
import { Journal } from '../../core/journal';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';

const KILLS = Number(process.env.KASSA_CRASH_KILLS ?? 60);

const tmp = tempDir('kassa-crash-');
afterAll(() => tmp.cleanup());

/** The comparable part of a snapshot: lane and open basket. */
function basketOf(s: Snapshot) {
  return { lane: s.lane, checkout: s.checkout };
}

describe('crash safety (SIGKILL at random points)', () => {
  it(`survives ${KILLS} kills with nothing lost or doubled`, async () => {
    const seed = Number(process.env.KASSA_CRASH_SEED ?? Date.now() % 1_000_000);
    const rnd = mulberry32(seed);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const dbPath = join(tmp.dir, 'crash.db');

    // Catalog first (the core sees items and does not regenerate); take piece items to scan.
    const setup = openDatabase(dbPath);
    generateCatalog(setup, {});
    seedDemoOperators(new Operators(setup));
    const codes = setup
      .prepare<[], { code: string }>(
        `SELECT b.code FROM barcode b JOIN item i ON i.id = b.item_id
         WHERE i.unit = 'piece' AND i.blocked = 0 AND b.code NOT GLOB '02*' ORDER BY b.code LIMIT 40`,
      )
      .all()
      .map((r) => r.code.replace(/^0/, ''));
    setup.close();
    expect(codes.length).toBeGreaterThan(10);

    const ackedCompletes = new Set<string>();
    const maybeCompletes = new Set<string>(); // a complete in flight when the core was killed
    let last: Snapshot | null = null; // the state after the last acknowledged command
    let kills = 0;
    let restoredChecks = 0;
    let advancedChecks = 0;
    let commandsAcked = 0;
    const slips: string[] = []; // parked baskets to resume
    const checkRestored = (restored: Snapshot) => {
      // Persist-then-acknowledge: the core is at the last acknowledged version, or one past it
      // when the command in flight had committed but its ack was lost with the process.
      expect([last!.version, last!.version + 1], `seed ${seed}`).toContain(restored.version);
      if (restored.version === last!.version) {
        expect(basketOf(restored), `seed ${seed}: restored basket`).toEqual(basketOf(last!));
        restoredChecks++;
      } else advancedChecks++;
    };

    while (kills < KILLS) {
      const core: CoreProcess = await startCoreProcess(dbPath);
      const client = await ApiClient.connect(core.port, core.token);
      const restored = client.snapshot!;

      if (last) checkRestored(restored);
      last = restored;

      // Kill at a random moment while commands stream in as fast as acks come back.
      // Up to 200 ms: long enough that a sign-in (scrypt, ~100 ms on a slow core) can get through.
      const killAfterMs = 1 + rnd() * 200;
      let killed = false;
      const killer = setTimeout(() => {
        killed = true;
        core.child.kill('SIGKILL');
      }, killAfterMs);

      try {
        while (!killed) {
          const s: Snapshot = client.snapshot!;
          const cmd = nextCommand(s, rnd, pick, codes, slips);
          const saleId = s.checkout?.saleId;
          if (cmd.cmd === 'complete' && saleId) maybeCompletes.add(saleId);
          const reply: ServerMessage | null = await Promise.race([
            client.send(cmd),
            core.exited.then(() => null),
          ]);
          if (!reply) break;
          if (reply.type === 'error') throw new Error(`seed ${seed}: ${JSON.stringify(cmd)} refused: ${reply.code} ${reply.message} in state ${JSON.stringify({ lane: s.lane, co: s.checkout && { state: s.checkout.state, tenders: s.checkout.tenders.length, lines: s.checkout.lines.length, age: s.checkout.ageCheckPending } })}`);
          commandsAcked++;
          last = client.snapshot!;
          expect(last.version).toBe((reply as Extract<ServerMessage, { type: 'ack' }>).version);
          if (cmd.cmd === 'suspendSale' && reply.type === 'ack' && reply.result && 'barcode' in reply.result) slips.push(reply.result.barcode);
          if (cmd.cmd === 'complete' && saleId) {
            ackedCompletes.add(saleId);
            maybeCompletes.delete(saleId);
          }
        }
      } finally {
        clearTimeout(killer);
      }
      await core.exited;
      client.close();
      kills++;
    }

    // Final restart: the last acknowledged state must still be there.
    const core = await startCoreProcess(dbPath);
    const client = await ApiClient.connect(core.port, core.token);
    checkRestored(client.snapshot!);
    client.close();
    await stopCoreProcess(core);

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(new Journal(db).verify()).toMatchObject({ ok: true });

    const journalSales = db.prepare<[], { ref: string; n: number }>("SELECT ref, count(*) AS n FROM journal WHERE kind = 'sale.completed' GROUP BY ref").all();
    const outbox = db.prepare<[], { sequence: number; sale_id: string }>('SELECT sequence, sale_id FROM outbox ORDER BY sequence').all();
    const sales = db.prepare<[], { sale_id: string; sequence: number }>('SELECT sale_id, sequence FROM sale ORDER BY sequence').all();
    db.close();

    for (const j of journalSales) expect(j.n, `sale ${j.ref} journalled ${j.n} times`).toBe(1);
    // Gap-free per-terminal sequence in the outbox, one row per sale.
    expect(outbox.map((o) => o.sequence)).toEqual(outbox.map((_, i) => i + 1));
    expect(new Set(outbox.map((o) => o.sale_id)).size).toBe(outbox.length);
    expect(sales.map((s) => s.sale_id)).toEqual(outbox.map((o) => o.sale_id));
    expect(new Set(journalSales.map((j) => j.ref))).toEqual(new Set(outbox.map((o) => o.sale_id)));
    // Every acknowledged completion is there; anything else there was in flight at a kill.
    const stored = new Set(outbox.map((o) => o.sale_id));
    for (const id of ackedCompletes) expect(stored.has(id), `acknowledged sale ${id} missing`).toBe(true);
    for (const id of stored) expect(ackedCompletes.has(id) || maybeCompletes.has(id), `unexpected sale ${id}`).toBe(true);

    expect(kills).toBeGreaterThanOrEqual(50);
    expect(ackedCompletes.size, `acked ${commandsAcked} kills ${kills}`).toBeGreaterThan(5);
    expect(restoredChecks + advancedChecks).toBe(kills);
    console.log(
      `crash test seed ${seed}: ${kills} kills, ${commandsAcked} commands acknowledged, ${ackedCompletes.size} sales acknowledged, ` +
        `${stored.size} stored, ${restoredChecks} exact restores, ${advancedChecks} in-flight commits`,
    );
  }, 600_000);
});

type Cmd = CommandBody;

/** A plausible next cashier action for the state the lane is in. */
function nextCommand(s: Snapshot, rnd: () => number, pick: <T>(xs: readonly T[]) => T, codes: string[], slips: string[]): Cmd {
  if (s.lane.state === 'closed') return { cmd: 'openLane' };
  if (s.lane.state === 'signedOut') return { cmd: 'signIn', operator: '1', pin: '1111' };
  const co = s.checkout;
  if (!s.lane.till) return { cmd: 'openTill', float: [{ denomination: 10_000, count: 5 }] };
  if (!co && slips.length && rnd() < 0.5) return { cmd: 'resumeSale', slip: slips.shift()! };
  if (!co) return { cmd: 'scan', code: pick(codes) };
  if (co.state === 'paid') return { cmd: 'complete' };
  if (co.ageCheckPending !== null) return rnd() < 0.2 ? { cmd: 'voidLast' } : { cmd: 'confirmAge' };
  const active = co.lines.filter((l) => !l.voided && l.depositFor === null);
  const r = rnd();
  if (co.state === 'subtotal') {
    if (co.tenders.length === 0 && r < 0.15) return { cmd: 'backToSale' };
    // sometimes a partial tender, then the rest
    const remaining = co.totals.remaining;
    return r < 0.3 && remaining > 200 ? { cmd: 'tenderCash', amount: Math.floor(remaining / 2) } : { cmd: 'tenderCash', amount: remaining + Math.floor(rnd() * 5000) };
  }
  if (active.length === 0) return { cmd: 'scan', code: pick(codes) };
  if (r < 0.5 || active.length < 2) return { cmd: 'scan', code: pick(codes) };
  const editable = active.filter((l) => l.unit === 'piece' && !l.priceFromCode);
  if (r < 0.6 && editable.length) return { cmd: 'setQuantity', lineId: pick(editable).lineId, quantity: 1 + Math.floor(rnd() * 5) };
  if (r < 0.68) return { cmd: 'voidLine', lineId: pick(active).lineId };
  // (the same discount again on a line that has it changes nothing, and is refused as such)
  const undiscounted = active.filter((l) => !l.manualDiscount);
  if (r < 0.69 && undiscounted.length) return { cmd: 'discount', lineId: pick(undiscounted).lineId, kind: 'percent', value: 500, reason: 'crash test', approval: { operator: '7', pin: '7777' } };
  if (r < 0.7) return { cmd: 'suspendSale' };
  if (r < 0.71) return co.totals.total > 50_000 ? { cmd: 'cancelSale', approval: { operator: '7', pin: '7777' } } : { cmd: 'cancelSale' };
  if (r < 0.85) return { cmd: 'subtotal' };
  return { cmd: 'tenderCash' };
}
