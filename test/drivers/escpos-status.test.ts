import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyDleEot, blockingFault, isAsbFrame, processIdRequest, statusFromAsb, statusFromDleEot, StatusStreamParser, UNKNOWN_STATUS } from '../../drivers/escpos/status';
import { StatusFilter } from '../../drivers/escpos/status-filter';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/shared/escpos/status.json', import.meta.url), 'utf8')) as {
  examples: Array<{ request: string; reply: string; meaning: string }>;
  replies_by_state: Record<string, string[] | string>;
  asb_by_state: Record<string, string>;
};
const hex = (s: string) => s.split(' ').map((x) => parseInt(x, 16));

describe('ESC/POS real-time status (DLE EOT)', () => {
  it('reads every fixture example', () => {
    const expectations: Record<string, Partial<ReturnType<typeof statusFromDleEot>>> = {
      'online, drawer pin 3 low': { online: true, drawerPin3High: false },
      offline: { online: false },
      'online, drawer pin 3 high': { online: true, drawerPin3High: true },
      'cover open': { coverOpen: true },
      'printing stopped by paper end': { paperOut: true },
      'paper near end': { paperNearEnd: true, paperOut: false },
      'paper present': { paperNearEnd: false, paperOut: false },
      'paper end (both the near-end and the end sensor report)': { paperNearEnd: true, paperOut: true },
    };
    for (const ex of fixture.examples) {
      const n = hex(ex.request)[2] as 1 | 2 | 3 | 4;
      const s = applyDleEot({ ...UNKNOWN_STATUS, online: true }, n, hex(ex.reply)[0]!);
      expect(s, ex.meaning).toMatchObject(expectations[ex.meaning]!);
    }
  });
  it('derives each printer state from its four replies', () => {
    const want: Record<string, string | null> = { none: null, paper_near_end: null, paper_out: 'paperOut', cover_open: 'coverOpen', offline: 'offline' };
    for (const [state, replies] of Object.entries(fixture.replies_by_state)) {
      if (!Array.isArray(replies) || state === 'columns') continue;
      const s = statusFromDleEot(...(replies.map((r) => parseInt(r, 16)) as [number, number, number, number]));
      expect(blockingFault(s), state).toBe(want[state]);
      expect(s.paperNearEnd, state).toBe(state === 'paper_near_end' || state === 'paper_out');
    }
  });
  it('refuses bytes that are not status replies', () => {
    expect(() => applyDleEot(UNKNOWN_STATUS, 1, 0x41)).toThrow(RangeError);
  });
});

describe('Automatic Status Back', () => {
  it('reads every fixture state', () => {
    const want: Record<string, Partial<ReturnType<typeof statusFromAsb>>> = {
      none: { online: true, paperOut: false, coverOpen: false, drawerPin3High: false, paperNearEnd: false },
      drawer_pin3_high: { drawerPin3High: true, online: true },
      paper_near_end: { paperNearEnd: true, paperOut: false },
      paper_out: { paperOut: true, online: false },
      cover_open: { coverOpen: true, online: false },
      offline: { online: false, coverOpen: false, paperOut: false },
    };
    for (const [state, frame] of Object.entries(fixture.asb_by_state)) expect(statusFromAsb(hex(frame)), state).toMatchObject(want[state]!);
  });
  it('splits a stream with XON/XOFF, real-time replies and garbage interleaved, across chunk boundaries', () => {
    const p = new StatusStreamParser();
    const events = [...p.push([0x11, 0x18, 0x00]), ...p.push([0x13, 0x0f, 0x00, 0x12, 0x41]), ...p.push(hex(fixture.asb_by_state.none!))];
    expect(events.map((e) => e.type)).toEqual(['asb', 'realtime', 'garbage', 'asb']);
    expect(events[0]).toMatchObject({ type: 'asb', status: { paperOut: true } });
    expect(events[3]).toMatchObject({ type: 'asb', status: { online: true, paperOut: false } });
  });
  it('GS ( H asks for a process ID response, which is read from the stream between status replies, across chunks', () => {
    // GS ( H pL pH fn m d1..d4 with pL = 6, pH = 0, fn = m = 48, d = four digits (30H-39H).
    expect([...processIdRequest('0427')]).toEqual([0x1d, 0x28, 0x48, 0x06, 0x00, 0x30, 0x30, 0x30, 0x34, 0x32, 0x37]);
    expect(() => processIdRequest('12a4')).toThrow(RangeError);
    const p = new StatusStreamParser();
    // 37H 22H d1..d4 00H, split across chunks, a real-time reply before and after it.
    const events = [...p.push([0x12, 0x37, 0x22, 0x30]), ...p.push([0x34, 0x32, 0x37, 0x00, 0x12])];
    expect(events).toEqual([{ type: 'realtime', byte: 0x12 }, { type: 'processId', id: '0427' }, { type: 'realtime', byte: 0x12 }]);
    // A broken one is garbage, not a confirmation.
    expect(p.push([0x37, 0x22, 0x30, 0x41]).map((e) => e.type)).toEqual(['garbage', 'garbage', 'garbage', 'garbage']);
  });
});

describe('only complete replies count', () => {
  it('an ASB frame needs all four bytes with their fixed bits (0xx1xx00, then 0xx0xxxx three times)', () => {
    expect(isAsbFrame(hex('18 00 0F 00'))).toBe(true);
    expect(isAsbFrame(hex('18 00 FF 00'))).toBe(false);
    expect(isAsbFrame(hex('18 10 0F 00'))).toBe(false);
    expect(isAsbFrame(hex('18 00 0F'))).toBe(false);
    expect(() => statusFromAsb(hex('18 00 8F 00'))).toThrow(RangeError);
  });
  it('a byte that only looks like an ASB start is garbage, and the stream is read on from the next byte', () => {
    const p = new StatusStreamParser();
    // 0x18 looks like the start of a "paper out" frame, but 0xFF cannot follow it; then a real reply and a real frame.
    const events = [...p.push(hex('18 00 FF 12')), ...p.push(hex('10 00 00 00'))];
    expect(events).toEqual([
      { type: 'garbage', byte: 0x18 },
      { type: 'garbage', byte: 0x00 },
      { type: 'garbage', byte: 0xff },
      { type: 'realtime', byte: 0x12 },
      { type: 'asb', status: expect.objectContaining({ online: true, paperOut: false }) },
    ]);
  });
});

describe('StatusFilter: which status to believe', () => {
  const ok = statusFromAsb(hex(fixture.asb_by_state.none!));
  const paperOut = statusFromAsb(hex(fixture.asb_by_state.paper_out!));
  let t = 0;
  const at = (ms = 50) => (t += ms);

  it('a single spurious reading changes nothing; the same reading twice in a row does', () => {
    const f = new StatusFilter();
    expect(f.reading(ok, at())).toBeNull();
    expect(f.reading(ok, at())).toEqual({ kind: 'status', status: ok });
    expect(f.reading(paperOut, at())).toBeNull(); // one stray "paper out" frame
    expect(f.reading(ok, at())).toBeNull();
    expect(f.reading(ok, at())).toEqual({ kind: 'status', status: ok });
    expect(f.reading(paperOut, at())).toBeNull(); // the paper really ran out: said twice
    expect(f.reading(paperOut, at())).toEqual({ kind: 'status', status: paperOut });
  });

  it('garbage between two readings breaks their repetition', () => {
    const f = new StatusFilter();
    expect(f.reading(paperOut, at())).toBeNull();
    expect(f.garbage(0xff, at(1))).toBeNull();
    expect(f.reading(paperOut, at())).toBeNull();
    expect(f.reading(paperOut, at())).toEqual({ kind: 'status', status: paperOut });
  });

  it('a burst of garbage makes the port unreadable, told once; good readings after the burst bring the status back', () => {
    const f = new StatusFilter({ burstBytes: 16, burstWindowMs: 2_000 });
    f.reading(ok, at());
    f.reading(ok, at());
    const verdicts = [];
    for (let i = 0; i < 15; i++) verdicts.push(f.garbage(0x41, at(10)));
    expect(verdicts.every((v) => v === null)).toBe(true); // fewer than 16: a little line noise
    expect(f.isUnreadable).toBe(false);
    expect(f.garbage(0xa7, at(10))).toEqual({ kind: 'unreadable', reason: 'not a printer / unreadable: 16 bytes that are no status reply within 2 s (last 0xa7)' });
    for (let i = 0; i < 1_000; i++) expect(f.garbage(i & 0xff, at(1))).toBeNull();
    // Two good readings while the burst is still within the window: not believed yet.
    expect(f.reading(ok, at(10))).toBeNull();
    expect(f.reading(ok, at(10))).toBeNull();
    expect(f.isUnreadable).toBe(true);
    at(2_000);
    expect(f.reading(ok, at())).toEqual({ kind: 'status', status: ok });
    expect(f.isUnreadable).toBe(false);
  });

  it('sparse line noise never makes a burst', () => {
    const f = new StatusFilter({ burstBytes: 16, burstWindowMs: 2_000 });
    for (let i = 0; i < 100; i++) expect(f.garbage(0x41, at(200))).toBeNull();
  });
});
