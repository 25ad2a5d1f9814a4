import { describe, expect, it } from 'vitest';
import { CONNECTION_SWITCH, decodeConnectionArg, encodeConnectionArg } from '../../electron/connection';
import { contentSecurityPolicy, isBlockedShortcut, isCoreUrl, withCsp, type KeyInput } from '../../electron/policy';

const connection = { url: 'ws://127.0.0.1:43123/api', token: 'abcDEF0123456789_-abcDEF0123456789_-abcDEF0' };
const encodeRaw = (value: unknown): string => CONNECTION_SWITCH + Buffer.from(JSON.stringify(value)).toString('base64url');

describe('connection switch', () => {
  it('round-trips, matching Node base64url', () => {
    const arg = encodeConnectionArg(connection);
    expect(arg).toBe(encodeRaw(connection));
    expect(decodeConnectionArg(['/usr/bin/electron', '--type=renderer', arg, '--other'])).toEqual(connection);
  });

  it('drops unknown fields', () => {
    expect(decodeConnectionArg([encodeRaw({ ...connection, extra: 'x' })])).toEqual(connection);
  });

  it.each([
    ['missing', []],
    ['empty', [CONNECTION_SWITCH]],
    ['not base64url', [CONNECTION_SWITCH + 'a+b/c==']],
    ['not JSON', [CONNECTION_SWITCH + Buffer.from('nope').toString('base64url')]],
    ['another host', [encodeRaw({ ...connection, url: 'ws://evil.example:80/api' })]],
    ['a short token', [encodeRaw({ ...connection, token: 'short' })]],
    ['too long', [CONNECTION_SWITCH + 'A'.repeat(2000)]],
  ])('rejects %s', (_name, argv) => {
    expect(decodeConnectionArg(argv)).toBeNull();
  });
});

describe('policy', () => {
  it('recognises only the core origin', () => {
    expect(isCoreUrl('http://127.0.0.1:5000/index.html?x#y', 5000)).toBe(true);
    expect(isCoreUrl('http://127.0.0.1:5001/', 5000)).toBe(false);
    expect(isCoreUrl('http://localhost:5000/', 5000)).toBe(false);
    expect(isCoreUrl('https://127.0.0.1:5000/', 5000)).toBe(false);
    expect(isCoreUrl('file:///etc/passwd', 5000)).toBe(false);
    expect(isCoreUrl('not a url', 5000)).toBe(false);
    expect(isCoreUrl('http://127.0.0.1:5000/', null)).toBe(false);
  });

  it('builds the CSP with the core WebSocket', () => {
    expect(contentSecurityPolicy(5000)).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self' ws://127.0.0.1:5000; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('adds the CSP beside any policy the server sent', () => {
    expect(withCsp(undefined, 'P')).toEqual({ 'Content-Security-Policy': ['P'] });
    expect(withCsp({ 'content-security-policy': ['S'], 'X-A': ['1'] }, 'P')).toEqual({
      'content-security-policy': ['S', 'P'],
      'X-A': ['1'],
    });
  });

  const key = (k: string, code: string, mods: Partial<KeyInput> = {}): KeyInput => ({
    key: k, code, control: false, meta: false, shift: false, alt: false, ...mods,
  });

  it.each([
    key('F5', 'F5'),
    key('F12', 'F12'),
    key('r', 'KeyR', { control: true }),
    key('R', 'KeyR', { control: true, shift: true }),
    key('r', 'KeyR', { meta: true }),
    key('I', 'KeyI', { control: true, shift: true }),
    key('ˆ', 'KeyI', { meta: true, alt: true }),
    key('+', 'Equal', { control: true, shift: true }),
    key('=', 'Equal', { control: true }),
    key('-', 'Minus', { control: true }),
    key('0', 'Digit0', { meta: true }),
    key('+', 'NumpadAdd', { control: true }),
  ])('blocks %o', (input) => {
    expect(isBlockedShortcut(input)).toBe(true);
  });

  it.each([
    key('r', 'KeyR'),
    key('0', 'Digit0'),
    key('-', 'Minus'),
    key('Enter', 'Enter'),
    key('i', 'KeyI', { control: true }),
    key('c', 'KeyC', { control: true }),
  ])('lets %o through', (input) => {
    expect(isBlockedShortcut(input)).toBe(false);
  });
});
