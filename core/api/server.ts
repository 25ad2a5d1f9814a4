/**
 * Terminal API server: HTTP for the renderer's static files and a WebSocket at /api, bound to
 * 127.0.0.1 only, guarded by a per-launch token and an Origin check. Every inbound message is
 * validated; anything invalid gets a typed error and changes nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CommandSchema, PROTOCOL_VERSION, type Command, type ErrorCode, type ServerMessage } from '../../protocol/terminal';
import { CoreError } from '../errors';
import type { LaneService } from '../lane/host';
import type { StoreIt } from '../it/tools';
import type { ReceiptPages } from '../receipt/digital-page';
import { registerServiceCommands, type DeviceTester } from './service-commands';

/** Largest inbound message read as a command; bigger ones are refused without parsing. */
export const MAX_COMMAND_BYTES = 16 * 1024;
/** Largest frame the socket accepts at all (bigger closes the connection, code 1009). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

export interface ApiServerOptions {
  service: LaneService;
  token: string;
  port?: number;
  /** Folder with the built renderer (index.html + assets); omitted → API only. */
  staticDir?: string | null;
  log?: (line: string) => void;
  /** The lane's device manager, for store IT's device tests. */
  devices?: DeviceTester;
  /** Store IT's service screen (identity, log, device configuration, diagnostics, kiosk exit). */
  storeIt?: StoreIt;
  /** Called with the IT operator's id after store IT asked the kiosk app to exit (and the command was acknowledged). */
  onExitRequest?: (operator: string) => void;
  /** GET /R/…: the digital receipt pages of links this store issued (no token: they only render what the link carries). */
  receiptPages?: ReceiptPages;
}

export type { DeviceTester } from './service-commands';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Security headers on every HTTP answer of the core's listeners, with the listener's CSP. */
export function baseHeaders(csp: string): Record<string, string> {
  return { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
}

/**
 * Answers GET/HEAD for the built renderer's files (405 for other methods, 404 when missing);
 * `extra` may answer a path first (returns true when it did).
 */
export function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  files: Map<string, { body: Buffer; type: string }>,
  headers: Record<string, string>,
  extra?: (path: string) => boolean,
): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (extra?.(path)) return;
  const file = files.get(path === '/' ? '/index.html' : path);
  if (!file) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(files.size ? 'Not found' : 'The lane UI is not built. Run: npm run build');
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': file.type, 'Content-Length': file.body.length });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

export function loadStatic(dir: string): Map<string, { body: Buffer; type: string }> {
  const files = new Map<string, { body: Buffer; type: string }>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set('/' + relative(dir, full).split(sep).join('/'), { body: readFileSync(full), type: MIME[extname(name)] ?? 'application/octet-stream' });
    }
  };
  walk(dir);
  return files;
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class ApiServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly files: Map<string, { body: Buffer; type: string }>;
  private readonly log: (line: string) => void;
  private unsubscribe: (() => void) | null = null;
  port = 0;

  private readonly screens = new Set<WebSocket>();
  /** Of the screens, the customer displays (their page says ?view=customer on its connection). */
  private readonly customerScreens = new Set<WebSocket>();

  constructor(private readonly opts: ApiServerOptions) {
    this.log = opts.log ?? (() => {});
    registerServiceCommands({ service: opts.service, devices: opts.devices, storeIt: opts.storeIt, onExitRequest: opts.onExitRequest });
    this.files = opts.staticDir ? loadStatic(opts.staticDir) : new Map();
    this.http = createServer((req, res) => this.serveHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const origin = req.headers.origin;
      // Browser mode serves the UI from this server; the Electron kiosk serves it from its own
      // custom protocol, kassa://app. The token is required either way.
      const allowedOrigins = [`http://127.0.0.1:${this.port}`, 'kassa://app'];
      if (url.pathname !== '/api' || !tokenMatches(url.searchParams.get('token'), opts.token) || (origin !== undefined && !allowedOrigins.includes(origin))) {
        this.log(`refused a WebSocket connection (${url.pathname}, origin ${origin ?? 'none'})`);
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        // A screen: the lane UI in a browser or the kiosk (it sends its Origin); tools send none.
        if (origin !== undefined) this.screens.add(ws);
        if (origin !== undefined && url.searchParams.get('view') === 'customer') this.customerScreens.add(ws);
        ws.once('close', () => {
          this.screens.delete(ws);
          this.customerScreens.delete(ws);
        });
        this.onConnection(ws);
      });
    });
    // Only a snapshot that differs from the last one sent goes out (device events and timers often change nothing shown).
    let lastSent = '';
    const offSnapshots = opts.service.subscribe((snapshot) => {
      const text = JSON.stringify(snapshot);
      if (text === lastSent) return;
      lastSent = text;
      this.broadcastText(`{"type":"snapshot","now":${JSON.stringify(opts.service.now().toISOString())},"snapshot":${text}}`);
    });
    const offErrors = opts.service.subscribeErrors((code, message, params) =>
      this.broadcast(params && Object.keys(params).length ? { type: 'error', id: null, code, message, params } : { type: 'error', id: null, code, message }),
    );
    this.unsubscribe = () => {
      offSnapshots();
      offErrors();
    };
  }

  private csp(): string {
    return [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      `connect-src 'self' ws://127.0.0.1:${this.port}`,
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ].join('; ');
  }

  private serveHttp(req: IncomingMessage, res: ServerResponse): void {
    const headers = baseHeaders(this.csp());
    serveStatic(req, res, this.files, headers, (path) => {
      if (this.opts.receiptPages?.serve(req, res, path)) return true;
      if (path !== '/health') return false;
      // screens: pages connected now, customerScreens: the customer displays among them (the kiosk
      // image's browsers restart when their kind shows none: image/rootfs/usr/lib/kassa/kiosk-browser).
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, version: this.opts.service.currentVersion, screens: this.screens.size, customerScreens: this.customerScreens.size }));
      return true;
    });
  }

  private onConnection(ws: WebSocket): void {
    this.send(ws, { type: 'welcome', protocol: PROTOCOL_VERSION, now: this.opts.service.now().toISOString(), snapshot: this.opts.service.snapshot() });
    ws.on('message', (data, isBinary) => {
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
      if (isBinary) return this.sendError(ws, null, 'INVALID_MESSAGE', 'Binary messages are not part of the Terminal API.');
      if (size > MAX_COMMAND_BYTES) return this.sendError(ws, null, 'MESSAGE_TOO_LARGE', `A command may be at most ${MAX_COMMAND_BYTES} bytes; this one had ${size}.`);
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      this.handleText(ws, text);
    });
    ws.on('error', (err) => this.log(`websocket error: ${err.message}`));
  }

  private handleText(ws: WebSocket, text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.sendError(ws, null, 'INVALID_MESSAGE', 'The message is not valid JSON.');
    }
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? ((raw as { id: string }).id.slice(0, 64)) : null;
    const parsed = CommandSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length ? issue.path.join('.') : 'command';
      return this.sendError(ws, id, 'INVALID_COMMAND', `Invalid command (${where}: ${issue?.message ?? 'invalid'}).`);
    }
    const cmd = parsed.data;
    const service = this.opts.service;
    if (service.registry.asyncHandler(cmd.cmd)) {
      // Device tests, store IT, the terminal's end of day: answered when their device or disk has.
      void service.dispatch(cmd).then(
        ({ version, result }) => this.send(ws, result ? { type: 'ack', id: cmd.id, version, result } : { type: 'ack', id: cmd.id, version }),
        (err: unknown) => this.failed(ws, cmd, err),
      );
      return;
    }
    try {
      const { version, result } = this.opts.service.handle(parsed.data);
      this.opts.service.flush(); // every client sees the new snapshot before this command's ack
      this.send(ws, result ? { type: 'ack', id: parsed.data.id, version, result } : { type: 'ack', id: parsed.data.id, version });
    } catch (err) {
      this.failed(ws, cmd, err);
    }
  }

  /** A refused command gets its reason; anything else is logged and answered as an internal error. */
  private failed(ws: WebSocket, cmd: Command, err: unknown): void {
    if (err instanceof CoreError) return this.refuse(ws, cmd.id, cmd.cmd, err);
    this.log(`internal error on ${cmd.cmd}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    this.sendError(ws, cmd.id, 'INTERNAL', 'Something went wrong in the till core; nothing was changed.');
  }

  /** A command the core refused: the reason to the client, and a line in store IT's log (no parameters: they may hold a PIN). */
  private refuse(ws: WebSocket, id: string, cmd: string, err: CoreError): void {
    this.log(`refused ${cmd}: ${err.code} (${err.message})`);
    this.sendError(ws, id, err.code, err.message, err.params);
  }

  private sendError(ws: WebSocket, id: string | null, code: ErrorCode, message: string, params?: Record<string, string | number>): void {
    this.send(ws, params && Object.keys(params).length ? { type: 'error', id, code, message, params } : { type: 'error', id, code, message });
  }

  private send(ws: WebSocket, msg: ServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  }

  private broadcast(msg: ServerMessage): void {
    this.broadcastText(JSON.stringify(msg));
  }

  private broadcastText(text: string): void {
    for (const ws of this.wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  }

  async listen(port = this.opts.port ?? 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.http.address() as AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
