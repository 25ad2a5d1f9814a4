/** A receipt's text split into its text, its QR code and its barcode (the `[QR] …` and `[BARCODE] …` lines), and `[DOUBLE] …` lines printed twice as large. */
export type Part = { kind: 'text'; text: string } | { kind: 'double'; text: string } | { kind: 'qr'; data: string } | { kind: 'barcode'; data: string };

export function receiptParts(text: string): Part[] {
  const parts: Part[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('[QR] ')) parts.push({ kind: 'qr', data: line.slice(5) });
    else if (line.startsWith('[BARCODE] ')) parts.push({ kind: 'barcode', data: line.slice(10) });
    else if (line.startsWith('[DOUBLE] ')) parts.push({ kind: 'double', text: line.slice(9) });
    else {
      const last = parts[parts.length - 1];
      if (last?.kind === 'text') last.text += `\n${line}`;
      else parts.push({ kind: 'text', text: line });
    }
  }
  return parts;
}
