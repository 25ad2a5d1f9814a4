import { describe, expect, it } from 'vitest';
import { CONNECTION_SWITCH, decodeConnectionArg, encodeConnectionArg } from '../../electron/main/connection';
import { CORE_STATE_CHANNEL, createCoreStateRelay } from '../../electron/main/core-state';
import { APP_URL, contentSecurityPolicy, isAppUrl, isBlockedShortcut, isTrustedIpcPeer, withCsp, type IpcPeer, type KeyInput } from '../../electron/main/policy';
import type { CoreState } from '../../protocol/terminal/process';

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
  it('navigation: only the app origin, kassa://app', () => {
    expect(APP_URL).toBe('kassa://app/');
    expect(isAppUrl('kassa://app/')).toBe(true);
    expect(isAppUrl('kassa://app/index.html?view=customer#x')).toBe(true);
    expect(isAppUrl(new URL('kassa://app/assets/a.js'))).toBe(true);
    for (const url of [
      'kassa://evil/',
      'kassa://app.evil.example/',
      'kassa://app:8080/',
      'kassa://user:pw@app/',
      'kassa:app/',
      'evil://app/',
      'http://127.0.0.1:5000/', // the core's own origin: not where the kiosk's pages live
      'http://app/',
      'file:///etc/passwd',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('builds the CSP: connections only to the core WebSocket', () => {
    expect(contentSecurityPolicy(5000)).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src ws://127.0.0.1:5000; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    expect(contentSecurityPolicy(null)).toContain("connect-src 'none'");
    expect(contentSecurityPolicy(null)).not.toMatch(/unsafe-eval|\*/);
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
    // the lane's own keys: F5 discount, F11 cancel, F12 gift card, …
    ...Array.from({ length: 12 }, (_, i) => key(`F${i + 1}`, `F${i + 1}`)),
    key('F5', 'F5', { shift: true }),
    key('F12', 'F12', { control: true, shift: true }),
    key('Escape', 'Escape'),
    key('ArrowUp', 'ArrowUp'),
    key('ArrowDown', 'ArrowDown'),
    key('ArrowLeft', 'ArrowLeft'),
    key('ArrowRight', 'ArrowRight'),
    key('Tab', 'Tab'),
    key('Backspace', 'Backspace'),
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

describe('IPC peers', () => {
  const ours = new Set([3, 4]);
  const peer = (p: Partial<IpcPeer> = {}): IpcPeer => ({ frameUrl: 'kassa://app/?view=customer', isMainFrame: true, contentsId: 3, ...p });

  it('trusts the top frame of one of our windows showing the app', () => {
    expect(isTrustedIpcPeer(peer(), ours)).toBe(true);
    expect(isTrustedIpcPeer(peer({ contentsId: 4, frameUrl: 'kassa://app/' }), ours)).toBe(true);
  });

  it.each([
    ['no frame (navigated away or destroyed)', null],
    ['a frame whose URL is gone', peer({ frameUrl: null })],
    ['an iframe', peer({ isMainFrame: false })],
    ['a webContents that is not one of our windows', peer({ contentsId: 9 })],
    ['another origin', peer({ frameUrl: 'https://evil.example/' })],
    ["the core's HTTP origin", peer({ frameUrl: 'http://127.0.0.1:5000/' })],
    ['a page not loaded yet', peer({ frameUrl: '' })],
  ])('refuses %s', (_name, p) => {
    expect(isTrustedIpcPeer(p, ours)).toBe(false);
  });
});

describe('core state relay (preload)', () => {
  const restarting: CoreState = { state: 'restarting', attempt: 2, retryInMs: 500 };
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('uses one channel', () => {
    expect(CORE_STATE_CHANNEL).toBe('kassa:core-state');
  });

  it('passes valid states to every listener, each its own copy, and drops unknown fields', () => {
    const relay = createCoreStateRelay();
    const a: CoreState[] = [];
    const b: CoreState[] = [];
    relay.subscribe((s) => {
      a.push(s);
      (s as { state: string }).state = 'tampered';
    });
    relay.subscribe((s) => b.push(s));
    expect(relay.receive({ ...restarting, extra: 'x' })).toBe(true);
    expect(b).toEqual([restarting]);
    expect(a).toHaveLength(1);
  });

  it.each([
    ['not an object', 'ready'],
    ['an unknown state', { state: 'exploded', attempt: 0, retryInMs: null }],
    ['a negative attempt', { state: 'ready', attempt: -1, retryInMs: null }],
    ['a fractional delay', { state: 'restarting', attempt: 1, retryInMs: 2.5 }],
    ['a missing delay', { state: 'starting', attempt: 0 }],
  ])('drops %s', (_name, payload) => {
    const logs: string[] = [];
    const relay = createCoreStateRelay((m) => logs.push(m));
    const seen: CoreState[] = [];
    relay.subscribe((s) => seen.push(s));
    expect(relay.receive(payload)).toBe(false);
    expect(seen).toEqual([]);
    expect(logs).toEqual(['ignored an invalid core state message']);
  });

  it('gives a late subscriber the last state (asynchronously), then the next ones; unsubscribing stops them', async () => {
    const relay = createCoreStateRelay();
    relay.receive({ state: 'starting', attempt: 0, retryInMs: null });
    relay.receive(restarting);
    const seen: CoreState[] = [];
    const off = relay.subscribe((s) => seen.push(s));
    expect(seen).toEqual([]); // not inside subscribe()
    await flush();
    expect(seen).toEqual([restarting]);
    relay.receive({ state: 'ready', attempt: 2, retryInMs: null });
    off();
    relay.receive({ state: 'restarting', attempt: 3, retryInMs: 1000 });
    expect(seen.map((s) => s.state)).toEqual(['restarting', 'ready']);
  });

  it('a throwing listener does not stop the others; a non-function is refused', () => {
    const logs: string[] = [];
    const relay = createCoreStateRelay((m) => logs.push(m));
    const seen: CoreState[] = [];
    relay.subscribe(() => {
      throw new Error('boom');
    });
    relay.subscribe((s) => seen.push(s));
    relay.receive(restarting);
    expect(seen).toEqual([restarting]);
    expect(logs).toEqual(['core state listener failed: boom']);
    expect(() => relay.subscribe('x' as unknown as () => void)).toThrow(TypeError);
  });
});
