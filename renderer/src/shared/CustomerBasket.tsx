/** The customer's basket as on a receipt: each line, its quantity or weight, its savings (the kiosk and the customer display). */
import type { Line } from '../../../protocol/terminal';
import { formatWeight } from '../format';
import { LineDiscounts, LineName } from './common';
import { useMessages } from './messages';

export function CustomerBasket({ lines }: { lines: Line[] }) {
  const { t, locale, money } = useMessages();
  return (
    <section className="self-basket" aria-label={t.basket} data-testid="basket">
      {lines.length === 0 ? (
        <p className="empty">{t.emptyBasket}</p>
      ) : (
        <ol className="lines">
          {lines.map((l) => (
            <li key={l.lineId} className={`line${l.voided ? ' voided' : ''}${l.depositFor ? ' deposit' : ''}`} data-testid="line" data-voided={String(l.voided)}>
              <div className="line-main">
                <LineName name={l.name} ageLimit={null} voided={l.voided} />
                <span className="amount">{money(l.total)}</span>
              </div>
              <div className="line-detail">
                {l.weightGrams !== null ? `${formatWeight(l.weightGrams, locale)} × ${money(l.unitPrice)}/kg` : `${l.quantity} × ${money(l.unitPrice)}`}
              </div>
              <LineDiscounts line={l} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
