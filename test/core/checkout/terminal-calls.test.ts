/**
 * The checkout machine's card calls, swapped with `.provide()`: entering cardPending or reversing
 * invokes them, leaving the state stops them, and a cardPending restored from its persisted
 * snapshot starts its call as restored — so the payment asks the terminal (recover), never
 * authorises again.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { Line } from '../../../protocol/terminal';
import { checkoutMachine } from '../../../core/checkout/machines';
import { terminalCall, untilStopped, type CardPaymentInput, type CardReversalInput } from '../../../core/checkout/terminal-calls';
import { PROFILES } from '../../../core/profile';

const LINE: Line = {
  lineId: 'L1', itemId: 'soap', name: 'Soap', code: '', unit: 'piece', quantity: 1, weightGrams: null, unitPrice: 2990,
  grossTotal: 2990, discounts: [], total: 2990, departmentId: 'd', vatRate: 2500,
  manualDiscount: null, priceOverride: null, ageLimit: null, depositFor: null, priceFromCode: false, voided: false,
};
const INPUT = { saleId: 's1', startedAt: '2026-11-25T10:00:00.000Z', profile: PROFILES.SE, training: false };

/** A terminal that records what it was asked, by whom, and when a call was stopped. */
function terminal() {
  const log: string[] = [];
  const machine = checkoutMachine.provide({
    actors: {
      cardPayment: terminalCall<CardPaymentInput>(async (input, restored, signal) => {
        log.push(`${restored ? 'recover' : 'authorize'} ${input.attemptId} ${input.amount}`);
        await untilStopped(signal);
        log.push(`stopped ${input.attemptId}`);
      }),
      cardReversal: terminalCall<CardReversalInput>(async (input, restored, signal) => {
        log.push(`${restored ? 'restored reversal' : 'reverse'} ${input.tenderId} ${input.terminalRef} ${input.amount}`);
        await untilStopped(signal);
      }),
    },
  });
  return { log, machine };
}

const flush = () => new Promise((r) => setImmediate(r));
const cardTender = { tenderId: 'a1', kind: 'card' as const, amount: 2990, card: { brand: 'VISA', maskedPan: '****', authCode: '1', terminalRef: 'T-1', attemptId: 'a1' }, voucherCode: null };

describe('the checkout machine’s card calls', () => {
  it('cardPending invokes the payment; the answer leaves the state and stops it', async () => {
    const { log, machine } = terminal();
    const a = createActor(machine, { input: INPUT }).start();
    a.send({ type: 'ADD_LINES', lines: [LINE] });
    a.send({ type: 'CARD_STARTED', attemptId: 'a1', amount: 2990, startedAt: INPUT.startedAt });
    expect(log).toEqual(['authorize a1 2990']);
    a.send({ type: 'CARD_FAILED', attemptId: 'a1' });
    await flush();
    expect(a.getSnapshot().value).toBe('subtotal');
    expect(log).toEqual(['authorize a1 2990', 'stopped a1']);
  });

  it('a cardPending restored from its persisted snapshot asks the terminal, and never authorises again', async () => {
    const first = terminal();
    const a = createActor(first.machine, { input: INPUT }).start();
    a.send({ type: 'ADD_LINES', lines: [LINE] });
    a.send({ type: 'CARD_STARTED', attemptId: 'a1', amount: 2990, startedAt: INPUT.startedAt });
    const persisted = JSON.parse(JSON.stringify(a.getPersistedSnapshot())) as unknown;
    a.stop();

    const second = terminal();
    const b = createActor(second.machine, { input: INPUT, snapshot: persisted as never }).start();
    await flush();
    expect(b.getSnapshot().value).toBe('cardPending');
    expect(second.log).toEqual(['recover a1 2990']);
    // Restored once more (a second restart before the terminal answered): still asking, never authorising.
    const third = terminal();
    createActor(third.machine, { input: INPUT, snapshot: JSON.parse(JSON.stringify(b.getPersistedSnapshot())) as never }).start();
    await flush();
    expect(third.log).toEqual(['recover a1 2990']);
  });

  it('reversing invokes the reversal with the tender’s terminal reference; a restored one is not sent again', async () => {
    const { log, machine } = terminal();
    const a = createActor(machine, { input: INPUT }).start();
    a.send({ type: 'ADD_LINES', lines: [LINE] });
    a.send({ type: 'CARD_STARTED', attemptId: 'a1', amount: 2990, startedAt: INPUT.startedAt });
    a.send({ type: 'CARD_APPROVED', tender: cardTender });
    a.send({ type: 'REVERSAL_STARTED', tenderId: 'a1' });
    expect(log.at(-1)).toBe('reverse a1 T-1 2990');
    const again = terminal();
    createActor(again.machine, { input: INPUT, snapshot: JSON.parse(JSON.stringify(a.getPersistedSnapshot())) as never }).start();
    expect(again.log).toEqual(['restored reversal a1 T-1 2990']);
  });
});
