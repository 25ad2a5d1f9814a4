/**
 * The app protocol: the built renderer (dist/renderer) served at kassa://app/ by the main process
 * (protocol.handle in main.ts). No Electron import here: the path rules, MIME types and headers are
 * unit-tested under plain Node.
 *
 * The folder is read once into memory at startup, so a request can only ever get one of the files
 * that were in it — whatever the URL says — and never another file on the disk. The URL's path is
 * checked besides (dot segments, encoded separators, hidden files), so a hostile URL is refused
 * before any lookup.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { contentSecurityPolicy, isAppUrl } from './policy';

/** File types the app consists of; a file of any other type in the folder is not served. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.txt': 'text/plain; charset=utf-8',
};

/** The MIME type for a file name, or null when the app does not serve that type. */
export function mimeType(name: string): string | null {
  return MIME_TYPES[extname(name).toLowerCase()] ?? null;
}

/**
 * The file a kassa://app URL asks for, as a key of the app's file index ("/assets/index-x.js"),
 * or null when the URL is not on kassa://app or its path is not a plain relative file path.
 * `/` is index.html; the query and fragment are ignored (`/?view=customer` is index.html).
 *
 * The URL parser already resolves `.` and `..` segments, also written `%2e`, so they cannot climb
 * above the root; after percent-decoding each segment, any segment that is empty, `.`/`..`, hidden
 * (starts with a dot), or contains a slash, backslash or control character is refused.
 */
export function appFileKey(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (!isAppUrl(u)) return null;
  if (u.pathname === '/' || u.pathname === '') return '/index.html';
  if (!u.pathname.startsWith('/')) return null;
  const segments: string[] = [];
  for (const raw of u.pathname.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null; // malformed percent-encoding
    }
    if (segment === '' || segment.startsWith('.') || /[/\\\u0000-\u001f\u007f]/.test(segment)) return null;
    segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

export interface AppFile {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

/**
 * Reads the built renderer into memory: every regular file of a served type below `root`, keyed
 * "/relative/path". Symbolic links are skipped (they could point anywhere), as are hidden files
 * and folders. A missing folder gives an empty index (every request is then a 404).
 */
export function loadAppFiles(root: string): Map<string, AppFile> {
  const files = new Map<string, AppFile>();
  const walk = (dir: string, prefix: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const full = join(dir, name);
      const stat = lstatSync(full);
      if (stat.isDirectory()) walk(full, `${prefix}/${name}`);
      else if (stat.isFile()) {
        const type = mimeType(name);
        if (type) files.set(`${prefix}/${name}`, { body: readFileSync(full), type });
      }
    }
  };
  walk(root, '');
  return files;
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  /** null for HEAD and for errors without a body. */
  body: Uint8Array<ArrayBuffer> | null;
}

/**
 * Answers one request to kassa://app from the file index. Every response carries the strict CSP
 * (connect-src: the core's WebSocket on `corePort` only) and no-sniff; only GET and HEAD.
 */
export function respondToAppRequest(files: ReadonlyMap<string, AppFile>, request: { url: string; method: string }, corePort: number | null): AppResponse {
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicy(corePort),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  const notFound = (): AppResponse => ({
    status: 404,
    headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
    body: Buffer.from(files.size ? 'Not found' : 'The lane UI is not built (dist/renderer is empty). Run: npm run build'),
  });
  if (request.method !== 'GET' && request.method !== 'HEAD') return { status: 405, headers: { ...headers, Allow: 'GET, HEAD' }, body: null };
  const key = appFileKey(request.url);
  const file = key === null ? undefined : files.get(key);
  if (!file) return notFound();
  return {
    status: 200,
    headers: { ...headers, 'Content-Type': file.type, 'Content-Length': String(file.body.length) },
    body: request.method === 'HEAD' ? null : file.body,
  };
}
