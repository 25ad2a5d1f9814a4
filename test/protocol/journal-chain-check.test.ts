/**
 * The chain check's key ring (issue 19.3, protocol/journal-chain-check.ts): a reflashed till's
 * chain moves to its new key only at a `terminal.recovered` entry signed with it that names the key
 * before it and the entry it continues from; a retired key never signs after that.
 */
import { describe, expect, it } from 'vitest';
import { checkChain, journalKey, type KeyRing } from '../../protocol/journal-chain-check';
import { journalSigner, TestChain } from '../helpers/chain-pieces';

const k0 = journalSigner();
const k1 = journalSigner();
const keys = [journalKey(k0.raw), journalKey(k1.raw)];
const ring = (from: number, exact?: boolean): KeyRing => ({ keys, from, exact });

/** Three sales with the first key, the switch, two with the new one (entries 1–3, 4, 5–6). */
function reflashed(over?: Record<string, unknown>): TestChain {
  const c = new TestChain(k0.signer);
  c.sell(3);
  c.signWith(k1.signer);
  c.recovered(k0.signer, over);
  c.sell(2);
  return c;
}

describe('checkChain with a key ring', () => {
  it('one key as before: keyIndex 0', () => {
    const c = new TestChain(k0.signer);
    c.sell(2);
    expect(checkChain(c.batch(1, 2), keys[0]!, false)).toMatchObject({ ok: true, head: { seq: 2 }, keyIndex: 0 });
    expect(checkChain(c.batch(1, 2), keys[1]!, false)).toMatchObject({ ok: false, reason: expect.stringMatching(/not the terminal's enrolled key/) });
  });

  it('moves to the next key at a terminal.recovered entry, within a piece or at its start', () => {
    const c = reflashed();
    expect(checkChain(c.batch(3, 5), ring(0, true), false)).toMatchObject({ ok: true, from: { seq: 2 }, head: { seq: 6 }, keyIndex: 1 });
    expect(checkChain(c.batch(1, 5), ring(0), false)).toMatchObject({ ok: true, keyIndex: 1 });
    // The piece starting at the switch itself (the last old entry was a sale), checked against the key before.
    expect(checkChain(c.batch(4, 5), ring(0, true), false)).toMatchObject({ ok: true, from: { seq: 3 }, keyIndex: 1 });
    expect(checkChain(c.batch(4, 5), ring(0), false)).toMatchObject({ ok: true, keyIndex: 1 });
    // Old pieces stay in the old key; once the switch lies before a piece, only the new key may sign it.
    expect(checkChain(c.batch(1, 3), ring(0, true), false)).toMatchObject({ ok: true, keyIndex: 0 });
    expect(checkChain(c.batch(5, 5), ring(1), false)).toMatchObject({ ok: true, keyIndex: 1 });
    expect(checkChain(c.batch(1, 3), ring(1), false)).toMatchObject({ ok: false, reason: expect.stringMatching(/which the terminal retired before this entry/) });
  });

  it('refuses a new key without the recovered entry, and a recovered entry that names another key or entry', () => {
    const c = new TestChain(k0.signer);
    c.sell(3);
    c.signWith(k1.signer);
    c.sell(2);
    expect(checkChain(c.batch(3, 5), ring(0), false)).toMatchObject({ ok: false, reason: expect.stringMatching(/a key takes over only at a terminal\.recovered entry$/) });
    // Where the receiver knows the entry before the piece is in the old key, the piece must start in it.
    expect(checkChain(c.batch(4, 5), ring(0, true), false)).toMatchObject({ ok: false, reason: expect.stringMatching(/a key takes over only at a terminal\.recovered entry$/) });
    // Where it cannot tell (a later batch landing first), a piece in the new key alone passes.
    expect(checkChain(c.batch(4, 5), ring(0), false)).toMatchObject({ ok: true, keyIndex: 1 });
    for (const over of [{ previousKeyId: k1.signer.keyId }, { through: { seq: 2, hash: 'ab'.repeat(32) } }, { through: { seq: 3, hash: 'ab'.repeat(32) } }]) {
      const bad = reflashed(over);
      expect(checkChain(bad.batch(3, 5), ring(0), false)).toMatchObject({ ok: false, reason: 'journal entry 4 (terminal.recovered) does not name the key and entry it continues from' });
      expect(checkChain(bad.batch(4, 5), ring(0), false)).toMatchObject({ ok: false, reason: 'journal entry 4 (terminal.recovered) does not name the key and entry it continues from' });
    }
  });

  it('a retired key cannot continue the chain after the switch', () => {
    const c = reflashed();
    c.signWith(k0.signer);
    c.sell(1);
    expect(checkChain(c.batch(3, 6), ring(0), false)).toMatchObject({ ok: false, reason: expect.stringMatching(/^journal entry 7 is signed with key \w+, which the terminal retired at an earlier entry/) });
  });

  it('verifies each key’s part: the old key’s last entry before the switch and the switch entry itself', () => {
    const c = reflashed();
    const forged = c.batch(3, 5);
    forged.sales[0]!.entry!.signature = Buffer.alloc(64, 7).toString('base64');
    expect(checkChain(forged, ring(0), false)).toMatchObject({ ok: false, reason: "journal entry 3's signature does not verify with the terminal's earlier key" });
    const switched = c.batch(3, 5);
    switched.links![0]!.signature = Buffer.alloc(64, 7).toString('base64');
    expect(checkChain(switched, ring(0), false)).toMatchObject({ ok: false, reason: "journal entry 4's signature does not verify with the terminal's enrolled key" });
  });
});
