/**
 * A card decision survives SIGKILL of the core (issue 18.9). The real core bundle pays by card
 * over ZVT (the simulator on a real TCP port); the terminal charges the card and loses power right
 * after; the core asks it until it gives up and opens a decision for a supervisor. The core is
 * killed with SIGKILL and started again on the same SQLite file while the terminal is still off:
 * the lane is back with the same decision open at once (attempt, reason, receipt, not answered,
 * not reachable since the same instant), "not charged" is still held for a second supervisor, and
 * when the terminal is back the lane asks it and its answer closes the decision by itself.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { Operators } from '../../../core/operators';
import { ZvtSimulator } from '../../../drivers/zvt/simulator';
import type { CommandBody } from '../../../protocol/terminal';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../../helpers/core-process';
import { demoDb } from '../../helpers/demo-lane';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SARA = { operator: '7', pin: '7777' };
const charged = (sim: ZvtSimulator) => sim.transactions.filter((t) => t.kind === 'authorization' && t.result === 0 && !t.reversed);

describe('SIGKILL of the core while a card decision is open', () => {
  it('the restarted lane has the same decision open, holds "not charged", asks the terminal again and closes it by itself', async () => {
    const tmp = tempDir('kassa-card-decision-crash-');
    const dbPath = join(tmp.dir, 'lane.db');
    const db = demoDb(tmp.dir);
    new Operators(db).add('8', 'Per (supervisor)', 'supervisor', '8888');
    db.close();
    const sim = new ZvtSimulator({ thinkMs: 10, ackWaitMs: 300 });
    const port = await sim.listen(0);
    cleanups.push(() => tmp.cleanup(), () => sim.close());
    const devices = join(tmp.dir, 'devices.json');
    writeFileSync(devices, JSON.stringify({ devices: [{ kind: 'zvtTerminal', id: 'payment-terminal', transport: { type: 'tcp', host: '127.0.0.1', port } }] }));
    const start = async () => {
      const core = await startCoreProcess(dbPath, ['--devices', devices]);
      cleanups.push(() => stopCoreProcess(core, 'SIGKILL'));
      const client = await ApiClient.connect(core.port, core.token);
      cleanups.push(() => client.close());
      return { core, client };
    };

    const first = await start();
    const setup: CommandBody[] = [
      { cmd: 'signIn', operator: '1', pin: '1111' },
      { cmd: 'openTill', float: [] },
      { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' },
    ];
    for (const cmd of setup) expect((await first.client.send(cmd)).type).toBe('ack');
    await until('the terminal registered', () => sim.commands.includes('0600'), 10_000);
    sim.failAt = { step: 'print', mode: 'off' }; // it charges the card, then loses power
    expect((await first.client.send({ cmd: 'tenderCard' })).type).toBe('ack');
    // The core asks some 15 s (its real clock) before a supervisor is asked.
    await until('a decision for a supervisor', () => first.client.snapshot?.payment.decision != null, 40_000);
    const decision = first.client.snapshot!.payment.decision!;
    const attemptId = first.client.snapshot!.checkout!.cardAttempt!.attemptId;
    expect(decision.terminalAnswered).toBe(false);
    expect(decision.unreachableSince).not.toBeNull();
    expect(charged(sim)).toHaveLength(1); // the terminal had charged the card

    first.core.child.kill('SIGKILL');
    expect((await first.core.exited).signal).toBe('SIGKILL');

    const again = await start();
    // The first snapshot after the restart: the same decision, before any question to the terminal.
    const snap = again.client.snapshot!;
    expect(snap.checkout?.state).toBe('cardPending');
    expect(snap.checkout?.cardAttempt?.attemptId).toBe(attemptId);
    expect(snap.payment.decision).toEqual(decision);
    // "Not charged" is still held for a second supervisor.
    expect(await again.client.send({ cmd: 'resolvePayment', outcome: 'notCharged', approval: SARA })).toMatchObject({ type: 'error', code: 'CONFIRMATION_REQUIRED' });
    // Still off after the restarted lane asked: still open, not reachable since the same instant.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(again.client.snapshot!.payment.decision).toMatchObject({ terminalAnswered: false, unreachableSince: decision.unreachableSince, terminalReceipt: decision.terminalReceipt });

    // The terminal is back: the lane asks it (its device is online again) and the answer closes the decision.
    await sim.listen(port);
    await until('the decision closed by itself', () => again.client.snapshot?.checkout?.state === 'paid', 45_000);
    const after = again.client.snapshot!;
    expect(after.payment.decision).toBeNull();
    expect(after.checkout!.tenders.filter((t) => t.kind === 'card').map((t) => t.amount)).toEqual(charged(sim).map((t) => t.amount));
    expect(sim.commands.filter((c) => c === '0601')).toHaveLength(1); // never authorised twice
    expect((await again.client.send({ cmd: 'complete' })).type).toBe('ack');
  }, 120_000);
});
