/** One line of the lane's basket: name, tags, amount, how it was priced, its discounts. */
import { memo, useEffect, useRef } from 'react';
import type { Line } from '../../../protocol/terminal';
import { formatWeight } from '../format';
import { LineDiscounts, LineName } from '../shared/common';
import { useMessages } from '../shared/messages';

type LineRowProps = { line: Line; selected: boolean; fresh: boolean; onSelect: () => void };

/**
 * Every snapshot carries the whole basket as new objects; a row is drawn again only when what it
 * shows changed (a long basket would otherwise be redrawn on every scan). `onSelect` follows from
 * the line id, which is compared; the language, locale and money come from useMessages() (a change
 * there draws every row again).
 */
export const LineRow = memo(LineRowView, (a: LineRowProps, b: LineRowProps) => {
  if (a.selected !== b.selected || a.fresh !== b.fresh) return false;
  const x = a.line;
  const y = b.line;
  return (
    x === y ||
    (x.lineId === y.lineId &&
      x.name === y.name &&
      x.quantity === y.quantity &&
      x.weightGrams === y.weightGrams &&
      x.unitPrice === y.unitPrice &&
      x.total === y.total &&
      x.voided === y.voided &&
      x.ageLimit === y.ageLimit &&
      x.priceFromCode === y.priceFromCode &&
      x.depositFor === y.depositFor &&
      x.discounts.length === y.discounts.length &&
      x.discounts.every((d, i) => d.id === y.discounts[i]!.id && d.amount === y.discounts[i]!.amount && d.text === y.discounts[i]!.text))
  );
});

function LineRowView(props: LineRowProps) {
  const { line: l } = props;
  const { t, money, locale } = useMessages();
  const detail =
    l.unit === 'weight' && l.weightGrams !== null && !l.priceFromCode
      ? `${formatWeight(l.weightGrams, locale)} × ${money(l.unitPrice)}/kg`
      : l.priceFromCode && l.kind !== 'depositReturn' // empties take the label's rules, but say how many came back
        ? `${l.weightGrams !== null ? formatWeight(l.weightGrams, locale) + ' · ' : ''}${t.priceOnLabel}`
        : `${l.quantity} × ${money(l.unitPrice)}`;
  const cls = ['line', l.depositFor ? 'deposit' : '', l.voided ? 'voided' : '', props.selected ? 'selected' : '', props.fresh ? 'fresh' : ''].filter(Boolean).join(' ');
  // The selected line (the newest after a scan, or where ↑/↓ went) is always in view.
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (props.selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [props.selected]);
  return (
    <li ref={ref} className={cls} data-testid="line" data-line-id={l.lineId} data-voided={String(l.voided)} aria-current={props.selected ? true : undefined} onClick={props.onSelect}>
      <div className="line-main">
        <LineName name={l.name} ageLimit={l.ageLimit} voided={l.voided} />
        <span className="amount">{money(l.total)}</span>
      </div>
      <div className="line-detail">{detail}</div>
      <LineDiscounts line={l} />
    </li>
  );
}
