/**
 * HQ's `--issue-token STORE:LANE` for first-boot provisioning (hq/provisioning-code.ts): the bare
 * token line stays as it was; with `--with-hq-url` it prints the code and a QR code of it (UTF-8
 * blocks), writes the QR code as a PNG that a phone or scanner reads back (jsQR) and the stick's
 * provisioning.json; a bad URL or key is refused before any token is made.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { afterAll, describe, expect, it } from 'vitest';
import { readProvisioning } from '../../protocol/provisioning';
import { decodePng } from '../e2e/png';
import { tempDir } from '../helpers/tmp';

const tmp = tempDir('kassa-issue-token-');
afterAll(() => tmp.cleanup());
const KEY = 'N2H1Xsm7VYVbCmipedkOf2C78KgF70xWoT9QyJoKBw4';
const hq = (...args: string[]) => spawnSync(process.execPath, ['dist/hq/main.js', '--db', join(tmp.dir, 'hq.db'), ...args], { encoding: 'utf8' });

describe('hq --issue-token for first-boot provisioning', () => {
  it('prints the bare token line as before without the new flags', () => {
    const r = hq('--issue-token', 'store-1:2');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^[A-Za-z0-9_-]{32}\n$/);
  });

  it('with --with-hq-url: the token line first, then the code, its QR code in blocks, the PNG and the stick’s provisioning.json', () => {
    const png = join(tmp.dir, 'qr.png');
    const json = join(tmp.dir, 'provisioning.json');
    const r = hq('--issue-token', 'store-1:3', '--with-hq-url', 'https://hq.example.com', '--catalog-key', KEY, '--qr-png', png, '--provisioning-json', json);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const token = lines[0]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const code = lines.find((l) => l.startsWith('KASSA-PROVISION:'))!;
    const payload = { hq: 'https://hq.example.com', token, catalogKeys: [KEY], store: 'store-1', lane: '3' };
    expect(readProvisioning(code)).toEqual({ ok: true, payload });
    expect(r.stdout).toMatch(/[█▀▄]{20,}/);
    const img = decodePng(readFileSync(png));
    expect(jsQR(img.data, img.width, img.height)?.data).toBe(code);
    expect(readProvisioning(readFileSync(json, 'utf8'))).toEqual({ ok: true, payload });
  });

  it('refuses a URL that is not http(s) or a key that is not one, before making a token', () => {
    for (const bad of [['--with-hq-url', 'ftp://hq'], ['--with-hq-url', 'https://hq', '--catalog-key', 'short']]) {
      const r = hq('--issue-token', 'store-1:4', ...bad);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/hq: |catalogKeys/);
    }
    expect(hq('--issue-token', 'store-1:4', '--qr-png', join(tmp.dir, 'x.png')).stderr).toMatch(/go with --issue-token STORE:LANE --with-hq-url/);
  });
});
