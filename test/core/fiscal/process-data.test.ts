/** DSFinV-K's process data of a receipt, from integer minor units (Anhang I). */
import { describe, expect, it } from 'vitest';
import { dsfinvkAmount, receiptProcessData, VatRateNotInDsfinvkError } from '../../../core/fiscal/tse/process-data';

const vat = (rate: number, gross: number) => ({ rate, gross, net: 0, vat: 0 });

describe('process data', () => {
  it('writes amounts with a point and two decimals, negative ones with a minus', () => {
    expect([0, 5, 50, 100, 1995, -150, 123456789].map(dsfinvkAmount)).toEqual(['0.00', '0.05', '0.50', '1.00', '19.95', '-1.50', '1234567.89']);
    expect(() => dsfinvkAmount(1.5)).toThrow(RangeError);
  });

  it('puts gross per rate in DSFinV-K order (19, 7, § 24 Abs. 1 Nr. 3, 5.5, 0 %) and payments as Bar net of change and Unbar', () => {
    const data = receiptProcessData({ kind: 'Beleg', vat: [vat(700, 799), vat(1900, 7533), vat(0, 200)], tenders: [{ kind: 'cash', amount: 5000 }, { kind: 'card', amount: 4000 }], change: 468, currency: 'EUR' });
    expect(data).toBe('Beleg^75.33_7.99_0.00_0.00_2.00^45.32:Bar_40.00:Unbar');
  });

  it('books a gift card (a multi-purpose voucher) in the not-taxable slot, not as a payment: redeemed negative, credited positive', () => {
    const paid = receiptProcessData({ kind: 'Beleg', vat: [vat(700, 799), vat(1900, 7533), vat(0, 200)], tenders: [{ kind: 'cash', amount: 5000 }, { kind: 'card', amount: 3000 }, { kind: 'voucher', amount: 1000 }], change: 468, currency: 'EUR' });
    expect(paid).toBe('Beleg^75.33_7.99_0.00_0.00_-8.00^45.32:Bar_30.00:Unbar');
    // All on the card: no payment at all.
    expect(receiptProcessData({ kind: 'Beleg', vat: [vat(1900, 2000)], tenders: [{ kind: 'voucher', amount: 2000 }], change: 0, currency: 'EUR' })).toBe('Beleg^20.00_0.00_0.00_0.00_-20.00^');
    // A return credited onto a card (its refund negative, as a return's tenders are).
    expect(receiptProcessData({ kind: 'Beleg', vat: [vat(1900, -2000)], tenders: [{ kind: 'voucher', amount: -2000 }], change: 0, currency: 'EUR' })).toBe('Beleg^-20.00_0.00_0.00_0.00_20.00^');
  });

  it('names a currency other than the euro after each payment, and leaves out a payment type not used', () => {
    expect(receiptProcessData({ kind: 'AVTraining', vat: [vat(1070, 1000), vat(550, 500)], tenders: [{ kind: 'card', amount: 1500 }], change: 0, currency: 'CHF' })).toBe('AVTraining^0.00_0.00_10.00_5.00_0.00^15.00:Unbar:CHF');
  });

  it('puts every § 24 Abs. 1 Nr. 3 rate, the one in force and the historic ones, in the third slot (Anlage 2: a historic key goes where its base key goes)', () => {
    const data = receiptProcessData({ kind: 'Beleg', vat: [vat(780, 100), vat(840, 200), vat(900, 300), vat(950, 400), vat(1070, 500)], tenders: [{ kind: 'cash', amount: 1500 }], change: 0, currency: 'EUR' });
    expect(data).toBe('Beleg^0.00_0.00_15.00_0.00_0.00^15.00:Bar');
  });

  it('signs a cash movement as a Beleg (DSFinV-K 2.4 Anhang F): not taxable, paid Bar, negative when cash leaves the drawer', () => {
    expect(receiptProcessData({ kind: 'Beleg', vat: [vat(0, -5000)], tenders: [{ kind: 'cash', amount: -5000 }], change: 0, currency: 'EUR' })).toBe('Beleg^0.00_0.00_0.00_0.00_-50.00^-50.00:Bar');
  });

  it('refuses a VAT rate DSFinV-K has no place for, with a typed error', () => {
    expect(() => receiptProcessData({ kind: 'Beleg', vat: [vat(2500, 1000)], tenders: [], change: 0, currency: 'EUR' })).toThrow(VatRateNotInDsfinvkError);
  });
});
