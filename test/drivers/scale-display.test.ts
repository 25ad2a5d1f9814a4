import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReply, ReplyFramer, weightForLine } from '../../drivers/scale/toledo8217/protocol';
import { encode, leftRight, twoLines } from '../../drivers/display/dmd';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/shared/scale/toledo8217.json', import.meta.url), 'utf8')) as {
  dialogues: Array<{ state: string; send: string; reply: string; kg?: string; net?: boolean }>;
};
const hex = (s: string) => s.split(' ').map((x) => parseInt(x, 16));

describe('Toledo 8217 scale replies', () => {
  const expected: Record<string, ReturnType<typeof weightForLine>> = {
    'stable 1250 g, no tare': { grams: 1250 },
    'tare 200 g, gross 1450 g': { grams: 1250 },
    unstable: { refused: 'inMotion' },
    '15001 g on a 15 kg scale': { refused: 'overCapacity' },
    '-100 g': { refused: 'underZero' },
    'tare 200 g, gross 100 g': { refused: 'underZero' },
    'tare 200 g, unstable 16000 g': { refused: 'overCapacity' },
    'stable 1250 g': { refused: 'invalid' },
    empty: { refused: 'zero' },
  };
  for (const d of fixture.dialogues.filter((x) => x.send === '57' || x.send === '58')) {
    it(`${d.state} → ${JSON.stringify(expected[d.state])}`, () => {
      const events = new ReplyFramer().push(hex(d.reply));
      expect(events).toHaveLength(1);
      const reply = (events[0] as { reply: ReturnType<typeof parseReply> }).reply;
      expect(weightForLine(reply)).toEqual(expected[d.state]);
      if (d.kg) expect(reply).toEqual({ kind: 'weight', grams: Math.round(Number(d.kg) * 1000), net: !!d.net });
      if (d.send === '58') expect(reply).toMatchObject({ kind: 'status', badCommand: true });
    });
  }
  it('reports garbage between frames and survives a frame cut short or too long', () => {
    const f = new ReplyFramer();
    const ev = f.push([0x41, 0x42, 0x02, 0x30, 0x31, 0x02, 0x30, 0x31, 0x2e, 0x32, 0x35, 0x30, 0x0d]);
    expect(ev.filter((e) => 'garbage' in e)).toHaveLength(2);
    expect(ev.filter((e) => 'reply' in e).map((e) => (e as { reply: { kind: string } }).reply.kind)).toEqual(['invalid', 'weight']);
    const long = f.push([0x02, ...new Array<number>(40).fill(0x30), 0x0d]);
    expect(long[0]).toEqual({ reply: { kind: 'invalid', reason: 'reply too long' } });
  });
});

describe('DM-D pole display', () => {
  it('clears, writes line 1, moves to row 2 and writes line 2, 20 columns each', () => {
    const bytes = [...twoLines('Mjölk', leftRight('TOTALT', '16,95'))];
    expect(bytes.slice(0, 1)).toEqual([0x0c]);
    expect(bytes.slice(1, 21)).toEqual([0x4d, 0x6a, 0x94, 0x6c, 0x6b, ...new Array<number>(15).fill(0x20)]);
    expect(bytes.slice(21, 25)).toEqual([0x1f, 0x24, 0x01, 0x02]);
    expect(String.fromCharCode(...bytes.slice(25))).toBe('TOTALT         16,95');
    expect(bytes).toHaveLength(45);
  });
  it('encodes Nordic and German letters and the euro sign in CP858; unknown characters become ?', () => {
    expect(encode('åäöÅÄÖüß€')).toEqual([0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x81, 0xe1, 0xd5]);
    expect(encode('😀')).toEqual([0x3f]);
  });
  it('cuts long names so the amount always shows', () => {
    expect(leftRight('Ekologisk mellanmjölk 1,5 % 1 l', '16,95')).toBe('Ekologisk mell 16,95');
  });
});
