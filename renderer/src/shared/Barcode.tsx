/** A Code 128 barcode drawn as SVG, with its text below as on the printed receipt. */
import { code128Symbols, code128Widths } from '../../../protocol/code128';

export function Barcode({ data, label, testid }: { data: string; label: string; testid?: string }) {
  const symbols = code128Symbols(data);
  if (!symbols) return <div data-testid={testid}>{data}</div>;
  const widths = code128Widths(symbols);
  const quiet = 10;
  let x = quiet;
  let d = '';
  widths.forEach((w, i) => {
    if (i % 2 === 0) d += `M${x} 0h${w}v40h-${w}z`;
    x += w;
  });
  const total = x + quiet;
  return (
    <figure className="receipt-barcode" data-testid={testid}>
      <svg role="img" aria-label={label} viewBox={`0 0 ${total} 40`} width="100%" height="48" preserveAspectRatio="none" shapeRendering="crispEdges" data-modules={total - 2 * quiet}>
        <rect width={total} height={40} fill="#fff" />
        <path d={d} fill="#000" />
      </svg>
      <figcaption>{data}</figcaption>
    </figure>
  );
}
