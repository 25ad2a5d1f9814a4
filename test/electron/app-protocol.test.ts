/** kassa://app: the built renderer served by the main process — only its own files, with the strict CSP. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFileKey, loadAppFiles, mimeType, respondToAppRequest, type AppFile } from '../../electron/main/app-protocol';
import { tempDir } from '../helpers/tmp';

const tmp = tempDir('kassa-app-protocol-');
const root = join(tmp.dir, 'renderer');
let files: Map<string, AppFile>;

beforeAll(() => {
  mkdirSync(join(root, 'assets', 'fonts'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Kassa</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.SVG'), '<svg/>');
  writeFileSync(join(root, 'assets', 'fonts', 'inter.woff2'), Buffer.from([1, 2, 3]));
  writeFileSync(join(root, 'assets', 'has space.png'), Buffer.from([137, 80]));
  writeFileSync(join(root, 'notes.md'), 'an unserved type');
  writeFileSync(join(root, '.env'), 'SECRET=1');
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git', 'config.json'), '{}');
  // Outside the folder, and links from inside the folder to it.
  writeFileSync(join(tmp.dir, 'secret.json'), '{"secret":true}');
  symlinkSync(join(tmp.dir, 'secret.json'), join(root, 'assets', 'linked.json'));
  symlinkSync(tmp.dir, join(root, 'outside'));
  files = loadAppFiles(root);
});
afterAll(() => tmp.cleanup());

const get = (url: string, method = 'GET') => respondToAppRequest(files, { url, method }, 43123);
const text = (body: Uint8Array | null) => (body ? Buffer.from(body).toString('utf8') : null);

describe('app file index', () => {
  it('holds exactly the regular files of served types inside the folder: no links, hidden files or other types', () => {
    expect([...files.keys()].sort()).toEqual([
      '/assets/fonts/inter.woff2',
      '/assets/has space.png',
      '/assets/index-abc.css',
      '/assets/index-abc.js',
      '/assets/logo.SVG',
      '/index.html',
    ]);
  });

  it('is empty for a missing folder, and then says the UI is not built', () => {
    const none = loadAppFiles(join(tmp.dir, 'no-such-dir'));
    expect(none.size).toBe(0);
    const r = respondToAppRequest(none, { url: 'kassa://app/', method: 'GET' }, 1);
    expect(r.status).toBe(404);
    expect(text(r.body)).toMatch(/not built/);
  });
});

describe('appFileKey', () => {
  it.each([
    ['kassa://app/', '/index.html'],
    ['kassa://app', '/index.html'],
    ['kassa://app/?view=customer', '/index.html'],
    ['kassa://app/#token=x', '/index.html'],
    ['kassa://app/index.html', '/index.html'],
    ['kassa://app/assets/index-abc.js?v=3#x', '/assets/index-abc.js'],
    ['kassa://app/assets/has%20space.png', '/assets/has space.png'],
    // dot segments are resolved by the URL parser and cannot climb above the root
    ['kassa://app/../../etc/passwd', '/etc/passwd'],
    ['kassa://app/assets/%2e%2e/%2E%2e/%2e%2e/etc/passwd', '/etc/passwd'],
    ['kassa://app/assets/./index-abc.js', '/assets/index-abc.js'],
  ])('%s → %s', (url, key) => {
    expect(appFileKey(url)).toBe(key);
  });

  it.each([
    ['an encoded slash', 'kassa://app/..%2f..%2fetc%2fpasswd'],
    ['an encoded backslash', 'kassa://app/..%5c..%5cetc%5cpasswd'],
    ['a backslash', 'kassa://app/assets\\..\\..\\secret.json'],
    ['encoded dots and an encoded slash', 'kassa://app/%2e%2e%2fsecret.json'],
    ['a hidden file', 'kassa://app/.env'],
    ['an encoded hidden file', 'kassa://app/%2eenv'],
    ['a NUL byte', 'kassa://app/index.html%00.png'],
    ['malformed percent-encoding', 'kassa://app/%E0%A4%A'],
    ['an empty segment', 'kassa://app/assets//index-abc.js'],
    ['a folder', 'kassa://app/assets/'],
    ['another host', 'kassa://evil/index.html'],
    ['a port', 'kassa://app:1/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ["the core's origin", 'http://127.0.0.1:43123/index.html'],
    ['not a URL', '::'],
  ])('refuses %s', (_name, url) => {
    expect(appFileKey(url)).toBeNull();
  });
});

describe('respondToAppRequest', () => {
  it('serves index.html for / (also with a query) with the strict CSP for the core port', () => {
    for (const url of ['kassa://app/', 'kassa://app/?view=customer', 'kassa://app/index.html']) {
      const r = get(url);
      expect(r.status).toBe(200);
      expect(r.headers['Content-Type']).toBe('text/html; charset=utf-8');
      expect(text(r.body)).toContain('<title>Kassa</title>');
      expect(r.headers['Content-Security-Policy']).toContain('connect-src ws://127.0.0.1:43123;');
      expect(r.headers['Content-Security-Policy']).toContain("script-src 'self';");
      expect(r.headers['X-Content-Type-Options']).toBe('nosniff');
    }
  });

  it('serves assets with their MIME types', () => {
    expect(get('kassa://app/assets/index-abc.js?v=1').headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(get('kassa://app/assets/index-abc.css').headers['Content-Type']).toBe('text/css; charset=utf-8');
    expect(get('kassa://app/assets/logo.SVG').headers['Content-Type']).toBe('image/svg+xml');
    const font = get('kassa://app/assets/fonts/inter.woff2');
    expect(font.headers['Content-Type']).toBe('font/woff2');
    expect(font.headers['Content-Length']).toBe('3');
    expect([...(font.body ?? [])]).toEqual([1, 2, 3]);
  });

  it.each([
    'kassa://app/../secret.json',
    'kassa://app/assets/%2e%2e/%2e%2e/secret.json',
    'kassa://app/..%2fsecret.json',
    'kassa://app/%252e%252e/secret.json', // double-encoded: a literal "%2e%2e" folder, which does not exist
    'kassa://app/assets/linked.json',
    'kassa://app/outside/secret.json',
    'kassa://app/.env',
    'kassa://app/.git/config.json',
    'kassa://app/notes.md',
    'kassa://app/missing.js',
    'kassa://app/assets/',
    'kassa://app/assets',
    'kassa://other/index.html',
  ])('404 for %s', (url) => {
    const r = get(url);
    expect(r.status).toBe(404);
    expect(text(r.body)).toBe('Not found');
    expect(r.headers['Content-Security-Policy']).toBeDefined();
  });

  it('HEAD has no body; other methods are refused', () => {
    const head = get('kassa://app/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    const post = get('kassa://app/', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.Allow).toBe('GET, HEAD');
  });

  it('without a core yet, the page may connect nowhere', () => {
    expect(respondToAppRequest(files, { url: 'kassa://app/', method: 'GET' }, null).headers['Content-Security-Policy']).toContain("connect-src 'none'");
  });
});

describe('mimeType', () => {
  it('knows the app’s types, case-insensitively, and nothing else', () => {
    expect(mimeType('a.HTML')).toBe('text/html; charset=utf-8');
    expect(mimeType('a.mjs')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('a.exe')).toBeNull();
    expect(mimeType('Makefile')).toBeNull();
  });
});
