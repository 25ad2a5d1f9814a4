/**
 * The store's registration numbers by market (protocol/store-ids.ts), with numbers published by
 * their registers or in the descriptions the rules were verified against: Swedish organisation
 * numbers (AB Volvo 556012-5790, Skatteverket 202100-5448), the Danish Business Authority's own CVR
 * example 13748136 and 13585628, Brønnøysundregistrene's example 123456785 and its own number
 * 974760673, the Finnish business IDs 1572860-0 and 0000001-9 (0737546-1 published as invalid).
 */
import { describe, expect, it } from 'vitest';
import { storeIdProblem, validDkCvr, validFiBusinessId, validNoOrgNumber, validSeOrgNumber } from '../../protocol/store-ids';

describe('registration numbers by market', () => {
  it('Sweden: NNNNNN-NNNN with the Luhn check digit', () => {
    for (const n of ['556012-5790', '202100-5448', '556677-8899']) expect(validSeOrgNumber(n), n).toBe(true);
    for (const n of ['556012-5791', '202100-5449', '5560125790', '556012 5790', '55601-25790']) expect(validSeOrgNumber(n), n).toBe(false);
  });

  it('Denmark: a CVR number is 8 digits, modulus 11 with weights 2,7,6,5,4,3,2,1', () => {
    for (const n of ['13748136', '13585628', '13 74 81 36']) expect(validDkCvr(n), n).toBe(true);
    for (const n of ['13748137', '12345678', '1374813', '137481360']) expect(validDkCvr(n), n).toBe(false);
  });

  it('Norway: an organisasjonsnummer is 9 digits, modulus 11 with weights 3,2,7,6,5,4,3,2', () => {
    for (const n of ['123456785', '974760673', '974 760 673']) expect(validNoOrgNumber(n), n).toBe(true);
    for (const n of ['123456784', '974760672', '12345678', '1234567850']) expect(validNoOrgNumber(n), n).toBe(false);
    // 11 − (sum mod 11) = 10 has no check digit: no number with these eight digits is valid.
    // 1·3 + 1·3 + 3·2 = 12, remainder 1: no digit is its check digit.
    for (let d = 0; d <= 9; d++) expect(validNoOrgNumber(`10000013${d}`)).toBe(false);
  });

  it('Finland: a Y-tunnus is NNNNNNN-N, weights 7,9,10,5,8,4,2, modulus 11', () => {
    for (const n of ['1572860-0', '0000001-9', '0737546-2']) expect(validFiBusinessId(n), n).toBe(true);
    for (const n of ['0737546-1', '1572860-1', '15728600', '157286-0']) expect(validFiBusinessId(n), n).toBe(false);
  });

  it('names the field and why, for each market; an empty VAT id is allowed', () => {
    expect(storeIdProblem('SE', { orgNumber: '556012-5790', vatId: 'SE556012579001' })).toBeNull();
    expect(storeIdProblem('SE', { orgNumber: '556012-5790', vatId: '' })).toBeNull();
    expect(storeIdProblem('SE', { orgNumber: '556012-5791', vatId: '' })).toBe('orgNumber "556012-5791": its last digit is not the Luhn check digit of the others');
    expect(storeIdProblem('SE', { orgNumber: '5560125790', vatId: '' })).toBe('orgNumber "5560125790": a Swedish organisation number is NNNNNN-NNNN (e.g. 556012-5790)');
    expect(storeIdProblem('SE', { orgNumber: '556012-5790', vatId: 'SE5560125790' })).toMatch(/^vatId "SE5560125790": a Swedish VAT number is SE/);
    expect(storeIdProblem('DK', { orgNumber: '13748136', vatId: 'DK13748136' })).toBeNull();
    expect(storeIdProblem('DK', { orgNumber: '12345678', vatId: '' })).toBe('orgNumber "12345678": its digits weighted 2,7,6,5,4,3,2,1 do not add up to a multiple of 11 (modulus 11)');
    expect(storeIdProblem('NO', { orgNumber: '974 760 673', vatId: 'NO974760673MVA' })).toBeNull();
    expect(storeIdProblem('NO', { orgNumber: '974 760 672', vatId: '' })).toMatch(/^orgNumber "974 760 672": its last digit is not the modulus-11 check digit/);
    expect(storeIdProblem('NO', { orgNumber: '97476067', vatId: '' })).toMatch(/a Norwegian organisation number is 9 digits/);
    expect(storeIdProblem('FI', { orgNumber: '1572860-0', vatId: 'FI15728600' })).toBeNull();
    expect(storeIdProblem('FI', { orgNumber: '0737546-1', vatId: '' })).toMatch(/^orgNumber "0737546-1": its last digit is not the check digit \(weights 7,9,10,5,8,4,2, modulus 11\)/);
    expect(storeIdProblem('DE', { orgNumber: '11/111/11111', vatId: 'DE123456789' })).toBeNull();
    expect(storeIdProblem('DE', { orgNumber: '11/111/11111', vatId: '' })).toBeNull(); // a Kleinunternehmer: none
    expect(storeIdProblem('DE', { orgNumber: '11/111/11111', vatId: 'DE12345678' })).toBe('vatId "DE12345678": a German USt-IdNr. is DE and 9 digits (e.g. DE123456789)');
    for (const vat of ['GB123456789', 'GB 123 4567 89', 'GB123456789001', 'GBGD001', 'GBHA500']) expect(storeIdProblem('GB', { orgNumber: '00000000', vatId: vat }), vat).toBeNull();
    expect(storeIdProblem('GB', { orgNumber: '00000000', vatId: 'GB1234567890' })).toBe('vatId "GB1234567890": a British VAT number is GB and 9 or 12 digits (e.g. GB123456789)');
  });
});
