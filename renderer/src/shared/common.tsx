/** Small shared pieces of the lane UI. */
import type { Line } from '../../../protocol/terminal';
import { formatMoney } from '../format';
import { LANGS, type Lang, type Messages } from '../i18n';

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

/** The language buttons: the profile picks the default; a cashier or customer switches here. */
export function LanguageSwitch({ lang, setLang, t }: { lang: Lang; setLang: (l: Lang) => void; t: Messages }) {
  return (
    <div className="langs" role="group" aria-label={t.language}>
      {LANGS.map((l) => (
        <button key={l} type="button" className={l === lang ? 'lang active' : 'lang'} aria-pressed={l === lang} onClick={() => setLang(l)}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

/** A line's promotions and discounts, each explained with what it takes off. */
export function LineDiscounts({ line, money }: { line: Line; money: (minor: number) => string }) {
  if (line.voided) return null;
  return (
    <>
      {line.discounts.map((d) => (
        <div key={`${d.source}-${d.id}`} className="line-discount" data-testid="line-discount">
          <span>
            <span aria-hidden="true">★ </span>
            {d.text}
          </span>
          <span className="amount">−{money(d.amount)}</span>
        </div>
      ))}
    </>
  );
}
