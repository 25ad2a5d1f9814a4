/** The payment terminal's standard statuses reach the UI as Kassa's prompt codes, worded in the lane's language; its own texts are shown as sent. */
import { describe, expect, it } from 'vitest';
import { ZVT_PROMPTS } from '../../core/payments/zvt';
import { INTERMEDIATE_TEXT, ptMessage } from '../../drivers/zvt/messages';
import { PAYMENT_PROMPTS } from '../../protocol/terminal';
import { CATALOGUE, paymentText } from '../../renderer/src/i18n';

describe('payment terminal texts', () => {
  it('every standard ZVT status is one of Kassa’s prompt codes, and every prompt has words in Swedish, German and English', () => {
    for (const code of Object.keys(INTERMEDIATE_TEXT)) expect(ZVT_PROMPTS[Number(code)], `status ${code}`).toBeTruthy();
    // Every prompt but Kassa's own (the core asking the terminal after a restart) comes from a ZVT status.
    expect(new Set(Object.values(ZVT_PROMPTS))).toEqual(new Set(PAYMENT_PROMPTS.filter((p) => p !== 'askingTerminal')));
    for (const lang of ['sv', 'de', 'en'] as const) for (const prompt of PAYMENT_PROMPTS) expect(CATALOGUE[lang].paymentPrompt[prompt], `${lang} ${prompt}`).toBeTruthy();
  });

  it('a standard status is translated; a text of the terminal’s own is shown as it came', () => {
    const standard = ptMessage({ cls: 0x04, instr: 0xff, data: Uint8Array.from([0x01]) });
    expect(standard).toEqual({ kind: 'intermediate', code: 0x01, text: 'Please watch the PIN pad', own: false });
    const prompt = ZVT_PROMPTS[0x01]!;
    expect(prompt).toBe('watchPinPad');
    expect(paymentText({ text: 'Please watch the PIN pad', prompt }, CATALOGUE.sv)).toBe('Titta på kortterminalen');
    expect(paymentText({ text: 'Please watch the PIN pad', prompt }, CATALOGUE.de)).toBe('Bitte auf das Kartenterminal achten');
    expect(paymentText({ text: 'Bitte PIN eingeben', prompt: null }, CATALOGUE.sv)).toBe('Bitte PIN eingeben');
    expect(ZVT_PROMPTS[0x7f]).toBeUndefined();
    expect(paymentText({ text: 'Status 7f', prompt: null }, CATALOGUE.en)).toBe('Status 7f');
    expect(paymentText({ text: null, prompt: null }, CATALOGUE.en)).toBe(null);
  });
});
