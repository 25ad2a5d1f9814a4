/**
 * The payment port: the checkout's card tender talks only to this interface. Card data never
 * reaches the POS — only brand, masked PAN, authorisation code and the terminal's reference.
 * The ZVT driver (payments issue) implements it for real terminals; the simulator below is the
 * demo's and the tests' terminal.
 */
import type { PaymentPrompt } from '../../protocol/terminal/payment-prompt';

export interface CardRequest {
  /** Stable per attempt: the terminal must never charge the same attempt twice. */
  attemptId: string;
  amount: number;
  currency: string;
}

export type CardResult =
  | { approved: true; brand: string; maskedPan: string; authCode: string; terminalRef: string; receiptLines: string[]; offline?: boolean }
  /** `uncertain`: the terminal may have charged the card (the link broke mid-payment): find out, never retry blindly. */
  | { approved: false; reason: string; uncertain?: boolean };

/** What the terminal identified the transaction by, as soon as it said so. No card data. */
export interface PaymentRef {
  amount?: number | null;
  trace?: number | null;
  receiptNo?: number | null;
  date?: string | null;
  time?: string | null;
  result?: number | null;
}

/** One step of a payment as it happens, for the journal and the cashier's screen. */
export interface PaymentProgress {
  step: 'sending' | 'sent' | 'acknowledged' | 'intermediate' | 'statusInfo' | 'print' | 'completion' | 'abort';
  text?: string;
  /** What `text` says as Kassa's prompt code, when the terminal sent no display text of its own (the UI words it). */
  prompt?: PaymentPrompt;
  ref?: PaymentRef;
}

/** After a crash or a broken link: what the terminal says happened to an attempt. */
export type Recovery =
  | { outcome: 'approved'; result: Extract<CardResult, { approved: true }> }
  | { outcome: 'notCharged'; reason: string }
  /** `unreachable`: the terminal could not be asked at all (it may be restarting): asking again may answer. */
  | { outcome: 'unknown'; reason: string; terminalReceipt: string[]; unreachable?: true };

export interface PaymentPort {
  authorize(req: CardRequest, progress?: (p: PaymentProgress) => void): Promise<CardResult>;
  /**
   * Asks the terminal about an attempt whose outcome the till does not know (status enquiry /
   * repeat receipt), matching amount, time, trace and receipt number against what was recorded.
   */
  recover?(attempt: { attemptId: string; amount: number; startedAt: string; known: PaymentRef | null; usedRefs: string[] }): Promise<Recovery>;
  endOfDay?(): Promise<{ ok: boolean; total: number | null; text: string; receiptLines: string[] }>;
  /** Asks the terminal to abort the payment under way (the customer gave up); its result says how it ended. */
  abort?(): Promise<boolean>;
  /** The terminal's state (status enquiry), in words. */
  status?(): Promise<{ ok: boolean; text: string }>;
  /** Reverses an approved payment (tender void before the sale completes). */
  reverse(terminalRef: string, amount: number): Promise<{ ok: boolean; reason?: string }>;
  /** Refunds (part of) an earlier payment to the same card (a return). */
  refund(req: { refundId: string; amount: number; currency: string; originalRef: string }): Promise<{ ok: boolean; terminalRef?: string; reason?: string }>;
}

export interface SimulatedTerminalOptions {
  /** Time the "customer" takes at the terminal. */
  delayMs?: number;
  /** Amounts (minor units) whose last three digits equal this are declined, like a test card. */
  declineSuffix?: number;
}

/** A payment terminal simulator: approves after a delay; amounts ending in 666 are declined. */
export class SimulatedPaymentTerminal implements PaymentPort {
  private seq = 0;
  private readonly charged = new Map<string, CardResult>();
  constructor(private readonly opts: SimulatedTerminalOptions = {}) {}

  async authorize(req: CardRequest): Promise<CardResult> {
    await new Promise((r) => setTimeout(r, this.opts.delayMs ?? 200));
    const earlier = this.charged.get(req.attemptId);
    if (earlier) return earlier; // idempotent per attempt
    const result: CardResult =
      req.amount % 1000 === (this.opts.declineSuffix ?? 666)
        ? { approved: false, reason: 'Declined by issuer (simulated)' }
        : {
            approved: true,
            brand: 'VISA',
            maskedPan: '************4242',
            authCode: String(100000 + ((req.amount * 7 + ++this.seq) % 900000)),
            terminalRef: `SIM-${String(this.seq).padStart(6, '0')}`,
            receiptLines: ['SIMULATED TERMINAL', 'VISA ************4242', 'APPROVED'],
          };
    this.charged.set(req.attemptId, result);
    return result;
  }

  async refund(req: { refundId: string; amount: number; originalRef: string }): Promise<{ ok: boolean; terminalRef?: string }> {
    await new Promise((r) => setTimeout(r, this.opts.delayMs ?? 200));
    return req.originalRef.startsWith('SIM-') ? { ok: true, terminalRef: `SIM-R${String(++this.seq).padStart(5, '0')}` } : { ok: false };
  }

  async reverse(terminalRef: string): Promise<{ ok: boolean }> {
    await new Promise((r) => setTimeout(r, Math.min(this.opts.delayMs ?? 200, 50)));
    return { ok: terminalRef.startsWith('SIM-') };
  }
}
