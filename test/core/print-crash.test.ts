/**
 * A receipt never vanishes in a crash (issue 18.8), as a real process test: the core bundle prints
 * to the printer simulator over TCP and is SIGKILLed right after a sale completed, while the
 * receipt is on paper but the printer's confirmation (the process ID response) has not come back.
 * After the restart the job is 'uncertain' — not printed as far as anyone knows, never silently
 * 'sent' — the lane's snapshot offers the reprint for that sale, and the reprint prints marked
 * COPY (the original is not sent again by itself).
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { PrinterSimulator } from '../../drivers/escpos/simulator';
import type { CommandBody } from '../../protocol/terminal';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';

const tmp = tempDir('kassa-print-crash-');
const sim = new PrinterSimulator();
let core: CoreProcess | null = null;
afterAll(async () => {
  if (core) await stopCoreProcess(core);
  await sim.close();
  tmp.cleanup();
});

async function ok(client: ApiClient, cmd: CommandBody) {
  const reply = await client.send(cmd);
  expect(reply.type, JSON.stringify(reply)).toBe('ack');
  return reply;
}

describe('a core killed right after a sale completed', () => {
  it('finds the unconfirmed receipt uncertain after the restart, and the lane reprints it marked COPY', async () => {
    const port = await sim.listen(0);
    const db = join(tmp.dir, 'kassa.db');
    const devices = join(tmp.dir, 'devices.json');
    writeFileSync(devices, JSON.stringify({ devices: [{ kind: 'escposPrinter', id: 'printer', transport: { type: 'tcp', host: '127.0.0.1', port }, pollMs: 50 }] }));
    const args = ['--demo', '--devices', devices];

    core = await startCoreProcess(db, args);
    let client = await ApiClient.connect(core.port, core.token);
    await ok(client, { cmd: 'signIn', operator: '1', pin: '1111' });
    await ok(client, { cmd: 'openTill', float: [] });
    await until('printer ready', () => client.snapshot?.devices.printer.state === 'ok');
    // The printer prints the receipt and holds back its confirmation: the core dies in between.
    sim.processId = 'hold';
    await ok(client, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    await ok(client, { cmd: 'tenderCash' });
    await ok(client, { cmd: 'complete', receipt: 'print' });
    await until('the sale in the snapshot', () => client.snapshot?.lastSale !== null);
    const saleId = client.snapshot!.lastSale!.saleId;
    await until('the receipt on paper (cut)', () => sim.cuts === 1);
    client.close();
    core.child.kill('SIGKILL');
    await core.exited;
    core = null;
    expect(sim.printedText().split('--- CUT ---').filter((r) => r.includes('KOPIA')).length).toBe(0);

    sim.processId = 'answer';
    core = await startCoreProcess(db, args);
    client = await ApiClient.connect(core.port, core.token);
    const job = new Database(db, { readonly: true });
    try {
      expect(job.prepare('SELECT state FROM print_job WHERE job_key = ?').get(`receipt:${saleId}`)).toEqual({ state: 'uncertain' });
    } finally {
      job.close();
    }
    expect(client.snapshot!.devices.printer).toMatchObject({ uncertain: 1, uncertainSale: saleId });
    await until('printer ready', () => client.snapshot?.devices.printer.state === 'ok');
    const printedBefore = sim.printedText();

    if (client.snapshot!.lane.state === 'signedOut') await ok(client, { cmd: 'signIn', operator: '1', pin: '1111' });
    await ok(client, { cmd: 'reprintReceipt', saleId });
    await until('the reprint answered the doubt', () => client.snapshot?.devices.printer.uncertain === 0);
    expect(client.snapshot!.devices.printer.uncertainSale).toBeNull();
    await until('the COPY printed', () => sim.printedText().length > printedBefore.length && sim.printedText().slice(printedBefore.length).includes('--- CUT ---'));
    const after = sim.printedText().slice(printedBefore.length);
    // The demo store is Swedish with its control unit: the legal copy, KOPIA in double size with the copy's own control code.
    expect(after).toMatch(/KOPIA[\s\S]*Kontrollkod \(kopia\)/);
    // Two receipts on paper in all: the original (printed before the crash, not sent again) and the COPY.
    const receipts = sim.printedText().split('--- CUT ---').filter((r) => r.trim() !== '');
    expect(receipts).toHaveLength(2);
    expect(receipts[0]).not.toContain('KOPIA');
    expect(receipts[1]).toContain('Kontrollkod (kopia)');
    client.close();
  });
});
