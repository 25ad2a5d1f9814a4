/**
 * image:test's hands on the till: the Terminal API (WebSocket, JSON commands with ids, snapshots)
 * through the test image's forwarded port, with the per-boot token the test image prints on its
 * serial console. Only what the drills read is typed here (image/ imports nothing of the app).
 */
import WebSocket from 'ws';
import { CASHIER, SUPERVISOR } from './hq';

/** The price of what the drills sell (image/test/hq.ts: the first item, 10.00). */
export const PRICE_ORE = 1000;

export interface LaneSnapshot {
  version: number;
  terminal: { storeId: string; laneId: string };
  lane: { state: string; till: unknown };
  lastSale: { saleId: string; receiptCode?: string } | null;
  provisioning?: { phase: string; step: string | null; catalog: { done: number; total: number } | null; enrolled: { terminalId: string; reflash: boolean } | null; recovery: { source: string; sales: number | null } | null; failure: { code: string; detail: string } | null } | null;
  catalog: { version: number; items: number; os?: { running: string; state: string; version: string | null; detail: string | null } | null } | null;
}

interface Reply {
  type: string;
  id?: string | null;
  code?: string;
  message?: string;
}

/** The token the test image printed on the serial console this boot (the last one: a reboot prints a new one). */
export function tokenFromSerial(serial: string): string | null {
  const all = [...serial.matchAll(/kassa-test: token ([A-Za-z0-9_-]{43})/g)];
  return all.length ? all[all.length - 1]![1]! : null;
}

export class Lane {
  snapshot: LaneSnapshot | null = null;
  /** Cash sales since this connection opened the till (each of PRICE_ORE, paid exactly). */
  private cashSales = 0;
  private n = 0;
  private readonly pending = new Map<string, (r: Reply) => void>();

  private constructor(private readonly ws: WebSocket) {}

  static async connect(port: number, token: string): Promise<Lane> {
    // No Origin: not a browser (the core checks a browser's Origin against its own address, which
    // behind QEMU's port forward is not the one dialled here).
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${encodeURIComponent(token)}`);
    const lane = new Lane(ws);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no welcome from the core in 30 s')), 30_000);
      ws.once('error', (e) => {
        clearTimeout(t);
        reject(e);
      });
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as Reply & { snapshot?: LaneSnapshot };
        if ((msg.type === 'welcome' || msg.type === 'snapshot') && msg.snapshot) {
          if (!lane.snapshot || msg.snapshot.version >= lane.snapshot.version) lane.snapshot = msg.snapshot;
          if (msg.type === 'welcome') {
            clearTimeout(t);
            resolve();
          }
        }
        if ((msg.type === 'ack' || msg.type === 'error') && msg.id) {
          lane.pending.get(msg.id)?.(msg);
          lane.pending.delete(msg.id);
        }
      });
    });
    return lane;
  }

  /** Sends a command and waits (≤ 60 s: the guest is slow) for its ack; a typed error throws. */
  async send(cmd: Record<string, unknown>): Promise<void> {
    const id = `it${++this.n}`;
    const reply = await new Promise<Reply>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${String(cmd.cmd)}: no answer in 60 s`)), 60_000);
      this.pending.set(id, (r) => {
        clearTimeout(t);
        resolve(r);
      });
      this.ws.send(JSON.stringify({ ...cmd, id }));
    });
    if (reply.type !== 'ack') throw new Error(`${String(cmd.cmd)} refused: ${reply.code ?? ''} ${reply.message ?? ''}`);
  }

  /** One cash sale of `code` by the store's cashier (HQ's staff), opening the till first when it is closed; its sale id. */
  async sellForCash(code: string): Promise<string> {
    const before = this.snapshot?.lastSale?.saleId ?? null;
    await this.startSale(code);
    return this.payCashAndComplete(before);
  }

  /** Signs HQ's cashier in and opens the till when needed, then scans `code`: a sale in progress. */
  async startSale(code: string): Promise<void> {
    if (this.snapshot?.lane.state === 'closed' || this.snapshot?.lane.state === 'signedOut') await this.send({ cmd: 'signIn', operator: CASHIER.id, pin: CASHIER.pin });
    if (this.snapshot?.lane.till == null) {
      await this.send({ cmd: 'openTill', float: [] });
      this.cashSales = 0;
    }
    await this.send({ cmd: 'scan', code, source: 'scanner' });
  }

  /** Pays the sale in progress exactly in cash and completes it; its sale id (`before`: the last sale's before it). */
  async payCashAndComplete(before: string | null = this.snapshot?.lastSale?.saleId ?? null): Promise<string> {
    await this.send({ cmd: 'tenderCash' });
    await this.send({ cmd: 'complete' });
    const sale = this.snapshot?.lastSale?.saleId;
    if (!sale || sale === before) throw new Error('the sale completed but the snapshot shows no new last sale');
    this.cashSales += 1;
    return sale;
  }

  /**
   * Closes the till (Z) as a cashier counting the drawer: the cash of the sales this connection
   * made since it opened the till, in 1-krona coins; a supervisor approves a till opened before
   * (its cash unknown here: a variance).
   */
  async closeTill(): Promise<void> {
    await this.send({ cmd: 'closeTill', counted: this.cashSales ? [{ denomination: 100, count: (this.cashSales * PRICE_ORE) / 100 }] : [], approval: { operator: SUPERVISOR.id, pin: SUPERVISOR.pin } });
  }

  close(): void {
    this.ws.close();
  }
}
