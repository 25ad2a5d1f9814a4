/**
 * What the card terminal asks of the customer or says to them, as Kassa's own codes. The core maps
 * a terminal protocol's statuses to these (ZVT's intermediate statuses: core/payments/zvt.ts) and
 * the UI words them in the lane's language; no terminal protocol's numbers reach the Terminal API.
 */
import { z } from 'zod';

export const PAYMENT_PROMPTS = [
  'confirmAmount',
  'watchPinPad',
  'notAccepted',
  'waitForProvider',
  'sendingToProvider',
  'cardNotPermitted',
  'cardUnknown',
  'cardExpired',
  'insertCard',
  'removeCard',
  'cardNotReadable',
  'processingError',
  'wait',
  'terminalEndOfDay',
  'invalidCard',
  'balanceDisplay',
  'systemError',
  'paymentNotPossible',
  'creditInsufficient',
  'pinWrong',
  'limitInsufficient',
  'pinTriesExceeded',
  'cardDataIncorrect',
  'serviceMode',
  'approvedFillUp',
  'approvedTakeGoods',
  'declined',
  'enterPin',
  'presentCard',
  /** Kassa's own: after a restart or a lost answer, the core asks the terminal what became of a payment. */
  'askingTerminal',
] as const;
export type PaymentPrompt = (typeof PAYMENT_PROMPTS)[number];
export const PaymentPromptSchema = z.enum(PAYMENT_PROMPTS);
