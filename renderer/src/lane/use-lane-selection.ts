/** Which basket line the keys act on: the newest after a scan (highlighted for a moment), or where ↑/↓ or a tap went. */
import { useEffect, useState } from 'react';
import type { CheckoutView, Line } from '../../../protocol/terminal';

/** The lines a cashier can select: items still on the sale, without their deposits. */
export function activeItemLines(co: CheckoutView | null): Line[] {
  return co ? co.lines.filter((l) => !l.voided && l.depositFor === null) : [];
}

export function useLaneSelection(co: CheckoutView | null) {
  const [selected, setSelected] = useState<string | null>(null);
  const [fresh, setFresh] = useState<string | null>(null);
  // Select and highlight the newest line when one is added.
  const items = activeItemLines(co);
  const newest = co ? [...co.lines].reverse().find((l) => l.depositFor === null) : undefined;
  const newestId = newest?.lineId ?? null;
  useEffect(() => {
    if (!newestId) {
      setSelected(null);
      return;
    }
    setSelected(newestId);
    setFresh(newestId);
    const timer = setTimeout(() => setFresh(null), 2000);
    return () => clearTimeout(timer);
  }, [newestId, co?.saleId]);
  const selectedLine = items.find((l) => l.lineId === selected) ?? items[items.length - 1];
  return { selected, setSelected, fresh, newest, selectedLine };
}
