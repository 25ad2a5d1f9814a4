/**
 * What a Swedish receipt carries besides the common receipt (SKVFS 2014:9 7 kap. 1 §): the
 * company's name, organisation number and the address of the sale at the top; the VAT on the
 * total, the till id (kassabeteckning), the receipt number, the control unit's manufacturing number
 * and the receipt's control code at the bottom. A copy and a training receipt are marked "KOPIA"
 * and "ÖVNINGSKVITTO" in double width and height (`[DOUBLE]`, drivers/escpos/receipt.ts): at least
 * twice the size of the amounts (SKVFS 2014:9 7 kap.), on the receipt's first and last line.
 */
import type { SeMark } from '../fiscal/control-unit/till';
import type { VatRow } from '../../protocol/terminal';

export type { SeMark };

/** A line the printer prints at twice the width and twice the height of the receipt's text. */
export const DOUBLE = '[DOUBLE] ';
export const COPY_MARK = `${DOUBLE}KOPIA`;
export const TRAINING_MARK = `${DOUBLE}ÖVNINGSKVITTO`;

/** Lines under the store's name: company, address, organisation number; a training receipt's mark first. */
export function seHeader(m: SeMark): string[] {
  return [...(m.type === 'ovning' ? [TRAINING_MARK] : []), m.companyName, m.address, `Org.nr ${m.orgNumber}`];
}

/** A long value on lines of the receipt's width, under its label. */
function under(label: string, value: string, width: number): string[] {
  const out = [label];
  for (let i = 0; i < value.length; i += width) out.push(value.slice(i, i + width));
  return out;
}

/** The registration block at the receipt's foot. `money` formats an amount as the receipt does. */
export function seFooter(m: SeMark, vat: readonly VatRow[], width: number, money: (minor: number) => string, row: (l: string, r: string) => string): string[] {
  const out = [
    row('Varav moms', money(vat.reduce((a, v) => a + v.vat, 0))),
    row('Kassabeteckning', m.tillId),
    row('Kvittonummer', String(m.receiptNumber)),
    row('Kontrollenhet', m.manufacturingNumber),
    ...under('Kontrollkod', m.controlCode, width),
  ];
  if (m.type === 'ovning') out.push(TRAINING_MARK);
  return out;
}

/** A copy of a Swedish receipt: marked KOPIA first and last, the original as it was, and the copy's own control code. */
export function seCopy(original: string, copy: SeMark, width: number): string {
  return [COPY_MARK, original.replace(/\n$/, ''), ...under('Kontrollkod (kopia)', copy.controlCode, width), COPY_MARK].join('\n') + '\n';
}
