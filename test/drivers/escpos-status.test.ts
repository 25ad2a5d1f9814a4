import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyDleEot, blockingFault, processIdRequest, statusFromAsb, statusFromDleEot, StatusStreamParser, UNKNOWN_STATUS } from '../../drivers/escpos/status';

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
