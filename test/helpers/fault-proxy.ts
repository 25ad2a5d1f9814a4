/**
 * A TCP fault proxy between terminals and HQ (or a till's store peers): passes bytes through, or
 * delays them, blackholes them, resets connections, truncates or corrupts the answers, or lets the
 * requests through and loses every answer (`oneway`) — switchable at any moment.
 */
import { createServer, Socket, type Server } from 'node:net';

export type FaultMode = 'pass' | 'delay' | 'blackhole' | 'reset' | 'truncate' | 'corrupt' | 'oneway';

export class FaultProxy {
  mode: FaultMode = 'pass';
  delayMs = 300;
  private server: Server | null = null;
  private readonly conns = new Set<Socket>();
  port = 0;
  /** How many connections each mode touched (so a test can tell the faults really happened). */
  readonly hits: Record<FaultMode, number> = { pass: 0, delay: 0, blackhole: 0, reset: 0, truncate: 0, corrupt: 0, oneway: 0 };

  constructor(private readonly target: () => { host: string; port: number }) {}

  async listen(): Promise<number> {
    this.server = createServer((client) => this.onClient(client));
    await new Promise<void>((res) => this.server!.listen(0, '127.0.0.1', () => res()));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  /** The fault applies to each request and answer as it passes (kept-alive connections included). */
  private onClient(client: Socket): void {
    this.conns.add(client);
    client.on('close', () => this.conns.delete(client));
    client.on('error', () => {});
    const t = this.target();
    const upstream = new Socket();
    this.conns.add(upstream);
    upstream.on('close', () => {
      this.conns.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.connect(t.port, t.host);
    let blackholed = false;
    let pending: 'truncate' | 'corrupt' | null = null;
    client.on('data', (d) => {
      const mode = this.mode;
      this.hits[mode]++;
      if (blackholed) return;
      if (mode === 'reset') {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      if (mode === 'blackhole') {
        blackholed = true; // this connection never answers again
        return;
      }
      if (mode === 'truncate' || mode === 'corrupt') pending = mode;
      if (mode === 'delay') setTimeout(() => upstream.write(d), this.delayMs);
      else upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (blackholed || this.mode === 'oneway') return;
      if (pending === 'truncate') {
        // half of HQ's answer, then the line drops
        client.end(d.subarray(0, Math.max(1, Math.floor(d.length / 2))));
        upstream.destroy();
        return;
      }
      if (pending === 'corrupt') {
        const c = Buffer.from(d);
        for (let i = c.length - 1; i >= Math.max(0, c.length - 16); i--) c[i] = c[i]! ^ 0x5a;
        client.write(c);
        pending = null;
        return;
      }
      if (this.mode === 'delay') setTimeout(() => client.write(d), this.delayMs);
      else client.write(d);
    });
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.destroy();
    await new Promise<void>((res) => (this.server ? this.server.close(() => res()) : res()));
  }
}
