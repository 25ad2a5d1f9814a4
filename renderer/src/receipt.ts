/**
 * The digital receipt: what the customer's phone reads from the QR code on screen when the paper
 * receipt cannot be printed (or is not wanted). The receipt itself, as text, when it fits in a QR
 * code; otherwise the receipt's verification line (store, lane, number, total, time, signature),
 * which identifies it and proves it came from this till.
 */
// Beyond this the code gets too dense for a phone camera at arm’s length.
const QR_MAX_BYTES = 600;

export function digitalReceiptPayload(receiptText: string): string {
  const lines = receiptText.split('\n');
  const verification = lines.find((l) => l.startsWith('[QR] '))?.slice(5) ?? null;
  const text = lines
    .filter((l) => !l.startsWith('[QR] ') && !l.startsWith('[BARCODE] '))
    .join('\n')
    .trim();
  if (new TextEncoder().encode(text).length <= QR_MAX_BYTES) return text;
  return verification ?? text.slice(0, 600);
}

/** UTF-8 bytes, so å, ä, ö and € survive the QR code. */
export function utf8(text: string): number[] {
  return Array.from(new TextEncoder().encode(text));
}
