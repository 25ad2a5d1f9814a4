/**
 * First-boot provisioning on the terminal's own screen (issue 20.2), with real processes: a core
 * started with --provisioning and an empty data folder sells nothing and shows the provisioning
 * view; a provisioning.json dropped into its provision folder (the USB stick) enrolls it at a real
 * HQ, pulls HQ's catalog with its progress, finds its devices and opens the lane as HQ's store and
 * lane without a restart. What goes wrong says why and can be tried again without anything
 * half-done in the way: a stick for another lane (refused before the token is used), a used token,
 * an unreadable code, HQ out of reach, no catalog yet, a catalog key that does not sign HQ's catalog.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateCatalogKey } from '../../hq/catalog';
import { provisioningCode, type ProvisioningFile } from '../../protocol/provisioning';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../helpers/core-process';
import { firstBootRig, freePort, freshTerminal, hqFiles, phase, views } from '../helpers/first-boot';
import { startHqProcess } from '../helpers/hq-process';
import { until } from '../helpers/wait';

const { tmp, children, cores, startHq } = firstBootRig('kassa-first-boot-');

describe('first-boot provisioning on the terminal’s screen', () => {
  const hq = hqFiles(tmp.dir, 'hq');
  let hqUrl = '';
  let usedToken = '';

  beforeAll(async () => {
    hqUrl = await startHq(hq);
  });

  it('sells nothing until a provisioning.json is found on the stick; then enrolls, pulls the catalog, finds devices and opens the lane as HQ’s store and lane', async () => {
    const t = await freshTerminal(tmp.dir, cores, 'usb');
    expect(t.client.snapshot!.provisioning).toMatchObject({ phase: 'waiting', dirs: [t.stick], failure: null });
    expect(await t.client.send({ cmd: 'signIn', operator: '1', pin: '1111' })).toMatchObject({ type: 'error', code: 'NOT_PROVISIONED' });
    expect(await t.client.send({ cmd: 'serviceInfo' })).toMatchObject({ type: 'error', code: 'NOT_PROVISIONED' });
    usedToken = hq.issue('store-8:5');
    const file: ProvisioningFile = { hq: hqUrl, token: usedToken, catalogKeys: [hq.key], store: 'store-8', lane: '5' };
    writeFileSync(join(t.stick, 'provisioning.json'), JSON.stringify(file));
    await until('ready to sell', () => phase(t.client) === 'ready', 30_000);
    const seen = views(t.client);
    expect(seen.some((v) => v.phase === 'working' && v.step === 'enrolling' && v.source === 'usb')).toBe(true);
    // Snapshots go out once per burst: the steps seen are those that took a moment (HQ's answers).
    expect(seen.some((v) => v.phase === 'working' && v.step === 'catalog' && v.enrolled?.laneId === '5')).toBe(true);
    const ready = t.client.snapshot!.provisioning!;
    expect(ready).toMatchObject({ step: 'ready', source: 'usb', failure: null, catalog: { version: 1, done: 2, total: 2 }, enrolled: { storeId: 'store-8', laneId: '5', reflash: false } });
    expect(ready.enrolled!.terminalId).toMatch(/^T-/);
    expect(ready.devices).not.toBeNull();
    // The lane is HQ's store and lane now, and answers (nobody is provisioned to sign in yet: a refusal of the credentials, not of the terminal).
    expect(t.client.snapshot!.terminal).toMatchObject({ storeId: 'store-8', laneId: '5' });
    expect(await t.client.send({ cmd: 'signIn', operator: '1', pin: '1111' })).toMatchObject({ type: 'error', code: 'BAD_CREDENTIALS' });
    // "Ready to sell" gives way to the lane's screens, and replication to HQ starts — no restart.
    await until('the provisioning view gone', () => t.client.snapshot?.provisioning === undefined, 10_000);
    await until('checking in at HQ', () => t.client.snapshot?.catalog?.lastCheck != null && t.client.snapshot.sync !== null, 15_000);
    expect(t.client.snapshot!.catalog!.items).toBe(2);
    t.client.close();
    await stopCoreProcess(t.core);
    // Restarted (the kiosk image always passes --provisioning): no provisioning screen, the identity stays HQ's.
    const again = await startCoreProcess(t.db, ['--provisioning', '--provision-dir', t.stick], 20_000);
    cores.push(again);
    const c2 = await ApiClient.connect(again.port, again.token);
    expect(c2.snapshot!.provisioning).toBeUndefined();
    expect(c2.snapshot!.terminal).toMatchObject({ storeId: 'store-8', laneId: '5' });
    c2.close();
  });

  it('npm run provision --file takes the same provisioning.json: a store or lane other than the token’s is refused, the token still good', () => {
    const token = hq.issue('store-8:10');
    const file = join(tmp.dir, 'cli-provisioning.json');
    const provision = () => spawnSync(process.execPath, ['dist/core/provision.js', '--file', file, '--db', join(tmp.dir, 'cli-lane.db')], { encoding: 'utf8' });
    writeFileSync(file, JSON.stringify({ hq: hqUrl, token, catalogKeys: [hq.key], store: 'store-9', lane: '10' }));
    const wrong = provision();
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/provisioning failed: this token is for store store-8, not store store-9 as the provisioning file says/);
    writeFileSync(file, JSON.stringify({ hq: 'file:///etc/passwd', token }));
    expect(provision().stderr).toMatch(/provisioning file .*: hq: .*http/);
    writeFileSync(file, JSON.stringify({ hq: hqUrl, token, catalogKeys: [hq.key], store: 'store-8', lane: '10' }));
    const right = provision();
    expect(right.stderr).toBe('');
    expect(right.stdout).toMatch(/enrolled as T-[\w-]+ \(store store-8, lane 10\)[\s\S]*catalog version 1 from HQ: 2 items\nready to sell/);
  });

  it('refuses a stick for another lane before its token is used; the stick made right then works', async () => {
    const t = await freshTerminal(tmp.dir, cores, 'lane');
    const token = hq.issue('store-8:6');
    writeFileSync(join(t.stick, 'provisioning.json'), JSON.stringify({ hq: hqUrl, token, catalogKeys: [hq.key], store: 'store-8', lane: '7' }));
    await until('refused', () => phase(t.client) === 'failed', 20_000);
    expect(t.client.snapshot!.provisioning!.failure).toMatchObject({ code: 'wrongLane' });
    expect(t.client.snapshot!.provisioning!.failure!.detail).toMatch(/lane 6 of store store-8, not lane 7/);
    expect(t.client.snapshot!.provisioning!.enrolled).toBeNull();
    // The same stick is not tried again and again …
    await new Promise((r) => setTimeout(r, 2_500));
    expect(views(t.client).filter((v) => v.phase === 'working').length).toBe(1);
    // … but one corrected is, with the same token: it was not used up.
    writeFileSync(join(t.stick, 'provisioning.json'), JSON.stringify({ hq: hqUrl, token, catalogKeys: [hq.key], store: 'store-8', lane: '6' }));
    await until('ready to sell', () => phase(t.client) === 'ready', 30_000);
    expect(t.client.snapshot!.terminal).toMatchObject({ storeId: 'store-8', laneId: '6' });
    t.client.close();
  });

  it('takes the code typed or scanned: an unreadable one and a used token say so, try again waits for a new code, a good one provisions', async () => {
    const t = await freshTerminal(tmp.dir, cores, 'typed');
    expect(await t.client.send({ cmd: 'provisionSubmit', text: 'KASSA-PROVISION:e30!' })).toMatchObject({ type: 'ack' });
    await until('unreadable', () => t.client.snapshot?.provisioning?.failure?.code === 'unreadable');
    expect(t.client.snapshot!.provisioning!.source).toBe('typed');
    // A used token (the first test's).
    await t.client.send({ cmd: 'provisionSubmit', text: provisioningCode({ hq: hqUrl, token: usedToken, catalogKeys: [hq.key] }) });
    await until('token used', () => t.client.snapshot?.provisioning?.failure?.code === 'tokenUsed', 20_000);
    expect(t.client.snapshot!.provisioning!.failure!.detail).toMatch(/already used/);
    // Try again: no stick, nothing enrolled — the screen waits for a new code.
    await t.client.send({ cmd: 'provisionRetry' });
    await until('waiting again', () => phase(t.client) === 'waiting');
    expect(t.client.snapshot!.provisioning!.failure).toBeNull();
    // A payload that is no provisioning payload at all is refused by the Terminal API's schema (too long).
    expect(await t.client.send({ cmd: 'provisionSubmit', text: 'x'.repeat(5_000) })).toMatchObject({ type: 'error', code: 'INVALID_COMMAND' });
    await t.client.send({ cmd: 'provisionSubmit', text: provisioningCode({ hq: hqUrl, token: hq.issue('store-8:8'), catalogKeys: [hq.key], store: 'store-8', lane: '8' }) });
    await until('ready to sell', () => phase(t.client) === 'ready', 30_000);
    expect(t.client.snapshot!.provisioning).toMatchObject({ source: 'typed', enrolled: { laneId: '8' } });
    t.client.close();
  });

  it('takes back a catalog key that does not sign HQ’s catalog; the stick with HQ’s key goes on without enrolling again, also after a restart', async () => {
    const t = await freshTerminal(tmp.dir, cores, 'key');
    const token = hq.issue('store-8:9');
    const stranger = loadOrCreateCatalogKey(join(tmp.dir, 'stranger.pem')).signer.publicKey;
    writeFileSync(join(t.stick, 'provisioning.json'), JSON.stringify({ hq: hqUrl, token, catalogKeys: [stranger], store: 'store-8', lane: '9' }));
    await until('refused', () => phase(t.client) === 'failed', 30_000);
    expect(t.client.snapshot!.provisioning).toMatchObject({ failure: { code: 'catalogKey' }, enrolled: { laneId: '9' } });
    const db = new Database(t.db, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM catalog_key').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    // The lane still refuses to sell with the terminal enrolled but without its catalog …
    expect(await t.client.send({ cmd: 'signIn', operator: '1', pin: '1111' })).toMatchObject({ type: 'error', code: 'NOT_PROVISIONED' });
    // … also after a restart, when it runs the steps left by itself, and the same stick again does not try to enroll with its used token.
    t.client.close();
    await stopCoreProcess(t.core);
    const again = await startCoreProcess(t.db, ['--provisioning', '--provision-dir', t.stick], 20_000, { KASSA_CATALOG_POLL_MS: '500' });
    cores.push(again);
    const c2 = await ApiClient.connect(again.port, again.token);
    await until('refused again', () => c2.snapshot?.provisioning?.failure?.code === 'catalogKey', 30_000);
    expect(c2.snapshot!.provisioning!.enrolled).toMatchObject({ storeId: 'store-8', laneId: '9' });
    await new Promise((r) => setTimeout(r, 2_500)); // the stick read again meanwhile
    writeFileSync(join(t.stick, 'provisioning.json'), JSON.stringify({ hq: hqUrl, token, catalogKeys: [hq.key], store: 'store-8', lane: '9' }));
    await until('ready to sell', () => phase(c2) === 'ready', 30_000);
    expect(views(c2).some((v) => v.step === 'enrolling' || v.failure?.code === 'tokenUsed')).toBe(false);
    c2.close();
  });

  it('says when HQ cannot be reached or has no catalog yet; try again goes on from where it stopped', async () => {
    const other = hqFiles(tmp.dir, 'hq-later');
    const port = await freePort();
    const token = other.issue('store-9:1');
    const t = await freshTerminal(tmp.dir, cores, 'unreachable');
    writeFileSync(join(t.stick, 'other-name.txt'), 'not it');
    writeFileSync(join(t.stick, 'provisioning.json'), JSON.stringify({ hq: `http://127.0.0.1:${port}`, token, catalogKeys: [other.key] }));
    await until('unreachable', () => t.client.snapshot?.provisioning?.failure?.code === 'hqUnreachable', 30_000);
    await startHqProcess(other.db, children, port);
    await t.client.send({ cmd: 'provisionRetry' });
    await until('no catalog yet', () => t.client.snapshot?.provisioning?.failure?.code === 'noCatalog', 30_000);
    expect(t.client.snapshot!.provisioning!.enrolled).toMatchObject({ storeId: 'store-9', laneId: '1' });
    other.publish();
    await t.client.send({ cmd: 'provisionRetry' });
    await until('ready to sell', () => phase(t.client) === 'ready', 30_000);
    expect(t.client.snapshot!.provisioning!.catalog).toMatchObject({ done: 2, total: 2 });
    t.client.close();
  });
});
