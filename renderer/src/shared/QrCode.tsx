/**
 * A QR code drawn as SVG from the modules uqr computes (no HTML injection, works under a strict CSP).
 * Text made only of QR's alphanumeric characters (a digital receipt link) is encoded as such, 5.5
 * bits a character; anything else as UTF-8 bytes.
 */
import { encode } from 'uqr';
import { isQrAlphanumeric } from '../../../protocol/digital-receipt';
import { utf8 } from '../receipt';

export function QrCode({ text, size = 240, label, testid }: { text: string; size?: number; label: string; testid?: string }) {
  const { data } = encode(isQrAlphanumeric(text) ? text : utf8(text), { ecc: 'L', border: 2 });
  const n = data.length;
  let d = '';
  data.forEach((row, y) => row.forEach((on, x) => on && (d += `M${x} ${y}h1v1h-1z`)));
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${n} ${n}`} width={size} height={size} shapeRendering="crispEdges" data-testid={testid} data-modules={n}>
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
