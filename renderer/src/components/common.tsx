/** Small shared pieces of the lane UI. */
import { formatMoney } from '../format';

export function ErrorBox({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <div className="message error" role="alert" data-testid="message">
      <span aria-hidden="true">⚠ </span>
      {text}
    </div>
  );
}

/** Count of notes and coins, one field per denomination (float, blind close). */
export function CountGrid(props: {
  denominations: readonly number[];
  locale: string;
  currency: string;
  counts: Record<number, string>;
  setCounts: (f: (c: Record<number, string>) => Record<number, string>) => void;
  testidPrefix: string;
  onEnter?: () => void;
}) {
  const { locale, currency } = props;
  return (
    <div className="count-grid">
      {props.denominations.map((d) => (
        <label key={d} className="count">
          <span>{formatMoney(d, locale, currency)}</span>
          <input
            data-testid={`${props.testidPrefix}-${d}`}
            inputMode="numeric"
            autoComplete="off"
            value={props.counts[d] ?? ''}
            aria-label={formatMoney(d, locale, currency)}
            onChange={(e) => props.setCounts((c) => ({ ...c, [d]: e.target.value.replace(/\D/g, '').slice(0, 5) }))}
            onKeyDown={(e) => e.key === 'Enter' && props.onEnter?.()}
          />
        </label>
      ))}
    </div>
  );
}
