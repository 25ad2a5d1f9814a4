/**
 * The renderer's side of the Terminal API: finds the connection details (Electron preload or the
 * browser-mode URL hash), keeps a WebSocket open with backoff, validates every message, and keeps
 * the latest snapshot. The UI renders only that snapshot.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import {
  ConnectionInfoSchema,
  resultOf,
  ServerMessageSchema,
  type CommandBody,
  type CommandName,
  type CommandResult,
  type ConnectionInfo,
  type ErrorMessage,
  type Snapshot,
} from '../../protocol/terminal';
import { setCoreTime } from './core-time';
import { Backoff } from '../../common/backoff';

declare global {
  interface Window {
    kassa?: { connection?: unknown };
  }
}

export function findConnection(): ConnectionInfo | null {
  const fromPreload = ConnectionInfoSchema.safeParse(window.kassa?.connection);
  if (fromPreload.success) return fromPreload.data;
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  const fromHash = ConnectionInfoSchema.safeParse({ url: `ws://${window.location.host}/api`, token });
  return fromHash.success ? fromHash.data : null;
}

/** An acknowledgement of command C, its result typed by the command (RESULT_OF in protocol/terminal/results.ts). */
type AckOf = { [C in CommandName]: { cmd: C; at: number; result?: CommandResult<C> } };
/** The last command acknowledged: `lastAck.cmd === 'xReport'` makes `lastAck.result` a TillReport, no narrowing by shape. */
export type LastAck = AckOf[CommandName];

/** The ack of one of our commands; a result that is not that command's kind of answer is left out. */
function ackOf<C extends CommandName>(cmd: C, at: number, result: unknown): AckOf[C] {
  const typed = result === undefined ? undefined : resultOf(cmd, result);
  // TypeScript cannot tie a generic C to one member of the mapped union; resultOf checked the result is C's.
  return (typed === undefined ? { cmd, at } : { cmd, at, result: typed }) as AckOf[C];
}

export type Status = 'connecting' | 'open' | 'closed' | 'no-connection-info';

export interface TerminalState {
  status: Status;
  snapshot: Snapshot | null;
  /** The last error the core answered one of our commands with. */
  lastError: (ErrorMessage & { at: number; /** The command it answers, when it answers one of ours. */ cmd?: CommandBody['cmd'] }) | null;
  /** The last command acknowledged (name), for the "what just happened" message. */
  lastAck: LastAck | null;
  /** A command the core refused for want of a supervisor's approval; the UI asks for one. */
  approvalFor: CommandBody | null;
}

type Listener = () => void;

export class TerminalClient {
  private ws: WebSocket | null = null;
  private state: TerminalState = { status: 'connecting', snapshot: null, lastError: null, lastAck: null, approvalFor: null };
  private readonly listeners = new Set<Listener>();
  private readonly pending = new Map<string, CommandBody>();
  private readonly backoff = new Backoff({ minMs: 250, maxMs: 5000 });
  private counter = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly info: ConnectionInfo | null) {
    if (!info) this.state = { ...this.state, status: 'no-connection-info' };
  }

  start(): void {
    this.stopped = false;
    if (this.info && !this.ws) this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getState = (): TerminalState => this.state;

  private set(patch: Partial<TerminalState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private connect(): void {
    if (!this.info || this.stopped) return;
    this.set({ status: 'connecting' });
    // The customer display says so: the core counts it apart in /health (the kiosk image's watchdog).
    const view = new URLSearchParams(window.location.search).get('view') === 'customer' ? '&view=customer' : '';
    const ws = new WebSocket(`${this.info.url}?token=${encodeURIComponent(this.info.token)}${view}`);
    this.ws = ws;
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.pending.clear();
      this.set({ status: 'closed' });
      if (this.stopped) return;
      this.timer = setTimeout(() => this.connect(), this.backoff.next());
    };
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let parsed;
    try {
      parsed = ServerMessageSchema.safeParse(JSON.parse(data));
    } catch {
      console.warn('kassa: ignored a message that is not JSON');
      return;
    }
    if (!parsed.success) {
      console.warn('kassa: ignored an invalid message from the core');
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'welcome':
        setCoreTime(msg.now);
        this.backoff.reset();
        this.set({ status: 'open', snapshot: msg.snapshot });
        break;
      case 'snapshot':
        setCoreTime(msg.now);
        if (!this.state.snapshot || msg.snapshot.version >= this.state.snapshot.version) this.set({ snapshot: msg.snapshot });
        break;
      case 'ack': {
        const cmd = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        // Only the approved command's own ack ends the approval; an unrelated ack must not hide the dialog.
        if (cmd)
          this.set({
            lastAck: ackOf(cmd.cmd, performance.now(), msg.result),
            lastError: null,
            approvalFor: this.state.approvalFor && this.state.approvalFor.cmd === cmd.cmd ? null : this.state.approvalFor,
          });
        break;
      }
      case 'error': {
        const cmd = msg.id !== null ? this.pending.get(msg.id) : undefined;
        if (msg.id !== null) this.pending.delete(msg.id);
        this.set({ lastError: { ...msg, at: performance.now(), ...(cmd ? { cmd: cmd.cmd } : {}) }, approvalFor: msg.code === 'APPROVAL_REQUIRED' && cmd ? cmd : this.state.approvalFor });
        break;
      }
    }
  }

  dismissApproval(): void {
    this.set({ approvalFor: null });
  }

  /** Sends a command; returns false when not connected (commands are never queued). */
  send(cmd: CommandBody): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || this.state.status !== 'open') return false;
    const id = `u${++this.counter}-${Math.random().toString(36).slice(2, 8)}`;
    this.pending.set(id, cmd);
    ws.send(JSON.stringify({ ...cmd, id }));
    return true;
  }
}

export function useTerminal(): { state: TerminalState; send: (cmd: CommandBody) => boolean; dismissApproval: () => void } {
  const ref = useRef<TerminalClient | null>(null);
  if (!ref.current) ref.current = new TerminalClient(findConnection());
  const client = ref.current;
  useEffect(() => {
    client.start();
    return () => client.stop();
  }, [client]);
  const state = useSyncExternalStore(client.subscribe, client.getState);
  const [send] = useState(() => (cmd: CommandBody) => client.send(cmd));
  const [dismissApproval] = useState(() => () => client.dismissApproval());
  return { state, send, dismissApproval };
}
