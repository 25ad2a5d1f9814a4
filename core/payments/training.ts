/**
 * The training terminal: in training mode card payments come here, never to the real payment
 * terminal. Every payment is approved at once and marked TRAINING; nothing is charged, reversed or
 * refunded anywhere, and nothing reaches the card end of day.
 */
import type { CardRequest, CardResult, PaymentPort } from './port';

export class TrainingPaymentPort implements PaymentPort {
  /** `words`: "training — no purchase" in the store's language (the receipt prints it as the card's name). */
  constructor(private readonly words: string) {}

  async authorize(req: CardRequest): Promise<CardResult> {
    return { approved: true, brand: this.words, maskedPan: '************0000', authCode: '000000', terminalRef: `training-${req.attemptId}`, receiptLines: [] };
  }

  async reverse(): Promise<{ ok: boolean }> {
    return { ok: true };
  }

  async refund(): Promise<{ ok: boolean; terminalRef: string }> {
    return { ok: true, terminalRef: 'training' };
  }
}
