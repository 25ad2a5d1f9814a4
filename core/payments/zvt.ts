/**
 * The payment port on a ZVT terminal. Only the masked PAN, card name, trace and receipt numbers
 * and the terminal's receipt lines come back; no card data. Each step is reported as it happens so
 * the lane can record it durably. An authorization is never sent twice: when its outcome is unknown
 * (the link broke, the core restarted), `recover` asks the terminal for its last transaction (repeat
 * receipt) and matches it against the attempt.
 */
import { ZvtClient, type ZvtOutcome } from '../../drivers/zvt/client';
import { authorization, endOfDay, refund, registration, repeatReceipt, reversal, statusEnquiry, type StatusInfo } from '../../drivers/zvt/messages';
import type { ZvtTransport } from '../../drivers/zvt/transport';
import { crashPoint } from '../faults';
import { wallTime } from '../clock';
import type { PaymentPrompt } from '../../protocol/terminal/payment-prompt';
import type { CardRequest, CardResult, PaymentPort, PaymentProgress, PaymentRef, Recovery } from './port';

export interface ZvtPortOptions {
  password?: string;
  currency: string;
  /** The store's time zone: the terminal's MMDD/HHMMSS are its wall clock there. */
  timeZone: string;
  idleTimeoutMs?: number;
  transactionTimeoutMs?: number;
}

/** Card numbers in the terminal's receipt text (a misconfigured terminal prints them in clear) keep only the last four digits. */
export const maskPans = (lines: string[]) => lines.map((l) => l.replace(/\b(?:\d[ -]?){12,18}\d\b/g, (m) => { const d = m.replace(/\D/g, ''); return '*'.repeat(d.length - 4) + d.slice(-4); }));

const refOf = (i: StatusInfo | null): PaymentRef => ({ amount: i?.amount ?? null, trace: i?.trace ?? null, receiptNo: i?.receiptNo ?? null, date: i?.date ?? null, time: i?.time ?? null, result: i?.result ?? null });

/** ZVT's standard intermediate statuses (04 FF, drivers/zvt/messages.ts INTERMEDIATE_TEXT) as Kassa's prompt codes; any other status is shown as the terminal's text. */
export const ZVT_PROMPTS: Readonly<Record<number, PaymentPrompt>> = {
  0x00: 'confirmAmount',
  0x01: 'watchPinPad',
  0x02: 'watchPinPad',
  0x03: 'notAccepted',
  0x04: 'waitForProvider',
  0x05: 'sendingToProvider',
  0x06: 'notAccepted',
  0x07: 'cardNotPermitted',
  0x08: 'cardUnknown',
  0x09: 'cardExpired',
  0x0a: 'insertCard',
  0x0b: 'removeCard',
  0x0c: 'cardNotReadable',
  0x0d: 'processingError',
  0x0e: 'wait',
  0x0f: 'terminalEndOfDay',
  0x10: 'invalidCard',
  0x11: 'balanceDisplay',
  0x12: 'systemError',
  0x13: 'paymentNotPossible',
  0x14: 'creditInsufficient',
  0x15: 'pinWrong',
  0x16: 'limitInsufficient',
  0x17: 'wait',
  0x18: 'pinTriesExceeded',
  0x19: 'cardDataIncorrect',
  0x1a: 'serviceMode',
  0x1b: 'approvedFillUp',
  0x1c: 'approvedTakeGoods',
  0x1d: 'declined',
  0x26: 'enterPin',
  0x2a: 'presentCard',
};

/**
 * Result codes a terminal answers a repeat receipt (06 20) or status enquiry with when it has no
 * transaction on record: ZVT names no code of its own for it, and terminals differ — 6A (as the
 * turnover file's code) and 0D (as the processing error of an empty journal). All mean the same here.
 */
export const NO_TRANSACTION_RESULTS: ReadonlySet<number> = new Set([0x6a, 0x0d]);

/** The result code of a terminal still busy with something else (84 9C, "please wait"). */
export const TERMINAL_BUSY = 0x9c;

export const terminalRefOf = (i: StatusInfo) => `ZVT-${i.terminalId ?? '0'}-${i.receiptNo ?? 0}-${i.trace ?? 0}`;

/**
 * Seconds between a terminal's MMDD + HHMMSS (its wall clock in the store's time zone, no year)
 * and an ISO time: compared as wall-clock times, in the year that puts them closest (a payment at
 * 23:59:59 on 31 December answered at 00:00:01 is two seconds, not a year).
 */
export function secondsBetween(date: string | null, time: string | null, iso: string, timeZone: string): number | null {
  if (!date || !time || !/^\d{4}$/.test(date) || !/^\d{6}$/.test(time)) return null;
  const w = wallTime(new Date(iso), timeZone);
  const ref = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const at = (year: number) => Date.UTC(year, Number(date.slice(0, 2)) - 1, Number(date.slice(2)), Number(time.slice(0, 2)), Number(time.slice(2, 4)), Number(time.slice(4)));
  const diffs = [w.year - 1, w.year, w.year + 1].map((y) => (at(y) - ref) / 1000);
  return diffs.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a));
}

export class ZvtPaymentTerminal implements PaymentPort {
  readonly client: ZvtClient;
  private readonly password: string;
  private readonly currency: string;
  private readonly timeZone: string;

  constructor(
    readonly transport: ZvtTransport,
    opts: ZvtPortOptions,
  ) {
    this.client = new ZvtClient(transport, {
      ...(opts.idleTimeoutMs ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
      ...(opts.transactionTimeoutMs ? { transactionTimeoutMs: opts.transactionTimeoutMs } : {}),
    });
    this.password = opts.password ?? '000000';
    this.currency = opts.currency;
    this.timeZone = opts.timeZone;
  }

  /**
   * Registration (06 00) with the till's currency; config byte BA: the till prints the terminal's
   * receipts (06 D1/D3 to the till), sends the amount, and the terminal's own display texts come
   * back as intermediate statuses.
   */
  async register(): Promise<{ ok: boolean; text: string; transient: boolean }> {
    const out = await this.client.run(registration(this.password, 0xba, this.currency));
    const ok = out.status === 'completed';
    // Busy ("please wait", still finishing what it did before the link dropped) or no answer: try again, not a refusal.
    return { ok, text: out.text, transient: !ok && (out.status === 'failed' || out.result === TERMINAL_BUSY) };
  }

  private approved(out: ZvtOutcome): Extract<CardResult, { approved: true }> {
    const i = out.info!;
    return {
      approved: true,
      brand: i.cardName ?? 'CARD',
      maskedPan: i.maskedPan ?? '',
      authCode: String(i.trace ?? ''),
      terminalRef: terminalRefOf(i),
      receiptLines: maskPans(out.receiptLines),
      ...(i.additionalText?.toUpperCase().includes('OFFLINE') ? { offline: true } : {}),
    };
  }

  async authorize(req: CardRequest, progress?: (p: PaymentProgress) => void): Promise<CardResult> {
    let info: StatusInfo | null = null;
    const onStep = (step: string, detail: unknown) => {
      if (step === 'sent') progress?.({ step: 'sent' });
      if (step === 'acknowledged') {
        progress?.({ step: 'acknowledged' });
        crashPoint('payment.afterAck');
      }
      if (step === 'intermediate') crashPoint('payment.afterIntermediate');
      if (step === 'statusInfo') {
        info = detail as StatusInfo;
        progress?.({ step: 'statusInfo', ref: refOf(info) });
        crashPoint('payment.afterStatusInfo');
      }
      if (step === 'completion' || step === 'abort') crashPoint('payment.beforeCompletionAck');
    };
    const onText = (text: string, code: number, own: boolean) => {
      const prompt = own ? undefined : ZVT_PROMPTS[code];
      progress?.({ step: 'intermediate', text, ...(prompt ? { prompt } : {}) });
    };
    this.client.on('step', onStep);
    this.client.on('intermediate', onText);
    try {
      progress?.({ step: 'sending' });
      crashPoint('payment.beforeSend');
      const out = await this.client.run(authorization(req.amount, req.currency));
      if (out.status === 'completed' && out.info) return this.approved(out);
      if (out.status === 'completed') return { approved: false, reason: 'the terminal completed without telling the result', uncertain: true };
      if (out.status === 'declined') return { approved: false, reason: out.text };
      return { approved: false, reason: out.text, uncertain: out.uncertain || info !== null };
    } finally {
      this.client.off('step', onStep);
      this.client.off('intermediate', onText);
    }
  }

  async recover(attempt: { attemptId: string; amount: number; startedAt: string; known: PaymentRef | null; usedRefs: string[] }): Promise<Recovery> {
    const out = await this.client.run(repeatReceipt(this.password));
    if (out.status === 'failed') return { outcome: 'unknown', reason: `the terminal could not be asked: ${out.text}`, terminalReceipt: [], unreachable: true };
    const last = out.info;
    const receipt = maskPans(out.receiptLines);
    if (!last) {
      // No transaction on record at all: if the terminal never acknowledged our command, nothing was charged.
      return attempt.known === null && out.result !== null && NO_TRANSACTION_RESULTS.has(out.result) ? { outcome: 'notCharged', reason: 'the terminal has no transaction on record' } : { outcome: 'unknown', reason: `repeat receipt refused: ${out.text}`, terminalReceipt: receipt };
    }
    const k = attempt.known;
    const ref = terminalRefOf(last);
    if (k && (k.receiptNo !== null || k.trace !== null)) {
      // The terminal told us this payment's numbers before the crash: the last one must be it.
      const same = (k.receiptNo === null || k.receiptNo === last.receiptNo) && (k.trace === null || k.trace === last.trace);
      if (!same) return { outcome: 'unknown', reason: 'the terminal has a newer transaction than this payment', terminalReceipt: receipt };
      if (last.result !== 0) return { outcome: 'notCharged', reason: 'the terminal declined this payment' };
      return { outcome: 'approved', result: { ...this.approved({ ...out, info: last }), receiptLines: receipt } };
    }
    // Only the amount and the time to go on: the last transaction is this attempt if it is for this
    // amount, made after the attempt started, and not already a tender of this till.
    const dt = secondsBetween(last.date, last.time, attempt.startedAt, this.timeZone);
    if (dt === null) return { outcome: 'unknown', reason: 'the terminal did not say when its last transaction was', terminalReceipt: receipt };
    if (dt < -5 || attempt.usedRefs.includes(ref)) return { outcome: 'notCharged', reason: 'the terminal’s last transaction is older than this payment' };
    if (last.amount !== attempt.amount) return { outcome: 'unknown', reason: 'the terminal’s last transaction does not match this payment', terminalReceipt: receipt };
    if (last.result !== 0) return { outcome: 'notCharged', reason: 'the terminal declined this payment' };
    return { outcome: 'approved', result: { ...this.approved({ ...out, info: last }), receiptLines: receipt } };
  }

  abort(): Promise<boolean> {
    return this.client.abort();
  }

  async status(): Promise<{ ok: boolean; text: string }> {
    const out = await this.client.run(statusEnquiry(this.password));
    const i = out.info;
    return { ok: out.status !== 'failed', text: out.status === 'failed' ? out.text : `terminal ${i?.terminalId ?? '?'}: ${i?.additionalText ?? (out.status === 'completed' ? 'ready' : out.text)}` };
  }

  async reverse(terminalRef: string): Promise<{ ok: boolean; reason?: string }> {
    const receiptNo = Number(terminalRef.split('-')[2]);
    if (!Number.isInteger(receiptNo)) return { ok: false, reason: 'not a ZVT payment' };
    const out = await this.client.run(reversal(this.password, receiptNo));
    return out.status === 'completed' ? { ok: true } : { ok: false, reason: out.text };
  }

  async refund(req: { refundId: string; amount: number; currency: string }): Promise<{ ok: boolean; terminalRef?: string; reason?: string }> {
    const out = await this.client.run(refund(this.password, req.amount, req.currency));
    return out.status === 'completed' && out.info ? { ok: true, terminalRef: terminalRefOf(out.info) } : { ok: false, reason: out.text };
  }

  async endOfDay(): Promise<{ ok: boolean; total: number | null; text: string; receiptLines: string[] }> {
    const out = await this.client.run(endOfDay(this.password));
    return { ok: out.status === 'completed', total: out.info?.amount ?? null, text: out.info?.additionalText ?? out.text, receiptLines: maskPans(out.receiptLines) };
  }
}
