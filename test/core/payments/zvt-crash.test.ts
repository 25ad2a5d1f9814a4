/**
 * Crash safety of card payments over ZVT. The core is killed with SIGKILL at every step of the
 * payment (before sending, after the terminal's ACK, after an intermediate status, after the status
 * information, before acknowledging the completion) while the terminal simulator — a separate party
 * with its own durable record — approves or declines. After a restart the sale's card tender must
 * match what the terminal charged: never twice, never missing. Then the other way round: the
 * terminal dies or hangs at each step while the core lives.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { ZvtSimulator, type SimStep } from '../../../drivers/zvt/simulator';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../../helpers/core-process';
import { demoDb } from '../../helpers/demo-lane';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function lane(crashAt?: string) {
  const tmp = tempDir('kassa-zvt-crash-');
  const dbPath = join(tmp.dir, 'lane.db');
  demoDb(tmp.dir).close();
  const sim = new ZvtSimulator({ file: join(tmp.dir, 'terminal.json'), thinkMs: 30, ackWaitMs: 200 });
  const port = await sim.listen(0);
  cleanups.push(() => tmp.cleanup(), () => sim.close());
  const args = ['--zvt', `tcp:127.0.0.1:${port}`];
  const start = async (env: Record<string, string> = {}) => {
    const core = await startCoreProcess(dbPath, args, 20_000, env);
    cleanups.push(() => stopCoreProcess(core, 'SIGKILL'));
    const client = await ApiClient.connect(core.port, core.token);
    cleanups.push(() => client.close());
    return { core, client };
  };
  const first = await start(crashAt ? { KASSA_CRASH_AT: crashAt } : {});
  const setup: CommandBody[] = [
    { cmd: 'signIn', operator: '1', pin: '1111' },
    { cmd: 'openTill', float: [] },
    { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' },
    { cmd: 'scan', code: DEMO_ITEMS.butter.codes[0]!, source: 'scanner' },
  ];
  for (const cmd of setup)
    expect((await first.client.send(cmd)).type).toBe('ack');
  return { sim, start, first };
}

const cardTenders = (s: Snapshot | null) => s?.checkout?.tenders.filter((t) => t.kind === 'card') ?? [];
const charged = (sim: ZvtSimulator) => sim.transactions.filter((t) => t.kind === 'authorization' && t.result === 0 && !t.reversed);
const settled = (s: Snapshot | null) => !!s && (s.checkout?.state !== 'cardPending' || s.payment.decision !== null);

describe('SIGKILL of the core at every step of a card payment', () => {
  const points = ['payment.beforeSend', 'payment.afterAck', 'payment.afterIntermediate', 'payment.afterStatusInfo', 'payment.beforeCompletionAck'];
  for (const point of points)
    for (const approve of [true, false])
      it(`${point}, terminal ${approve ? 'approves' : 'declines'}: the tender matches what the terminal charged`, async () => {
        const { sim, start, first } = await lane(point);
        const amount = approve ? 2_000 : 1_666; // amounts ending in 666 are declined
        void first.client.send({ cmd: 'tenderCard', amount });
        const died = await Promise.race([first.core.exited, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
        expect(died?.signal, `the core should have crashed at ${point}`).toBe('SIGKILL');
        await until('terminal done', () => !sim.busy, 15_000);
        const { client } = await start();
        await until('payment settled after restart', () => settled(client.snapshot), 20_000);
        const snap = client.snapshot!;
        expect(snap.payment.decision, JSON.stringify(snap.payment.decision)).toBeNull();
        const tenders = cardTenders(snap);
        expect(tenders.map((t) => t.amount)).toEqual(charged(sim).map((t) => t.amount)); // never twice, never missing
        expect(charged(sim)).toHaveLength(approve && point !== 'payment.beforeSend' ? 1 : 0);
        // the authorization was never sent a second time
        expect(sim.commands.filter((c) => c === '0601').length).toBeLessThanOrEqual(1);
      });
});

describe('the terminal dies or hangs at every step while the core lives', () => {
  const steps: SimStep[] = ['ack', 'intermediate', 'statusInfo', 'print', 'completion'];
  for (const step of steps)
    for (const mode of ['die', 'hang'] as const)
      it(`terminal ${mode}s at ${step}: the tender matches what it charged`, async () => {
        const { sim, first } = await lane();
        sim.failAt = { step, mode };
        expect((await first.client.send({ cmd: 'tenderCard', amount: 2_000 })).type).toBe('ack');
        expect(first.client.snapshot?.checkout?.state).toBe('cardPending');
        if (mode === 'hang') {
          await until('terminal hung', () => sim.steps.includes(step), 10_000);
          await new Promise((r) => setTimeout(r, 300));
          sim.release(); // it comes back and finishes what it started
        }
        await until('payment settled', () => settled(first.client.snapshot), 60_000);
        const snap = first.client.snapshot!;
        await until('terminal done', () => !sim.busy, 15_000);
        if (snap.payment.decision) {
          // Only acceptable when the terminal truly cannot tell; it can here.
          throw new Error(`needed a supervisor: ${snap.payment.decision.reason}`);
        }
        expect(cardTenders(snap).map((t) => t.amount)).toEqual(charged(sim).map((t) => t.amount));
        expect(sim.commands.filter((c) => c === '0601').length, JSON.stringify({ c: sim.commands, s: sim.steps, t: sim.transactions.length, co: snap.checkout?.state, tenders: snap.checkout?.tenders })).toBe(1);
      });
});

export type { CoreProcess };
