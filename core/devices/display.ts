/** What the customer's pole display says, from the lane's snapshot (item + price, total, change, thanks). */
import type { Snapshot } from '../../protocol/terminal';
import { formatMoney } from '../../common/money';
import { leftRight } from '../../drivers/display/dmd';
import type { LaneService } from '../lane/host';

const WORDS = {
  sv: { welcome: 'Välkommen!', total: 'TOTALT', paid: 'Betalt', change: 'Växel', thanks: 'Tack för ditt köp!' },
  de: { welcome: 'Willkommen!', total: 'SUMME', paid: 'Gegeben', change: 'Rückgeld', thanks: 'Vielen Dank!' },
  en: { welcome: 'Welcome!', total: 'TOTAL', paid: 'Paid', change: 'Change', thanks: 'Thank you!' },
  da: { welcome: 'Velkommen!', total: 'I ALT', paid: 'Betalt', change: 'Byttepenge', thanks: 'Tak for dit køb!' },
  nb: { welcome: 'Velkommen!', total: 'TOTALT', paid: 'Betalt', change: 'Veksel', thanks: 'Takk for handelen!' },
  fi: { welcome: 'Tervetuloa!', total: 'YHTEENSÄ', paid: 'Maksettu', change: 'Vaihtoraha', thanks: 'Kiitos!' },
} as const;

function money(minor: number, locale: string): string {
  return formatMoney(minor, locale, { plain: true });
}

export function displayLines(s: Snapshot): [string, string] {
  const w = WORDS[s.profile.receiptLang];
  const loc = s.profile.locale;
  const co = s.checkout;
  if (co) {
    if (co.state === 'paid') return [leftRight(w.paid, money(co.totals.tendered, loc)), leftRight(w.change, money(co.totals.change, loc))];
    const last = [...co.lines].reverse().find((l) => !l.voided && l.depositFor === null);
    return [last ? leftRight(last.name, money(last.total, loc)) : '', leftRight(w.total, money(co.totals.total, loc))];
  }
  if (s.lastSale) return [w.thanks, leftRight(w.change, money(s.lastSale.change, loc))];
  return [s.terminal.storeName, w.welcome];
}

export function feedDisplay(display: { show(top: string, bottom: string): void }, service: LaneService): void {
  const show = (s: Snapshot) => {
    const [top, bottom] = displayLines(s);
    display.show(top, bottom);
  };
  service.subscribe(show);
  show(service.snapshot());
}
