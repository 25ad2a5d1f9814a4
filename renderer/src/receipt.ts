/** UTF-8 bytes, so å, ä, ö and € survive the QR code. */
export function utf8(text: string): number[] {
  return Array.from(new TextEncoder().encode(text));
}
