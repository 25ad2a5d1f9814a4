/** Store IT's log ring: the last lines, filtered on request, and nothing secret or card-like kept. */
import { describe, expect, it } from 'vitest';
import { LogRing, redact } from '../../../core/it/log';

describe('redact', () => {
  it('masks card numbers (Luhn-valid 13–19 digit runs, spaced or not) down to the last four', () => {
    expect(redact('card 4111111111111111 approved')).toBe('card ************1111 approved');
    expect(redact('pan 4111 1111 1111 1111.')).toBe('pan ************1111.');
    expect(redact('5555-5555-5555-4444')).toBe('************4444');
    // EAN-13 barcodes that fail the Luhn check, short numbers and timestamps stay readable.
    expect(redact('item not found: 7310865004703')).toBe('item not found: 7310865004703');
    // An EAN-13 that also passes the Luhn check stays readable; the same digits grouped like a card are masked.
    expect(redact('scan 7310865000125 sold')).toBe('scan 7310865000125 sold');
    expect(redact('pan 7310 8650 0012 5')).toBe('pan *********0125');
    expect(redact('2025-01-31T10:00:00.000Z took 1234 ms')).toBe('2025-01-31T10:00:00.000Z took 1234 ms');
  });

  it('masks token=, pin: and JSON secret values, bearer credentials, URL passwords and PEM keys', () => {
    expect(redact('GET /api?token=abcDEF123_-xyz&x=1')).toBe('GET /api?token=[redacted]&x=1');
    expect(redact('operator 7 pin: 1234')).toBe('operator 7 pin: [redacted]');
    expect(redact('{"operator":"7","pin":"1234","apiKey":"k"}')).toBe('{"operator":"7","pin":"[redacted]","apiKey":"[redacted]"}');
    expect(redact('{"token": "s3cr3t", "n": 2}')).toBe('{"token": "[redacted]", "n": 2}');
    expect(redact('Authorization: Bearer eyJhbGciOi.abc.def')).not.toMatch(/eyJhbGciOi/);
    expect(redact('replicating to https://kassa:hunter2@hq.example/ now')).toBe('replicating to https://kassa:[redacted]@hq.example/ now');
    expect(redact('-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----')).toBe('[redacted key]');
    // Words that merely contain one of these stay as they are.
    expect(redact('keyboard wedge: scans are keystrokes ≤ 30 ms apart')).toBe('keyboard wedge: scans are keystrokes ≤ 30 ms apart');
  });
});

describe('LogRing', () => {
  it('keeps the last lines, redacted, with their time; filters case-insensitively', () => {
    let t = Date.parse('2025-03-01T08:00:00Z');
    const ring = new LogRing(3, () => new Date((t += 1000)));
    const passed: string[] = [];
    const log = ring.tee((l) => passed.push(l));
    log('printer: paper out');
    log('payment terminal: token=abc123');
    log('scale: answering');
    log('Printer: ready');
    expect(ring.total).toBe(3);
    expect(ring.truncated).toBe(true);
    expect(ring.lines().map((l) => l.text)).toEqual(['payment terminal: token=[redacted]', 'scale: answering', 'Printer: ready']);
    expect(ring.lines('PRINTER').map((l) => l.text)).toEqual(['Printer: ready']);
    expect(ring.lines()[0]!.at).toBe('2025-03-01T08:00:02.000Z');
    // What goes on (stderr) is the redacted line too.
    expect(passed[1]).toBe('payment terminal: token=[redacted]');
    expect(ring.text().split('\n')[0]).toBe('2025-03-01T08:00:02.000Z payment terminal: token=[redacted]');
  });

  it('holds 2,000 lines by default and cuts very long ones', () => {
    const ring = new LogRing();
    for (let i = 0; i < 2_500; i++) ring.push(`line ${i}`);
    expect(ring.total).toBe(2_000);
    expect(ring.lines()[0]!.text).toBe('line 500');
    expect(ring.push('x'.repeat(10_000)).text.length).toBe(2_000);
  });
});
