/** The payment terminal's standard statuses are worded in the lane's language; its own texts are shown as sent. */
import { describe, expect, it } from 'vitest';
import { INTERMEDIATE_TEXT, ptMessage } from '../../drivers/zvt/messages';
import { CATALOGUE, paymentText } from '../../renderer/src/i18n';

describe('payment terminal texts', () => {
  it('every standard status has words in Swedish, German and English', () => {
    for (const lang of ['sv', 'de', 'en'] as const) for (const code of Object.keys(INTERMEDIATE_TEXT)) expect(CATALOGUE[lang].zvt[Number(code)], `${lang} ${code}`).toBeTruthy();
  });

  it('a standard status is translated; a text of the terminal’s own is shown as it came', () => {
    const standard = ptMessage({ cls: 0x04, instr: 0xff, data: Uint8Array.from([0x01]) });
    expect(standard).toEqual({ kind: 'intermediate', code: 0x01, text: 'Please watch the PIN pad', own: false });
    expect(paymentText({ text: 'Please watch the PIN pad', textCode: 0x01 }, CATALOGUE.sv)).toBe('Titta på kortterminalen');
    expect(paymentText({ text: 'Please watch the PIN pad', textCode: 0x01 }, CATALOGUE.de)).toBe('Bitte auf das Kartenterminal achten');
    expect(paymentText({ text: 'Bitte PIN eingeben', textCode: null }, CATALOGUE.sv)).toBe('Bitte PIN eingeben');
    expect(paymentText({ text: 'Status 7f', textCode: 0x7f }, CATALOGUE.en)).toBe('Status 7f');
    expect(paymentText({ text: null, textCode: null }, CATALOGUE.en)).toBe(null);
  });
});
