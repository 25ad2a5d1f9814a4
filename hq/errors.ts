/** A refusal HQ answers with: its HTTP status, a code, and why in words (hq/server.ts sends them). */
export class HqError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
