/** GS1 check digits: pure, shared by the terminal (scanning) and HQ (catalog publishing). */
const DIGITS = /^\d+$/;

/** GS1 mod-10 check digit over `payload` (all digits but the check digit), weights 3,1,3,… from the right. */
export function gtinCheckDigit(payload: string): number {
  if (!DIGITS.test(payload)) throw new RangeError(`GTIN payload must be digits, got ${JSON.stringify(payload)}`);
  let sum = 0;
  for (let i = payload.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += (payload.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for an 8, 12, 13 or 14 digit string whose last digit is its GS1 check digit. */
export function isValidGtin(code: string): boolean {
  if (!DIGITS.test(code)) return false;
  if (code.length !== 8 && code.length !== 12 && code.length !== 13 && code.length !== 14) return false;
  return gtinCheckDigit(code.slice(0, -1)) === (code.charCodeAt(code.length - 1) - 48);
}

