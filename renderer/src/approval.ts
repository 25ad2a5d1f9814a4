import type { CommandBody } from '../../protocol/terminal';

/** Commands that take a supervisor's approval (kept equal to the protocol's by a test). */
export const APPROVABLE_COMMANDS: ReadonlySet<CommandBody['cmd']> = new Set<CommandBody['cmd']>([
  'setTraining',
  'confirmCash',
  'confirmAge',
  'cancelSale',
  'voidTender',
  'resolvePayment',
  'overridePrice',
  'discount',
  'returnWithoutReceipt',
  'deviceTest',
  'cardEndOfDay',
  'deviceInfo',
  'noSale',
  'cashMovement',
  'closeTill',
  'voidLine',
  'voidLast',
  'openItem',
  'clearHelp',
  'staffCheck',
]);
