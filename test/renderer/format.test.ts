import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../common/money';
import { formatRate, formatWeight, parseCashAmount, parseQuantity } from '../../renderer/src/format';

const ws = (s: string) => s.replace(/[\s\u00a0\u202f]/g, ' ');

describe('money and weights through Intl', () => {
  it('formats Swedish kronor and euros in their locales', () => {
    expect(ws(formatMoney(123450, 'sv-SE', { currency: 'SEK' }))).toBe('1 234,50 kr');
    expect(ws(formatMoney(1234, 'de-DE', { currency: 'EUR' }))).toBe('12,34 €');
    expect(ws(formatMoney(-45, 'sv-SE', { currency: 'SEK' }))).toMatch(/^[−-]0,45 kr$/);
  });
  it('formats weights in kilograms with three decimals', () => {
    expect(ws(formatWeight(1234, 'sv-SE'))).toBe('1,234 kg');
    expect(ws(formatWeight(750, 'en-GB'))).toBe('0.750 kg');
  });
  it('formats VAT rates from basis points', () => {
    expect(ws(formatRate(2500, 'sv-SE'))).toBe('25 %');
    expect(ws(formatRate(700, 'de-DE'))).toBe('7 %');
  });
});

describe('cash typed by the cashier', () => {
  it('reads major units with a decimal comma or point', () => {
    expect(parseCashAmount('200')).toBe(20000);
    expect(parseCashAmount('12,50')).toBe(1250);
    expect(parseCashAmount('12.5')).toBe(1250);
    expect(parseCashAmount(' 1 234,05 ')).toBe(123405);
  });
  it('never guesses at garbage', () => {
    for (const bad of ['', '0', '12,345', 'abc', '1e3', '-5', '12,', '1.2.3', '9999999']) expect(parseCashAmount(bad), bad).toBeNull();
  });
  it('reads quantities 1–999 only', () => {
    expect(parseQuantity('3')).toBe(3);
    expect(parseQuantity('999')).toBe(999);
    for (const bad of ['0', '1000', '2.5', 'x', '']) expect(parseQuantity(bad), bad).toBeNull();
  });
});
