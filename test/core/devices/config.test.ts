/** Device configuration: invalid entries are refused by field, the valid ones start and work. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDeviceConfig } from '../../../core/devices/config';
import { openDatabase } from '../../../core/db';
import { generateCatalog } from '../../../core/catalog/demo';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../../helpers/core-process';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const tmp = tempDir('kassa-devcfg-');
afterAll(() => tmp.cleanup());

describe('device configuration', () => {
  it('names the field of each invalid device and keeps the valid ones', () => {
    const r = parseDeviceConfig(
      JSON.stringify({
        devices: [
          { kind: 'escposPrinter', id: 'printer', transport: { type: 'tcp', host: '10.0.0.5', port: 9100 } },
          { kind: 'escposPrinter', id: 'printer2', transport: { type: 'tcp', host: '10.0.0.6', port: 'abc' } },
          { kind: 'toledoScale', id: 'scale', path: 'C:\\COM1' },
          { kind: 'coffeeMachine', id: 'x' },
          { kind: 'serialScanner', id: 'printer', path: '/dev/ttyACM0' },
          { kind: 'serialScanner', id: 'scanner', path: '/dev/ttyACM0', suffix: 'TAB' },
        ],
      }),
    );
    expect(r.devices.map((d) => d.id)).toEqual(['printer']);
    expect(r.errors).toEqual([
      expect.stringMatching(/^devices\[1\]\.transport\.port: /),
      expect.stringMatching(/^devices\[2\]\.path: /),
      expect.stringMatching(/^devices\[3\]\.kind: /),
      'devices[4].id: "printer" is used twice',
      expect.stringMatching(/^devices\[5\]\.suffix: /),
    ]);
    expect(parseDeviceConfig('{not json').errors[0]).toMatch(/not valid JSON/);
    expect(parseDeviceConfig('{"devices": 3}').errors).toEqual(['device configuration: "devices" must be a list']);
  });

  it('the lane still starts with the valid devices of a partly invalid file', async () => {
    const dbPath = join(tmp.dir, 'lane.db');
    const db = openDatabase(dbPath);
    generateCatalog(db, {});
    seedDemoOperators(new Operators(db));
    db.close();
    const file = join(tmp.dir, 'devices.json');
    writeFileSync(file, JSON.stringify({ devices: [{ kind: 'escposPrinter', id: 'printer', transport: { type: 'simulated' } }, { kind: 'toledoScale', id: 'scale', path: 42 }] }));
    const core = await startCoreProcess(dbPath, ['--devices', file]);
    const client = await ApiClient.connect(core.port, core.token);
    await until('printer online', () => client.snapshot?.devices.printer.state === 'ok');
    expect(core.stderr.join('\n')).toMatch(/devices\[1\]\.path/);
    client.close();
    await stopCoreProcess(core);
  });
});
