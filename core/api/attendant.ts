/**
 * Attendant listener: the attendant view (a browser tab or window on the attendant's device)
 * connects here to watch this kiosk and approve age checks, void lines, clear help calls, confirm
 * cash taken and settle a card payment the terminal could not confirm.
 * It may listen on the store's network, so: no per-launch token, but attendant credentials
 * (a supervisor's number + PIN, with the operators' lockout) before anything is shown; only the
 * attendant commands exist here; every message is validated; nothing of a card is ever sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ATTENDANT_PROTOCOL_VERSION,
  AttendantCommandSchema,
  kioskView,
  MAX_ATTENDANT_COMMAND_BYTES,
  type AttendantCommand,
  type AttendantMessage,
} from '../../protocol/attendant';
import type { Command } from '../../protocol/terminal';
import type { LaneService } from '../lane/host';
import { CoreError } from '../errors';
import type { Operator, Operators } from '../operators';
import { baseHeaders, loadStatic, serveStatic } from './server';
import type { ReceiptPages } from '../receipt/digital-page';

export interface AttendantServerOptions {
  service: LaneService;
  operators: Operators;
  /** Folder with the built renderer: the attendant view is the same app at ?view=attendant. */
  staticDir?: string | null;
  /** The other kiosks' attendant listeners (HOST:PORT) the attendant view watches too; from configuration, never from a URL. */
  peers?: readonly string[];
  log?: (line: string) => void;
  /** GET /R/…: the digital receipt pages (a lane with an attendant listener puts its address in its receipt links). */
  receiptPages?: ReceiptPages;
}

/** Wrong sign-ins on one connection before it is closed (the operators' own lockout counts too). */
const MAX_SIGN_IN_FAILURES = 3;
/** A connection that has not signed in by then is closed. */
const SIGN_IN_DEADLINE_MS = 60_000;
/** Connections at once (attendant devices are few). */
const MAX_CONNECTIONS = 32;
/** Heartbeat: a connection that does not answer a ping within this is dropped. */
const HEARTBEAT_MS = 30_000;
/** A sign-in is good for a shift; then the attendant signs in again (and a removed operator is out). */
const SESSION_MS = 12 * 3600_000;

/** Roles that may attend kiosks. */
const ATTENDANT_ROLES = new Set(['supervisor']);

export class AttendantServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly files: Map<string, { body: Buffer; type: string }>;
  private readonly log: (line: string) => void;
  private readonly signedIn = new Map<WebSocket, { op: Operator; until: number }>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  port = 0;
  private readonly onSignInFailure = new Map<WebSocket, () => void>();

  constructor(private readonly opts: AttendantServerOptions) {
    this.log = opts.log ?? (() => {});
    this.files = opts.staticDir ? loadStatic(opts.staticDir) : new Map();
    this.http = createServer((req, res) => this.serveHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_ATTENDANT_COMMAND_BYTES });
    const alive = new WeakSet<WebSocket>();
    this.wss.on('connection', (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
    });
    this.heartbeat = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (!alive.has(ws)) {
          ws.terminate();
          continue;
        }
        alive.delete(ws);
        ws.ping();
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/attendant') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (this.wss.clients.size >= MAX_CONNECTIONS) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      // Any origin: the attendant view of one kiosk watches the others too; credentials gate it.
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.wss.emit('connection', ws, req);
        this.onConnection(ws);
      });
    });
    let last = '';
    this.unsubscribe = opts.service.subscribe((snap) => {
      const kiosk = kioskView(snap);
      const text = JSON.stringify({ type: 'kiosk', kiosk } satisfies AttendantMessage);
      if (text === last) return; // many lane changes do not change what the attendant sees
      last = text;
      for (const [ws, s] of this.signedIn) {
        if (opts.service.now().getTime() >= s.until) {
          this.signedIn.delete(ws);
          ws.close(4001, 'session ended');
        } else if (ws.readyState === ws.OPEN) ws.send(text);
      }
    });
  }

  private serveHttp(req: IncomingMessage, res: ServerResponse): void {
    // The attendant view connects to other kiosks' attendant listeners, so ws: is allowed here.
    const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
    serveStatic(req, res, this.files, baseHeaders(csp), (path) => this.opts.receiptPages?.serve(req, res, path) ?? false);
  }

  private onConnection(ws: WebSocket): void {
    this.send(ws, { type: 'hello', protocol: ATTENDANT_PROTOCOL_VERSION, peers: [...(this.opts.peers ?? [])] });
    let failures = 0;
    const deadline = setTimeout(() => !this.signedIn.has(ws) && ws.close(4000, 'sign in first'), SIGN_IN_DEADLINE_MS);
    deadline.unref();
    ws.on('close', () => clearTimeout(deadline));
    this.onSignInFailure.set(ws, () => {
      if (++failures >= MAX_SIGN_IN_FAILURES) ws.close(4003, 'too many wrong sign-ins');
    });
    ws.on('message', (data, isBinary) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary || buf.length > MAX_ATTENDANT_COMMAND_BYTES) return this.error(ws, null, 'INVALID_MESSAGE', 'Messages are JSON text of at most 2 KiB.');
      let raw: unknown;
      try {
        raw = JSON.parse(buf.toString('utf8'));
      } catch {
        return this.error(ws, null, 'INVALID_MESSAGE', 'The message is not valid JSON.');
      }
      const parsed = AttendantCommandSchema.safeParse(raw);
      const rawId = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id.slice(0, 64) : null;
      if (!parsed.success) return this.error(ws, rawId, 'INVALID_COMMAND', 'Not an attendant command.');
      this.handle(ws, parsed.data);
    });
    ws.on('close', () => {
      this.signedIn.delete(ws);
      this.onSignInFailure.delete(ws);
    });
    ws.on('error', (err) => this.log(`attendant websocket: ${err.message}`));
  }

  private handle(ws: WebSocket, cmd: AttendantCommand): void {
    const { service, operators } = this.opts;
    try {
      if (cmd.cmd === 'signIn') {
        let op: Operator;
        try {
          op = operators.authenticate(cmd.operator, cmd.pin);
          if (!ATTENDANT_ROLES.has(op.role)) throw new CoreError('APPROVAL_DENIED', `${op.name} is not an attendant; a supervisor attends self-checkouts.`);
        } catch (err) {
          this.log(`attendant sign-in refused (${err instanceof CoreError ? err.code : 'error'})`);
          this.error(ws, cmd.id, err instanceof CoreError ? err.code : 'INTERNAL', err instanceof Error ? err.message : 'refused');
          this.onSignInFailure.get(ws)?.();
          return;
        }
        this.signedIn.set(ws, { op, until: this.opts.service.now().getTime() + SESSION_MS });
        this.log(`attendant ${op.id} signed in`);
        return this.send(ws, { type: 'welcome', attendant: { operator: op.id, name: op.name }, kiosk: kioskView(service.snapshot()) });
      }
      const session = this.signedIn.get(ws);
      if (!session || this.opts.service.now().getTime() >= session.until) throw new CoreError('UNAUTHORIZED', 'Sign in as an attendant first.');
      const by = session.op;
      const basket = service.snapshot().checkout;
      if (cmd.cmd !== 'clearHelp' && (!basket || basket.saleId !== cmd.saleId || (cmd.cmd === 'approveAge' && basket.ageCheckPending !== cmd.age))) {
        throw new CoreError('NOT_ALLOWED_NOW', 'That basket has ended or changed; look at the kiosk again.');
      }
      if (cmd.cmd === 'resolvePayment' && basket?.cardAttempt?.attemptId !== cmd.attemptId) throw new CoreError('NOT_ALLOWED_NOW', 'That card payment has ended or changed; look at the kiosk again.');
      service.handleAsAttendant(laneCommand(cmd), by);
      service.flush(); // the kiosk's new state goes out before this ack
      this.send(ws, { type: 'ack', id: cmd.id });
    } catch (err) {
      if (err instanceof CoreError) return this.error(ws, cmd.id, err.code, err.message);
      this.log(`attendant ${cmd.cmd}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      this.error(ws, cmd.id, 'INTERNAL', 'Something went wrong in the till core; nothing was changed.');
    }
  }

  private error(ws: WebSocket, id: string | null, code: string, message: string): void {
    this.send(ws, { type: 'error', id, code, message });
  }

  private send(ws: WebSocket, msg: AttendantMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => resolve());
    });
    this.port = (this.http.address() as AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

/** The lane command an attendant command is (the attendant approves it; the lane validates it as any other). */
function laneCommand(cmd: Exclude<AttendantCommand, { cmd: 'signIn' }>): Command {
  switch (cmd.cmd) {
    case 'approveAge':
      return { id: cmd.id, cmd: 'confirmAge' };
    case 'voidLine':
      return { id: cmd.id, cmd: 'voidLine', lineId: cmd.lineId };
    case 'clearHelp':
      return { id: cmd.id, cmd: 'clearHelp' };
    case 'confirmCash':
      return { id: cmd.id, cmd: 'confirmCash', sessionId: cmd.sessionId, amount: cmd.amount };
    case 'resolvePayment':
      return { id: cmd.id, cmd: 'resolvePayment', outcome: cmd.outcome, ...(cmd.confirmation ? { confirmation: cmd.confirmation } : {}) };
    case 'cancelSale':
      return { id: cmd.id, cmd: 'cancelSale' };
  }
}
