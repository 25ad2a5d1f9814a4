/**
 * Receipt text → ESC/POS bytes with @point-of-sale/receipt-printer-encoder: CP858 (Nordic letters
 * and the euro sign), the return barcode as Code 128, the verification data as a QR code, a cut,
 * and a drawer kick when cash was taken.
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';

export function encodeReceipt(text: string, opts: { kickDrawer?: boolean; columns?: number } = {}): Uint8Array {
  const e = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: opts.columns ?? 42, codepageMapping: 'epson' });
  e.initialize().codepage('cp858');
  for (const line of text.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('[QR] ')) e.qrcode(line.slice(5), 2, 4, 'm');
    else if (line.startsWith('[BARCODE] ')) e.barcode(line.slice(10), 'code128', 60);
    else e.line(line);
  }
  e.newline().cut();
  if (opts.kickDrawer) e.pulse(0, 100, 500);
  return e.encode();
}
