/**
 * Receipt text → ESC/POS bytes with @point-of-sale/receipt-printer-encoder: the store's logo as a
 * raster image, CP858 (Nordic letters and the euro sign; what the page lacks is replaced by what reads
 * the same: codepage.ts), `[DOUBLE]` lines at twice the width and height, the return barcode as Code 128, the
 * verification data as a QR code, and a cut. The cash drawer is not kicked from here: it opens at
 * once through a real-time command (see core/devices), not when the printer gets round to the job.
 * Pure encoding: the core's receipt text in, the bytes the printer takes out.
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { printableText } from './codepage';

/** A logo to print: RGBA, 4 bytes per pixel (black = 0,0,0,255), as core/printing/logo.ts reads it. */
export interface RasterImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export function encodeReceipt(text: string, opts: { logo?: RasterImage | null; columns?: number } = {}): Uint8Array {
  const e = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: opts.columns ?? 42, codepageMapping: 'epson', imageMode: 'raster' });
  e.initialize().codepage('cp858');
  if (opts.logo) e.align('center').image({ width: opts.logo.width, height: opts.logo.height, data: opts.logo.data }, opts.logo.width, opts.logo.height, 'threshold').align('left');
  for (const line of text.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('[QR] ')) e.qrcode(line.slice(5), 2, 4, 'm');
    else if (line.startsWith('[BARCODE] ')) e.barcode(line.slice(10), 'code128', 60);
    // Twice the width and height of the receipt's text (GS ! 0x11): a Swedish copy's or training receipt's mark.
    else if (line.startsWith('[DOUBLE] ')) e.size(2, 2).line(printableText(line.slice(9))).size(1, 1);
    else e.line(printableText(line));
  }
  e.newline().cut();
  const bytes = e.encode();
  if (opts.logo) keepRealtimeCommandsOut(bytes);
  return bytes;
}

/**
 * A printer acts on real-time commands (DLE EOT, DLE ENQ, DLE DC4) wherever they appear in the
 * byte stream, even inside image data; a logo whose pixels happen to spell one would make the
 * printer answer a status request nobody sent. Such a byte pair in raster data loses one pixel.
 */
function keepRealtimeCommandsOut(b: Uint8Array): void {
  for (let i = 0; i + 7 < b.length; i++) {
    if (b[i] !== 0x1d || b[i + 1] !== 0x76 || b[i + 2] !== 0x30) continue;
    const size = (b[i + 4]! + 256 * b[i + 5]!) * (b[i + 6]! + 256 * b[i + 7]!);
    const end = Math.min(b.length, i + 8 + size);
    for (let j = i + 8; j + 1 < end; j++) if (b[j] === 0x10 && (b[j + 1] === 0x04 || b[j + 1] === 0x05 || b[j + 1] === 0x14)) b[j] = 0x00;
    i = end - 1;
  }
}
