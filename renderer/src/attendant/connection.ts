/**
 * The attendant view's connections: one WebSocket per kiosk (its attendant listener), signed in
 * with the attendant's credentials (kept in memory for reconnects, never stored), every message
 * validated. Kiosks are the one that served this page plus the peers its configuration names (sent
 * in its hello) — never addresses from the URL, so a crafted link cannot collect a PIN.
 */
import { useEffect, useRef, useState } from 'react';
import { AttendantMessageSchema, type AttendantCommand, type KioskView } from '../../../protocol/attendant';
import { Backoff } from '../../../common/backoff';

export interface KioskConnection {
  address: string;
  status: 'connecting' | 'open' | 'closed';
  kiosk: KioskView | null;
  attendant: string | null;
  error: { code: string; message: string; at: number } | null;
}

/** The peers a kiosk names: host:port entries only, at most 32; anything else is dropped. */
export function peerAddresses(peers: readonly string[]): string[] {
  return [...new Set(peers.filter((s) => /^[A-Za-z0-9.-]{1,253}:\d{1,5}$/.test(s)))].slice(0, 32);
}

type Credentials = { operator: string; pin: string };

class Link {
  private ws: WebSocket | null = null;
  private readonly backoff = new Backoff({ minMs: 500, maxMs: 5000 });
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private n = 0;
  /** The id of this connection's sign-in: its refusal (not a command's) signs the attendant out here. */
  private signInId: string | null = null;
  state: KioskConnection;

  constructor(
    address: string,
    private readonly creds: Credentials,
    private readonly changed: () => void,
    /** The kiosk's configured peers, from its hello (only the page's own kiosk is asked). */
    private readonly onPeers?: (peers: string[]) => void,
  ) {
    this.state = { address, status: 'connecting', kiosk: null, attendant: null, error: null };
    this.connect();
  }

  private set(patch: Partial<KioskConnection>): void {
    this.state = { ...this.state, ...patch };
    this.changed();
  }

  private connect(): void {
    if (this.stopped) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${this.state.address}/attendant`);
    this.ws = ws;
    this.set({ status: 'connecting' });
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let parsed;
      try {
        parsed = AttendantMessageSchema.safeParse(JSON.parse(ev.data));
      } catch {
        return;
      }
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.type === 'hello') {
        this.onPeers?.(peerAddresses(m.peers));
        this.signInId = this.id();
        this.send({ id: this.signInId, cmd: 'signIn', ...this.creds });
      }
      else if (m.type === 'welcome') {
        this.backoff.reset();
        this.set({ status: 'open', kiosk: m.kiosk, attendant: m.attendant.name, error: null });
      } else if (m.type === 'kiosk') this.set({ kiosk: m.kiosk });
      else if (m.type === 'error') this.set({ error: { code: m.code, message: m.message, at: performance.now() }, ...(m.id !== null && m.id === this.signInId ? { attendant: null } : {}) });
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.set({ status: 'closed' });
      // Wrong credentials at sign-in are not retried: the attendant signs in again. (A refusal once
      // signed in — a second supervisor's confirmation — is no reason to stop watching the kiosk.)
      const refused = this.state.error?.code === 'BAD_CREDENTIALS' || this.state.error?.code === 'APPROVAL_DENIED';
      if (this.stopped || (refused && this.state.attendant === null)) return;
      this.timer = setTimeout(() => this.connect(), this.backoff.next());
    };
  }

  private id(): string {
    // Unique across reloads (the core answers by id): random, not the time.
    return `att-${[...crypto.getRandomValues(new Uint32Array(2))].map((x) => x.toString(36)).join('')}-${++this.n}`;
  }

  send(cmd: AttendantCommand): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(cmd));
    return true;
  }

  command(body: Exclude<AttendantCommand, { cmd: 'signIn' }> extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never): boolean {
    return this.send({ ...body, id: this.id() } as AttendantCommand);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close();
  }
}

export type AttendantBody = Parameters<Link['command']>[0];

export function useAttendant(home: string): {
  signedIn: boolean;
  signIn: (c: Credentials) => void;
  signOut: () => void;
  kiosks: KioskConnection[];
  command: (address: string, body: AttendantBody) => boolean;
} {
  const links = useRef(new Map<string, Link>());
  const [, setTick] = useState(0);
  const [creds, setCreds] = useState<Credentials | null>(null);
  useEffect(() => {
    if (!creds) return;
    const map = links.current;
    const changed = () => setTick((n) => n + 1);
    map.set(
      home,
      new Link(home, creds, changed, (peers) => {
        for (const p of peers) if (!map.has(p)) map.set(p, new Link(p, creds, changed));
        changed();
      }),
    );
    return () => {
      for (const l of map.values()) l.stop();
      map.clear();
    };
  }, [creds, home]);
  return {
    signedIn: creds !== null,
    signIn: setCreds,
    signOut: () => setCreds(null),
    kiosks: [...links.current.values()].map((l) => l.state),
    command: (address, body) => links.current.get(address)?.command(body) ?? false,
  };
}
