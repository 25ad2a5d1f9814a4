/**
 * The real core (dist/core/main.js) with a Swedish profile and the control unit simulator store IT
 * provisioned (`npm run provision -- --control-unit simulator`, dist/core/provision.js): the
 * control unit's file next to the database registers each receipt with the store's particulars as
 * provisioned into its database; a Swedish core with none provisioned sells nothing and says why;
 * pulled out (its `.unplugged`
 * file) the sale is refused with CONTROL_UNIT_UNAVAILABLE and completes once it is back; after a
 * SIGKILL the unit keeps its manufacturing number and records.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { ControlUnitSimulator } from '../../../core/fiscal/control-unit/simulator';
import { systemClock } from '../../../core/clock';
import { saveStoreLegal } from '../../../core/markets/store-legal';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../../helpers/core-process';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const tmp = tempDir('kassa-se-process-');
afterAll(() => tmp.cleanup());

/** `npm run provision -- --db <db> --control-unit <arg>`, as store IT runs it (the built CLI). */
function provisionControlUnit(dbPath: string, arg: string): string {
  const r = spawnSync(process.execPath, [resolve('dist/core/provision.js'), '--db', dbPath, '--control-unit', arg], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status).toBe(0);
  return r.stdout;
}

it('a Swedish core registers its receipts with the control unit next to its database, and sells nothing while it is out', async () => {
  const dbPath = join(tmp.dir, 'lane.db');
  const setup = openDatabase(dbPath);
  generateCatalog(setup, {});
  seedDemoOperators(new Operators(setup));
  // The store's registration as store IT provisions it (npm run provision -- --legal store.json), not from the environment.
  saveStoreLegal(setup, { address: 'Götgatan 1, Stockholm', orgNumber: '556677-8899', vatId: '', companyName: 'Kassa Livs AB', tillId: 'SOD-K3' });
  setup.close();
  const marker = `${dbPath}-cu.sqlite.unplugged`;

  // None provisioned: the Swedish core starts, but starts no sale, in words store IT can act on — whatever the environment says.
  const bare = await startCoreProcess(dbPath, ['--profile', 'SE'], 20_000, { KASSA_CONTROL_UNIT: 'simulator' }, { controlUnit: 'none' });
  const bareClient = await ApiClient.connect(bare.port, bare.token);
  await bareClient.send({ cmd: 'signIn', operator: '1', pin: '1111' });
  await bareClient.send({ cmd: 'openTill', float: [] });
  expect(await bareClient.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! })).toMatchObject({ type: 'error', code: 'CONTROL_UNIT_NOT_CONFIGURED', message: expect.stringContaining('npm run provision -- --control-unit') });
  expect(bareClient.snapshot!.controlUnit).toMatchObject({ state: 'unconfigured', device: 'none' });
  bareClient.ws.close();
  await stopCoreProcess(bare);
  expect(provisionControlUnit(dbPath, 'simulator')).toContain('control unit kept: simulator');

  const numbers: string[] = [];
  for (let i = 0; i < 2; i++) {
    const core = await startCoreProcess(dbPath, ['--profile', 'SE'], 20_000);
    const client = await ApiClient.connect(core.port, core.token);
    expect(client.snapshot!.controlUnit).toMatchObject({ state: 'ok', device: expect.stringMatching(/^simulator KSIM/) });
    if (!client.snapshot!.lane.operator) expect((await client.send({ cmd: 'signIn', operator: '1', pin: '1111' })).type).toBe('ack');
    if (!client.snapshot!.lane.till) await client.send({ cmd: 'openTill', float: [] });
    await client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    await client.send({ cmd: 'tenderCash', amount: 2_000 });
    if (i === 1) {
      writeFileSync(marker, '');
      const refused = await client.send({ cmd: 'complete' });
      expect(refused).toMatchObject({ type: 'error', code: 'CONTROL_UNIT_UNAVAILABLE' });
      rmSync(marker);
    }
    const before = client.snapshot!.lastSale?.saleId ?? null;
    expect((await client.send({ cmd: 'complete' })).type).toBe('ack');
    await until('the completed sale in a snapshot', () => (client.snapshot!.lastSale?.saleId ?? null) !== before);
    const receipt = client.snapshot!.lastSale!.receiptText;
    expect(receipt).toMatch(new RegExp(`^Kvittonummer {2,}${i + 1}$`, 'm'));
    expect(receipt).toMatch(/^Kassabeteckning {2,}SOD-K3$/m);
    numbers.push(/^Kontrollenhet {2,}(\S+)$/m.exec(receipt)![1]!);
    client.ws.close();
    await stopCoreProcess(core, 'SIGKILL');
  }
  const cu = new ControlUnitSimulator(`${dbPath}-cu.sqlite`, systemClock);
  expect(numbers).toEqual([cu.manufacturingNumber(), cu.manufacturingNumber()]);
  expect(cu.records().map((r) => [r.receiptNumber, r.type, r.total, r.tillId, r.orgNumber])).toEqual([
    [1, 'normal', 1_700, 'SOD-K3', '556677-8899'],
    [2, 'normal', 1_700, 'SOD-K3', '556677-8899'],
  ]);
  cu.close();
}, 120_000);
