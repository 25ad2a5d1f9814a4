/**
 * The core's recent log lines for store IT's log viewer and the diagnostics bundle: a ring buffer
 * of the last lines, each redacted before it is kept. No line the core logs is meant to carry card
 * data or secrets; the redaction is the second line of defence.
 */
import { systemClock, type Clock } from '../clock';
import { isValidGtin } from '../../protocol/gtin';

export interface LogLine {
  at: string;
  text: string;
}

export const LOG_RING_SIZE = 2_000;
/** Longest line kept (a stack trace is cut here). */
export const LOG_LINE_MAX = 2_000;

/** Luhn check over a string of digits (card numbers pass it). */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const SECRET_WORDS = 'token|pin|pins|pin_hash|pinhash|password|passwd|pass|secret|apikey|api_key|key|private_key|privatekey|authorization|auth|signature|badge|cvv|cvc|pan|track2|cardnumber|card_number';

/**
 * Masks what must not reach a log: card-number-like digit runs (13–19 digits, spaces or dashes
 * allowed, passing the Luhn check; the last four stay), `token=…`-style and JSON `"pin": "…"` values,
 * bearer credentials, the password in a URL, and PEM blocks.
 */
export function redact(text: string): string {
  let out = text;
  out = out.replace(/-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g, '[redacted key]');
  out = out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]');
  out = out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)([^\s/:@]+):([^\s/@]+)@/gi, '$1$2:[redacted]@');
  // key=value, key: value (not for a word that only ends in one of these, e.g. "keyboard").
  out = out.replace(new RegExp(`\\b(${SECRET_WORDS})(\\s*[=:]\\s*)(?!\\[redacted\\])("[^"]*"|'[^']*'|[^\\s&,;)\\]}]+)`, 'gi'), '$1$2[redacted]');
  // JSON: "token":"…", "pin": 1234
  out = out.replace(new RegExp(`("(?:${SECRET_WORDS})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|[0-9]+)`, 'gi'), '$1"[redacted]"');
  out = out.replace(/(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g, (run) => {
    const digits = run.replace(/[ -]/g, '');
    if (digits.length < 13 || digits.length > 19 || !luhn(digits)) return run;
    // A product barcode (GTIN-13, written without separators) is not a card number: 13-digit card
    // numbers are no longer issued, and a tenth of all EAN-13 codes happen to pass the Luhn check.
    if (digits.length === 13 && run === digits && isValidGtin(digits)) return run;
    return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  });
  return out;
}

/** The last `size` log lines, redacted and cut to a sane length. */
export class LogRing {
  private readonly buf: LogLine[] = [];
  private dropped = 0;

  constructor(
    private readonly size = LOG_RING_SIZE,
    private readonly now: Clock = systemClock,
  ) {}

  push(text: string): LogLine {
    const line = { at: this.now().toISOString(), text: redact(text.length > LOG_LINE_MAX * 2 ? text.slice(0, LOG_LINE_MAX * 2) : text).slice(0, LOG_LINE_MAX) };
    this.buf.push(line);
    if (this.buf.length > this.size) {
      this.buf.splice(0, this.buf.length - this.size);
      this.dropped++;
    }
    return line;
  }

  /** The kept lines, oldest first; with a filter only those containing it (case-insensitive). */
  lines(filter?: string): LogLine[] {
    const f = filter?.trim().toLowerCase();
    return f ? this.buf.filter((l) => l.text.toLowerCase().includes(f)) : [...this.buf];
  }

  get total(): number {
    return this.buf.length;
  }

  /** Whether older lines were dropped (the ring was full). */
  get truncated(): boolean {
    return this.dropped > 0;
  }

  /** A log function that keeps each line here (redacted) and passes the redacted line on. */
  tee(next: (line: string) => void): (line: string) => void {
    return (line) => next(this.push(line).text);
  }

  /** The buffer as text, one line each: `time text`. */
  text(): string {
    return this.buf.map((l) => `${l.at} ${l.text}`).join('\n') + (this.buf.length ? '\n' : '');
  }
}
