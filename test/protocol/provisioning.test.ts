/** The provisioning payload (protocol/provisioning.ts): the file's JSON and the typed/scanned code read alike; anything else is refused in words. */
import { describe, expect, it } from 'vitest';
import { PROVISION_PREFIX, provisioningCode, readProvisioning } from '../../protocol/provisioning';

const KEY = 'N2H1Xsm7VYVbCmipedkOf2C78KgF70xWoT9QyJoKBw4';
const GOOD = { hq: 'https://hq.example.com:8420', token: '-UNAVnF_VygbQY_DyFm00a0WWzD', catalogKeys: [KEY], store: 'store-8', lane: '3' };

describe('provisioning payload', () => {
  it('reads the file’s JSON and the code HQ prints alike, the prefix in any case, the code with padding or without', () => {
    expect(readProvisioning(JSON.stringify(GOOD))).toEqual({ ok: true, payload: GOOD });
    const code = provisioningCode(GOOD);
    expect(code.startsWith(PROVISION_PREFIX)).toBe(true);
    expect(code.slice(PROVISION_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(readProvisioning(code)).toEqual({ ok: true, payload: GOOD });
    expect(readProvisioning(`  ${code.replace('KASSA-PROVISION:', 'kassa-provision:')}==\n`)).toEqual({ ok: true, payload: GOOD });
    // store and lane are optional; a payload with non-ASCII survives the round trip.
    const minimal = { hq: 'http://10.0.0.2:8420/', token: 'a'.repeat(32) };
    expect(readProvisioning(provisioningCode(minimal))).toEqual({ ok: true, payload: minimal });
    expect(readProvisioning(provisioningCode({ ...minimal, store: 'Malmö-1' }))).toMatchObject({ ok: true, payload: { store: 'Malmö-1' } });
  });

  it('refuses what is not a provisioning payload, saying why', () => {
    const reason = (text: string) => {
      const r = readProvisioning(text);
      return r.ok ? 'accepted' : r.reason;
    };
    expect(reason('')).toMatch(/empty/);
    expect(reason('hello')).toMatch(/neither a provisioning.json nor a code/);
    expect(reason('KASSA-PROVISION:ab$c')).toMatch(/not base64url/);
    expect(reason('{"hq": "https://x", ')).toMatch(/not JSON/);
    expect(reason(JSON.stringify({ ...GOOD, hq: 'file:///etc/passwd' }))).toMatch(/^hq: .*http/);
    expect(reason(JSON.stringify({ ...GOOD, hq: 'javascript:alert(1)' }))).toMatch(/^hq: /);
    expect(reason(JSON.stringify({ ...GOOD, token: 'short' }))).toMatch(/^token: /);
    expect(reason(JSON.stringify({ ...GOOD, catalogKeys: ['not-a-key'] }))).toMatch(/^catalogKeys\.0: /);
    expect(reason(JSON.stringify({ ...GOOD, run: 'rm -rf /' }))).toMatch(/run|unrecognized/i);
    expect(reason(JSON.stringify({ ...GOOD, lane: 3 }))).toMatch(/^lane: /);
  });
});
