/**
 * The payment port: the checkout's card tender talks only to this interface. Card data never
 * reaches the POS — only brand, masked PAN, authorisation code and the terminal's reference.
 * The ZVT driver (payments issue) implements it for real terminals; the simulator below is the
 * demo's and the tests' terminal.
 */
export interface CardRequest {
  /** Stable per attempt: the terminal must never charge the same attempt twice. */
  attemptId: string;
  amount: number;
  currency: string;
}

export type CardResult =
  | { approved: true; brand: string; maskedPan: string; authCode: string; terminalRef: string; receiptLines: string[] }
  | { approved: false; reason: string };

export interface PaymentPort {
  authorize(req: CardRequest): Promise<CardResult>;
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
