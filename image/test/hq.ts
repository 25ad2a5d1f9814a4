/**
 * image:test's HQ: the real HQ program (dist/hq/main.js, built by `npm run image`) on the host's
 * loopback, which the guest reaches as 10.0.2.2 through QEMU's user network — nothing listens on
 * another interface. Store IT's own commands make its catalog (hq/publish), its tokens and
 * provisioning.json (`--issue-token … --with-hq-url … --provisioning-json`), its staff (hq:staff)
 * and publish OS bundles (hq/publish-os). The fleet view (the staff API) says what HQ holds of each terminal.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../bundle';

/** The guest's address for the host's loopback (QEMU user networking). */
export const HOST_FROM_GUEST = '10.0.2.2';
export const STORE = 'image-test';

export interface FleetTerminal {
  terminal_id: string;
  store_id: string;
  lane_id: string;
  sales: number;
  acked_through: number | string;
  revoked_at: string | null;
}

/** A valid EAN-13 with the given 12-digit body. */
export function ean13(body: string): string {
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** The store's staff store IT puts in at HQ before the first terminal is provisioned (`npm run hq:staff`): the cashier sells, the supervisor approves the Z. */
export const CASHIER = { id: '12', name: 'Anna Berg', role: 'cashier', pin: '4821' } as const;
export const SUPERVISOR = { id: '70', name: 'Sven Ek', role: 'supervisor', pin: '7070' } as const;
/** Store IT (every store's: `--store '*'`), who closes the kiosk in the last drill. */
export const STORE_IT = { id: '90', name: 'Store IT', role: 'it', pin: '9090' } as const;

/** The first item's barcode: what the drill sells. */
export const FIRST_ITEM_CODE = ean13('730000000000');

function node(args: string[], what: string, input?: string): string {
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export class HostHq {
  private child: ChildProcess | null = null;
  readonly log: string[] = [];
  readonly adminToken = randomBytes(24).toString('base64url');
  port = 0;
  catalogKey = '';
  readonly db: string;
  readonly keyFile: string;

  constructor(readonly dir: string) {
    this.db = join(dir, 'hq.db');
    this.keyFile = join(dir, 'hq-catalog-key.pem');
  }

  /** Publishes a catalog of `items` items (store IT's JSON form) and starts HQ. */
  async start(items: number): Promise<{ publishS: number }> {
    const file = join(this.dir, 'catalog.json');
    const list = Array.from({ length: items }, (_, i) => ({ id: `I${String(i).padStart(7, '0')}`, name: `Vara ${i}`, department: 'kolonial', vat: 'food', price: 10 + (i % 900) / 100, barcodes: [ean13(`73${String(i).padStart(10, '0')}`)] }));
    writeFileSync(file, JSON.stringify({ vatClasses: [{ id: 'food', name: 'Livsmedel', rateBp: 1200 }], departments: [{ id: 'kolonial', name: 'Kolonial' }], items: list }));
    const t0 = performance.now();
    const out = node(['dist/hq/publish.js', '--db', this.db, '--key', this.keyFile, '--catalog', file], 'hq publish');
    const publishS = (performance.now() - t0) / 1000;
    const key = /catalog-key=([A-Za-z0-9_-]{43})/.exec(out)?.[1];
    if (!key) throw new Error(`hq publish printed no catalog key: ${out}`);
    this.catalogKey = key;
    for (const [store, s] of [[STORE, CASHIER], [STORE, SUPERVISOR], ['*', STORE_IT]] as const) node(['dist/hq/staff-cli.js', '--db', this.db, 'add', '--store', store, '--id', s.id, '--name', s.name, '--role', s.role], 'hq:staff add', `${s.pin}\n`);
    // The image's till is Swedish (the default market): its receipts carry the store's particulars
    // and are registered with a control unit, which the stick names (provisioningFile).
    node(['dist/hq/legal-cli.js', '--db', this.db, 'set', '--store', STORE, '--country', 'SE', '--company', 'Kassa Livs AB', '--org', '556677-8899', '--address', 'Götgatan 1, 118 46 Stockholm'], 'hq:legal set');
    await this.listen();
    return { publishS };
  }

  private async listen(): Promise<void> {
    const child = spawn(process.execPath, ['dist/hq/main.js', '--db', this.db, '--host', '127.0.0.1', '--port', '0'], { cwd: repoRoot, env: { ...process.env, KASSA_HQ_ADMIN_TOKEN: this.adminToken }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    createInterface({ input: child.stderr! }).on('line', (l) => this.log.push(l));
    this.port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`HQ did not start: ${this.log.join('\n')}`)), 20_000);
      child.once('exit', (code) => reject(new Error(`HQ exited (${code}): ${this.log.join('\n')}`)));
      createInterface({ input: child.stdout! }).on('line', (l) => {
        try {
          const r = JSON.parse(l) as { kassaHq?: string; port?: number };
          if (r.kassaHq === 'ready' && r.port) {
            clearTimeout(t);
            resolve(r.port);
          }
        } catch {
          // not the ready line
        }
      });
    });
  }

  /** HQ's address as the guest sees it. */
  get guestUrl(): string {
    return `http://${HOST_FROM_GUEST}:${this.port}`;
  }

  /**
   * Store IT's provisioning.json for a lane (`reflash`: the same lane on a wiped or new terminal),
   * with the control unit the till registers its receipts with: in a store a certified unit at its
   * port (`--control-unit <vendor>@<device>`); the QEMU machine has none, so the simulator.
   */
  provisioningFile(lane: string, out: string, reflash = false): void {
    node(['dist/hq/main.js', '--db', this.db, '--issue-token', `${STORE}:${lane}`, ...(reflash ? ['--reflash'] : []), '--with-hq-url', this.guestUrl, '--catalog-key', this.catalogKey, '--control-unit', 'simulator', '--provisioning-json', out], 'hq --issue-token');
  }

  async fleet(): Promise<FleetTerminal[]> {
    const r = await fetch(`http://127.0.0.1:${this.port}/v1/fleet`, { headers: { authorization: `Bearer ${this.adminToken}` }, signal: AbortSignal.timeout(5000) });
    if (!r.ok) throw new Error(`HQ fleet: ${r.status}`);
    return ((await r.json()) as { terminals: FleetTerminal[] }).terminals;
  }

  /** `npm run hq:publish-os`: exit code and what it printed. */
  publishOs(bundle: string, keyring?: string): { code: number; out: string } {
    const r = spawnSync(process.execPath, ['dist/hq/publish-os.js', '--db', this.db, '--key', this.keyFile, '--bundle', bundle, ...(keyring ? ['--keyring', keyring] : [])], { cwd: repoRoot, encoding: 'utf8' });
    return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
  }

  stop(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}
