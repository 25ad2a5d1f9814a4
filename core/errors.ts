import type { ErrorCode } from '../protocol/terminal';

/** A refusal the cashier can act on. Carries a typed code; the UI words it in its own language. */
export class CoreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
