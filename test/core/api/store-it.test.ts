/**
 * Store IT over the Terminal API (in process, real socket): the service commands need the IT
 * number and PIN (a supervisor is refused), and the kiosk exit is acknowledged, journalled and
 * handed to the ApiServer's onExitRequest with who asked.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer } from '../../../core/api/server';
import { CoreExitRequestSchema } from '../../../protocol/terminal/process';
import { ApiClient } from '../../helpers/core-process';
import { IT, openStoreItLane, SUPERVISOR, type StoreItLane } from '../../helpers/store-it';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-api-it-');
let lane: StoreItLane;
let api: ApiServer;
let client: ApiClient;
const exits: string[] = [];

beforeAll(async () => {
  lane = await openStoreItLane(tmp.dir);
  const token = randomBytes(24).toString('base64url');
  api = new ApiServer({ service: lane.service, token, devices: lane.devices, storeIt: lane.it, onExitRequest: (op) => exits.push(op) });
  const port = await api.listen(0);
  client = await ApiClient.connect(port, token);
});
afterAll(async () => {
  client?.close();
  await api?.close();
  await lane?.close();
  tmp.cleanup();
});

describe('kiosk exit', () => {
  it('a cashier is asked for IT, a supervisor is refused, a wrong PIN is refused; nothing exits', async () => {
    expect(await client.send({ cmd: 'exitKiosk' })).toMatchObject({ type: 'error', code: 'APPROVAL_REQUIRED', params: { action: 'exitKiosk', role: 'it' } });
    expect(await client.send({ cmd: 'exitKiosk', approval: SUPERVISOR })).toMatchObject({ type: 'error', code: 'APPROVAL_DENIED', params: { role: 'it' } });
    expect(await client.send({ cmd: 'exitKiosk', approval: { operator: '9', pin: '1234' } })).toMatchObject({ type: 'error', code: 'BAD_CREDENTIALS' });
    expect(exits).toEqual([]);
    expect(lane.db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'kiosk.exit'").get()).toEqual({ n: 0 });
  });

  it('IT is acknowledged, journalled and logged, then the exit request goes out with who', async () => {
    const ack = await client.send({ cmd: 'exitKiosk', approval: IT });
    expect(ack).toMatchObject({ type: 'ack' });
    expect(exits).toEqual(['9']);
    const entry = lane.db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'kiosk.exit'").get();
    expect(JSON.parse(entry!.body)).toMatchObject({ by: '9', lane: '1', operator: '1' });
    expect(lane.lines).toContain('store IT (operator 9) asked the kiosk app to exit');
    // What core/main.ts prints for the supervisor is this schema's line.
    expect(CoreExitRequestSchema.parse(JSON.parse(JSON.stringify({ kassa: 'exit', operator: exits[0] })))).toEqual({ kassa: 'exit', operator: '9' });
  });
});

describe('store IT commands over the API', () => {
  it('need IT: every one is refused to a supervisor; IT gets identity, log, configuration', async () => {
    for (const cmd of [{ cmd: 'serviceInfo' }, { cmd: 'serviceLog' }, { cmd: 'deviceConfig' }, { cmd: 'saveDeviceConfig', text: '{"devices":[]}', save: true }, { cmd: 'exportDiagnostics', target: lane.usbRoot }] as const)
      expect(await client.send({ ...cmd, approval: SUPERVISOR })).toMatchObject({ type: 'error', code: 'APPROVAL_DENIED', params: { action: cmd.cmd, role: 'it' } });
    const info = await client.send({ cmd: 'serviceInfo', approval: IT });
    expect(info).toMatchObject({ type: 'ack', result: { serviceInfo: { storeId: 's', storeName: 'Testbutiken', laneId: '1', usbTargets: [{ label: 'STICK' }], usbRoots: [lane.usbRoot] } } });
    const bad = await client.send({ cmd: 'saveDeviceConfig', text: '{"devices":[{"kind":"toaster","id":"t"}]}', save: true, approval: IT });
    expect(bad).toMatchObject({ type: 'ack', result: { deviceConfig: { saved: false, problems: [{ device: 't', field: 'kind', code: 'unknownKind' }] } } });
    expect(await client.send({ cmd: 'exportDiagnostics', target: '/etc', approval: IT })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED_NOW', params: { reason: 'usbTarget' } });
  });

  it('without an exit handler the kiosk exit is refused before anything is journalled', async () => {
    const token = randomBytes(24).toString('base64url');
    const bare = new ApiServer({ service: lane.service, token, storeIt: lane.it });
    const c = await ApiClient.connect(await bare.listen(0), token);
    const before = lane.db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'kiosk.exit'").get();
    expect(await c.send({ cmd: 'exitKiosk', approval: IT })).toMatchObject({ type: 'error', code: 'NOT_ALLOWED_NOW', params: { reason: 'noKiosk' } });
    expect(lane.db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'kiosk.exit'").get()).toEqual(before);
    c.close();
    await bare.close();
  });
});
