/**
 * The training terminal: in training mode card payments come here, never to the real payment
 * terminal. Every payment is approved at once and marked TRAINING; nothing is charged, reversed or
 * refunded anywhere, and nothing reaches the card end of day.
 */
import type { CardRequest, CardResult, PaymentPort } from './port';

export class TrainingPaymentPort implements PaymentPort {
  async authorize(req: CardRequest): Promise<CardResult> {
    return { approved: true, brand: 'TRAINING', maskedPan: '************0000', authCode: 'TRAINING', terminalRef: `training-${req.attemptId}`, receiptLines: [] };
  }

  async reverse(): Promise<{ ok: boolean }> {
    return { ok: true };
  }

  async refund(): Promise<{ ok: boolean; terminalRef: string }> {
    return { ok: true, terminalRef: 'training' };
  }
}
