/** A demo lane with restartable devices and store IT's service tools on a fresh SQLite file. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../core/db';
import { Catalog } from '../../core/catalog/repo';
import { LaneService } from '../../core/lane/host';
import { parseDeviceConfig } from '../../core/devices/config';
import { DeviceHolder } from '../../core/devices/holder';
import { LogRing } from '../../core/it/log';
import { StoreIt } from '../../core/it/tools';
import { Journal } from '../../core/journal';
import { loadOrCreateTerminalSigner } from '../../core/journal/signer';
import type { PaymentPort } from '../../core/payments/port';
import { PROFILES } from '../../core/profile';
import { demoDb } from './demo-lane';
import { run } from './lane';
import { testClock } from './clock';

export interface StoreItLane {
  db: Db;
  dbPath: string;
  devicesFile: string;
  service: LaneService;
  devices: DeviceHolder;
  it: StoreIt;
  logs: LogRing;
  lines: string[];
  usbRoot: string;
  close(): Promise<void>;
}

export async function openStoreItLane(dir: string, opts: { devices?: unknown; payments?: PaymentPort; devicesFile?: string } = {}): Promise<StoreItLane> {
  const db = demoDb(dir);
  const dbPath = join(dir, 'lane.db');
  const journal = new Journal(db, { signer: loadOrCreateTerminalSigner(db) });
  const logs = new LogRing();
  const lines: string[] = [];
  const log = logs.tee((l) => lines.push(l));
  const devices = await DeviceHolder.start(parseDeviceConfig(JSON.stringify(opts.devices ?? { devices: [] })).devices, db, { log });
  const identity = { storeId: 's', storeName: 'Testbutiken', laneId: '1' };
  const service = new LaneService(db, new Catalog(db), PROFILES.SE, identity, { now: testClock(), journal,
    log,
    ...(opts.payments ? { payments: opts.payments } : {}),
    ...(devices.printQueue ? { printQueue: devices.printQueue } : {}),
    ...(devices.scale ? { scale: devices.scale } : {}), });
  devices.attach(service);
  run(service, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(service, { cmd: 'openTill', float: [] });
  const usbRoot = join(dir, 'media');
  mkdirSync(join(usbRoot, 'kassa', 'STICK'), { recursive: true });
  const devicesFile = opts.devicesFile ?? `${dbPath}.devices.json`;
  const it = new StoreIt({ db, dbPath, service, journal, catalog: new Catalog(db), identity, profile: PROFILES.SE, logs, log, devices, devicesFile, demo: false, usbRoots: [usbRoot] });
  return {
    db,
    dbPath,
    devicesFile,
    service,
    devices,
    it,
    logs,
    lines,
    usbRoot,
    async close() {
      service.dispose();
      await devices.stop();
      db.close();
    },
  };
}

export const IT = { operator: '9', pin: '9999' } as const;
export const SUPERVISOR = { operator: '7', pin: '7777' } as const;
