/** Keyboard-wedge detection: a scanner's keystrokes against a person's, with the configured timing. */
import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../renderer/src/wedge';

const typed = (d: WedgeDetector, gaps: number[]) => {
  let t = 1000;
  d.key(t);
  for (const g of gaps) d.key((t += g));
};

describe('keyboard wedge detection', () => {
  it('a 13-digit code with every keystroke within 30 ms is a scan', () => {
    const d = new WedgeDetector({ maxKeyGapMs: 30, minLength: 4 });
    typed(d, new Array(12).fill(8));
    expect(d.finish(13)).toBe('wedge');
  });

  it('one pause anywhere means a person (a fast typist averages fast, but pauses)', () => {
    const d = new WedgeDetector({ maxKeyGapMs: 30, minLength: 4 });
    typed(d, [5, 5, 5, 5, 5, 200, 5, 5, 5, 5, 5, 5]);
    expect(d.finish(13)).toBe('keyboard');
  });

  it('only the keystrokes of the code count: slow typing before it does not spoil a scan', () => {
    const d = new WedgeDetector({ maxKeyGapMs: 30, minLength: 4 });
    typed(d, [400, 400, 400, 10, 10, 10, 10, 10, 10, 10]);
    expect(d.finish(8)).toBe('wedge');
  });

  it('shorter than the minimum, or fewer keystrokes seen than characters (pasted), is not a scan', () => {
    const d = new WedgeDetector({ maxKeyGapMs: 30, minLength: 6 });
    typed(d, [5, 5, 5, 5]);
    expect(d.finish(5)).toBe('keyboard');
    typed(d, [5, 5]);
    expect(d.finish(8)).toBe('keyboard');
  });

  it('follows the timing from the device configuration', () => {
    const d = new WedgeDetector({ maxKeyGapMs: 30, minLength: 4 });
    typed(d, [45, 45, 45, 45, 45]);
    expect(d.finish(6)).toBe('keyboard');
    d.setTiming({ maxKeyGapMs: 60, minLength: 4 });
    typed(d, [45, 45, 45, 45, 45]);
    expect(d.finish(6)).toBe('wedge');
  });
});

describe('a scan caught at an Enter no entry field takes (a modal button has the focus)', () => {
  const keys = (d: WedgeDetector, n: number, start: number, gap: number): number => {
    let t = start;
    for (let i = 0; i < n; i++) d.key((t += gap));
    return t;
  };

  it('an Enter right after a scanner typed a code ends a scan', () => {
    const d = new WedgeDetector({ maxKeyGapMs: 30, minLength: 4 });
    const last = keys(d, 13, 1000, 5);
    expect(d.scanEndsAt(last + 5)).toBe(true);
    expect(d.scanEndsAt(last + 10)).toBe(false); // used up: a second Enter is a person's
  });

  it('only the unbroken run before the Enter counts: slow keys before it neither spoil nor make a scan', () => {
    const d = new WedgeDetector({ maxKeyGapMs: 30, minLength: 4 });
    let last = keys(d, 2, 1000, 200);
    last = keys(d, 13, last + 500, 8);
    expect(d.scanEndsAt(last + 8)).toBe(true);
    last = keys(d, 6, 5000, 200);
    last = keys(d, 2, last, 8); // the last slow key and two fast ones: a run of three, fewer than the minimum
    expect(d.scanEndsAt(last + 8)).toBe(false);
  });

  it('a person pressing Enter is not a scan: alone, after a pause, after slow typing or a short burst', () => {
    const d = new WedgeDetector({ maxKeyGapMs: 30, minLength: 4 });
    expect(d.scanEndsAt(1000)).toBe(false);
    let last = keys(d, 13, 1000, 5);
    expect(d.scanEndsAt(last + 300)).toBe(false); // the Enter came late
    last = keys(d, 4, 5000, 150);
    expect(d.scanEndsAt(last + 5)).toBe(false);
    last = keys(d, 3, 9000, 5);
    expect(d.scanEndsAt(last + 5)).toBe(false); // shorter than the minimum
  });
});

describe('focus rule', () => {
  it('keystrokes are left alone when another text field has the focus, not when a button or the entry has it', async () => {
    const { otherTextFieldFocused } = await import('../../renderer/src/wedge');
    const entry = { tagName: 'INPUT', type: 'text' };
    const el = (tagName: string, type = '', isContentEditable = false) => ({ tagName, type, isContentEditable });
    expect(otherTextFieldFocused(entry, entry)).toBe(false);
    expect(otherTextFieldFocused(el('INPUT', 'text'), entry)).toBe(true);
    expect(otherTextFieldFocused(el('INPUT', 'password'), entry)).toBe(true);
    expect(otherTextFieldFocused(el('TEXTAREA'), entry)).toBe(true);
    expect(otherTextFieldFocused(el('DIV', '', true), entry)).toBe(true);
    expect(otherTextFieldFocused(el('BUTTON'), entry)).toBe(false);
    expect(otherTextFieldFocused(el('INPUT', 'checkbox'), entry)).toBe(false);
    expect(otherTextFieldFocused(null, entry)).toBe(false);
  });
});

describe('approvals', () => {
  it('the UI offers a supervisor approval for exactly the commands the protocol lets carry one', async () => {
    const { CommandSchema, STORE_IT_COMMANDS } = await import('../../protocol/terminal');
    const { APPROVABLE_COMMANDS } = await import('../../renderer/src/approval');
    const opts = (CommandSchema as unknown as { options: Array<{ shape: Record<string, unknown> }> }).options;
    // Store IT's commands carry the IT number and PIN, asked for by the service screen itself.
    const itOnly: readonly string[] = STORE_IT_COMMANDS;
    const fromSchema = opts.filter((o) => 'approval' in o.shape && !itOnly.includes((o.shape.cmd as { value: string }).value)).map((o) => (o.shape.cmd as { value: string }).value);
    expect([...APPROVABLE_COMMANDS].sort()).toEqual(fromSchema.sort());
  });
});
