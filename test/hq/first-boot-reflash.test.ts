/**
 * First-boot provisioning of a reflashed till (issues 19.3 and 20.2), with real processes: lane 2
 * of a store sells, its sales reach lane 1 (its peer), and its disk is lost. A blank terminal
 * started for provisioning gets a stick with a reflash token: it enrolls as lane 2's terminal
 * again, shows that it is getting the lane's sales back from the other tills, takes them from lane
 * 1 (core/peers/recover.ts), pulls HQ's catalog and is ready to sell, its sales numbers going on.
 * A one-till store's reflashed till gets its sales back from HQ instead (core/peers/recover-hq.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { enroll } from '../../core/sync/link';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { demoDb } from '../helpers/demo-lane';
import { firstBootRig, freshTerminal, hqFiles, phase, views } from '../helpers/first-boot';
import { until } from '../helpers/wait';

const { tmp, cores, startHq } = firstBootRig('kassa-first-boot-reflash-');

const PEER_ENV = { KASSA_CATALOG_POLL_MS: '500', KASSA_PEER_RELAY_GRACE_MS: '0' };

describe('first-boot provisioning with a reflash token', () => {
  it('gets the lane’s sales back from the other tills on screen, then is ready to sell', async () => {
    const hq = hqFiles(tmp.dir, 'hq');
    const hqUrl = await startHq(hq);
    // Lanes 1 and 2 of store-r, each listening for the other.
    const lanes: Array<{ core: CoreProcess; client: ApiClient }> = [];
    for (const lane of ['1', '2']) {
      const db = demoDb(tmp.dir, `lane-${lane}.db`);
      await enroll(db, hqUrl, hq.issue(`store-r:${lane}`), '0.1.0');
      db.close();
      const core = await startCoreProcess(join(tmp.dir, `lane-${lane}.db`), ['--lane', lane, '--store-id', 'store-r', '--peer-listen', '127.0.0.1:0'], 20_000, PEER_ENV);
      cores.push(core);
      lanes.push({ core, client: await ApiClient.connect(core.port, core.token) });
    }
    const [one, two] = lanes as [(typeof lanes)[0], (typeof lanes)[0]];
    for (const l of lanes) await until('the peer known', () => (l.client.snapshot?.peers ?? []).some((p) => p.address !== null), 20_000);
    await two.client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
    await two.client.send({ cmd: 'openTill', float: [] });
    for (let i = 0; i < 2; i++) {
      await two.client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' });
      await two.client.send({ cmd: 'tenderCash' });
      expect((await two.client.send({ cmd: 'complete' })).type).toBe('ack');
    }
    await until('lane 1 holds lane 2’s sales', () => (one.client.snapshot?.peers ?? []).find((p) => p.laneId === '2')?.held === 2, 30_000);
    // Lane 2's disk is lost.
    two.client.close();
    await stopCoreProcess(two.core);

    const t = await freshTerminal(tmp.dir, cores, 'reflashed', ['--peer-listen', '127.0.0.1:0']);
    writeFileSync(join(t.stick, 'provisioning.json'), JSON.stringify({ hq: hqUrl, token: hq.issue('store-r:2', '--reflash'), catalogKeys: [hq.key], store: 'store-r', lane: '2' }));
    await until('ready to sell', () => phase(t.client) === 'ready', 60_000);
    const seen = views(t.client);
    expect(seen.some((v) => v.phase === 'working' && v.step === 'recovering' && v.enrolled?.reflash === true)).toBe(true);
    expect(t.client.snapshot!.provisioning).toMatchObject({ enrolled: { storeId: 'store-r', laneId: '2', reflash: true }, recovery: { source: 'peers', sales: 2, fromLane: '1' }, catalog: { done: 2, total: 2 }, failure: null });
    expect(t.client.snapshot!.terminal).toMatchObject({ storeId: 'store-r', laneId: '2' });
    const db = new Database(t.db, { readonly: true });
    try {
      expect(db.prepare('SELECT sequence FROM sale ORDER BY sequence').all()).toEqual([{ sequence: 1 }, { sequence: 2 }]);
      expect(db.prepare('SELECT count(*) AS n FROM recovery_pending').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    t.client.close();
    one.client.close();
  });

  it('a one-till store: the reflashed till gets its sales back from HQ, on screen', async () => {
    const hq = hqFiles(tmp.dir, 'solo-hq');
    const hqUrl = await startHq(hq);
    const db = demoDb(tmp.dir, 'solo.db');
    await enroll(db, hqUrl, hq.issue('solo:1'), '0.1.0');
    db.close();
    const core = await startCoreProcess(join(tmp.dir, 'solo.db'), ['--lane', '1', '--store-id', 'solo'], 20_000, PEER_ENV);
    cores.push(core);
    const client = await ApiClient.connect(core.port, core.token);
    await client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
    await client.send({ cmd: 'openTill', float: [] });
    for (let i = 0; i < 3; i++) {
      await client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' });
      await client.send({ cmd: 'tenderCash' });
      await client.send({ cmd: 'complete' });
    }
    await until('HQ has the sales', () => client.snapshot?.sync?.backlog === 0 && client.snapshot.sync.ackedThrough === 3, 30_000);
    client.close();
    await stopCoreProcess(core);

    const t = await freshTerminal(tmp.dir, cores, 'solo-reflashed');
    writeFileSync(join(t.stick, 'provisioning.json'), JSON.stringify({ hq: hqUrl, token: hq.issue('solo:1', '--reflash'), catalogKeys: [hq.key], store: 'solo', lane: '1' }));
    await until('ready to sell', () => phase(t.client) === 'ready', 60_000);
    expect(views(t.client).some((v) => v.step === 'recovering' && v.recovery?.source === 'hq')).toBe(true);
    expect(t.client.snapshot!.provisioning).toMatchObject({ enrolled: { reflash: true }, recovery: { source: 'hq', sales: 3, fromLane: null }, failure: null });
    t.client.close();
  });
});
