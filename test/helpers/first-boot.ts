/** First-boot provisioning with real processes (test/hq/first-boot*.test.ts, test/e2e/first-boot.test.ts): the test file’s folder and processes, an HQ’s files and a fresh terminal. */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { loadOrCreateCatalogKey } from '../../hq/catalog';
import type { ProvisioningView } from '../../protocol/terminal';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from './core-process';
import { startHqProcess } from './hq-process';
import { tempDir } from './tmp';

export const CATALOG = {
  vatClasses: [{ id: 'food', name: 'Livsmedel', rateBp: 1200 }],
  departments: [{ id: 'mejeri', name: 'Mejeri' }],
  items: [
    { id: 'milk', name: 'Mjölk 1 l', department: 'mejeri', vat: 'food', price: 15.5, barcodes: ['7310865000101'] },
    { id: 'cheese', name: 'Ost', department: 'mejeri', vat: 'food', unit: 'weight', price: 119, plu: '7001' },
  ],
};

/** An HQ with its own database, catalog key (file) and, once `publish` is called, a catalog (`extra`: more items than the two). */
export function hqFiles(dir: string, name: string) {
  const db = join(dir, `${name}.db`);
  const keyFile = join(dir, `${name}-catalog-key.pem`);
  const key = loadOrCreateCatalogKey(keyFile).signer.publicKey;
  return {
    db,
    key,
    publish(extra = 0) {
      const file = join(dir, `${name}-catalog.json`);
      const more = Array.from({ length: extra }, (_, i) => ({ id: `item-${i}`, name: `Vara ${i}`, department: 'mejeri', vat: 'food', price: 10 + (i % 90) }));
      writeFileSync(file, JSON.stringify({ ...CATALOG, items: [...CATALOG.items, ...more] }));
      const r = spawnSync(process.execPath, ['dist/hq/publish.js', '--db', db, '--key', keyFile, '--catalog', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(r.stdout, r.stderr).toMatch(new RegExp(`published version 1: ${2 + extra} items`));
    },
    /** Adds an operator to a store's staff at HQ as store IT does (`npm run hq:staff`, the PIN on standard input). */
    staff(storeId: string, id: string, name: string, role: 'cashier' | 'supervisor' | 'it', pin: string) {
      const r = spawnSync(process.execPath, ['dist/hq/staff-cli.js', '--db', db, 'add', '--store', storeId, '--id', id, '--name', name, '--role', role], { encoding: 'utf8', input: `${pin}\n` });
      expect(r.stdout, r.stderr).toMatch(new RegExp(`^operator ${id} \\(`));
    },
    issue(storeLane: string, ...more: string[]) {
      const r = spawnSync(process.execPath, ['dist/hq/main.js', '--db', db, '--issue-token', storeLane, ...more], { encoding: 'utf8' });
      const token = r.stdout.split('\n')[0]!.trim();
      expect(token, r.stderr).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      return token;
    },
  };
}

/**
 * What a first-boot test file starts from: a temporary folder, and the HQs (`children`) and cores
 * it starts, all stopped and the folder removed after the file (its afterAll).
 */
export function firstBootRig(prefix: string) {
  const tmp = tempDir(prefix);
  const children: ChildProcess[] = [];
  const cores: CoreProcess[] = [];
  afterAll(async () => {
    for (const c of cores) await stopCoreProcess(c);
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    tmp.cleanup();
  });
  return {
    tmp,
    children,
    cores,
    /** Publishes the HQ's catalog (`extra` items more than the two) and starts it: its URL. */
    async startHq(hq: ReturnType<typeof hqFiles>, extra = 0): Promise<string> {
      hq.publish(extra);
      return `http://127.0.0.1:${(await startHqProcess(hq.db, children)).port}`;
    },
  };
}

/** A fresh terminal: an empty data folder, started for first-boot provisioning with a provision folder (its USB stick). */
export async function freshTerminal(dir: string, cores: CoreProcess[], name: string, extraArgs: string[] = [], env: Record<string, string> = {}, opts: { controlUnit?: 'simulator' | 'none' } = {}): Promise<{ core: CoreProcess; client: ApiClient; stick: string; db: string }> {
  const stick = join(dir, `${name}-usb`);
  mkdirSync(stick, { recursive: true });
  const db = join(dir, `${name}-data`, 'kassa.db');
  mkdirSync(join(dir, `${name}-data`), { recursive: true });
  const core = await startCoreProcess(db, ['--provisioning', '--provision-dir', stick, ...extraArgs], 20_000, { KASSA_CATALOG_POLL_MS: '500', ...env }, opts);
  cores.push(core);
  return { core, client: await ApiClient.connect(core.port, core.token), stick, db };
}

/** Every provisioning view the screen was sent, in order. */
export function views(client: ApiClient): ProvisioningView[] {
  return client.messages.flatMap((m) => (m.type === 'snapshot' || m.type === 'welcome') && m.snapshot.provisioning ? [m.snapshot.provisioning] : []);
}

export const phase = (client: ApiClient) => client.snapshot?.provisioning?.phase ?? null;

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

