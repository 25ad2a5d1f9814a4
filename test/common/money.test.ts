import { describe, expect, it } from 'vitest';
import { formatMoney, plainText } from '../../common/money';

const NBSP = /[\u00a0\u202f]/;

describe('the one money formatter', () => {
  it('writes an amount in Swedish, German and British English', () => {
    expect(plainText(formatMoney(123450, 'sv-SE'))).toBe('1 234,50');
    expect(formatMoney(123450, 'de-DE')).toBe('1.234,50');
    expect(formatMoney(123450, 'en-GB')).toBe('1,234.50');
  });
  it('names the currency as the locale writes it', () => {
    expect(formatMoney(123450, 'sv-SE', { currency: 'SEK', plain: true })).toBe('1 234,50 kr');
    expect(formatMoney(1234, 'de-DE', { currency: 'EUR', plain: true })).toBe('12,34 €');
    expect(formatMoney(1234, 'en-GB', { currency: 'GBP' })).toBe('£12.34');
  });
  it('writes notes and coins in whole units', () => {
    expect(formatMoney(50000, 'sv-SE', { currency: 'SEK', whole: true, plain: true })).toBe('500 kr');
    expect(formatMoney(2000, 'de-DE', { currency: 'EUR', whole: true, plain: true })).toBe('20 €');
    expect(formatMoney(500, 'en-GB', { currency: 'GBP', whole: true })).toBe('£5');
  });
  it('writes zero and negative amounts', () => {
    expect(formatMoney(0, 'sv-SE', { plain: true })).toBe('0,00');
    expect(formatMoney(0, 'en-GB')).toBe('0.00');
    expect(formatMoney(-45, 'sv-SE', { plain: true })).toBe('-0,45');
    expect(formatMoney(-123450, 'de-DE', { plain: true })).toBe('-1.234,50');
    expect(formatMoney(-1234, 'en-GB', { currency: 'GBP' })).toBe('-£12.34');
    expect(formatMoney(-45, 'sv-SE', { currency: 'SEK' })).toMatch(/^\u22120,45\u00a0kr$/);
  });
  it('writes large amounts exactly', () => {
    expect(formatMoney(123456789012, 'sv-SE', { plain: true })).toBe('1 234 567 890,12');
    expect(formatMoney(123456789012, 'de-DE')).toBe('1.234.567.890,12');
    expect(formatMoney(123456789012, 'en-GB')).toBe('1,234,567,890.12');
  });
  it('plain text has only ASCII minus and spaces, for printers and pole displays', () => {
    const t = formatMoney(-123456789, 'sv-SE', { currency: 'SEK', plain: true });
    expect(t).toBe('-1 234 567,89 kr');
    expect(t).not.toMatch(NBSP);
    expect(formatMoney(-123456789, 'sv-SE')).toMatch(NBSP);
  });
  it('writes without grouping as a card terminal does', () => {
    expect(formatMoney(123456, 'de-DE', { grouping: false })).toBe('1234,56');
    expect(formatMoney(5, 'de-DE', { grouping: false })).toBe('0,05');
  });
});
