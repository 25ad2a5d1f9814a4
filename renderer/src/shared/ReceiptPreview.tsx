/**
 * A receipt, slip or report as the printer puts it on paper: its text, and its QR code and barcode
 * as images (the receipt text marks them with `[QR] …` and `[BARCODE] …` lines); `[DOUBLE] …` lines twice as large.
 */
import { Barcode } from './Barcode';
import { QrCode } from './QrCode';
import { useMessages } from './messages';
import { receiptParts } from './receipt-parts';

export function ReceiptPreview({ text, testid, className }: { text: string; testid?: string; className?: string }) {
  const { t } = useMessages();
  return (
    <div className={`receipt-paper${className ? ` ${className}` : ''}`} tabIndex={0} data-testid={testid}>
      {receiptParts(text).map((p, i) =>
        p.kind === 'text' ? (
          <pre key={i}>{p.text}</pre>
        ) : p.kind === 'double' ? (
          <pre key={i} className="receipt-double">
            {p.text}
          </pre>
        ) : p.kind === 'qr' ? (
          <QrCode key={i} text={p.data} size={120} label={t.receiptQrLabel} testid={testid ? `${testid}-qr` : undefined} />
        ) : (
          <Barcode key={i} data={p.data} label={t.receiptBarcodeLabel} testid={testid ? `${testid}-barcode` : undefined} />
        ),
      )}
    </div>
  );
}
