/**
 * A Swedish terminal brought up by first-boot provisioning (the kiosk image's way: no shell for
 * `npm run provision -- --control-unit`), with real processes: HQ's `--issue-token … --control-unit
 * simulator --provisioning-json` puts the control unit in the stick's provisioning.json; the
 * terminal keeps it, the running lane takes it without a restart, and HQ's cashier sells with every
 * receipt registered — where a stick without one leaves a lane that refuses the first scan, saying
 * what store IT does about it. Both with the store's particulars kept at HQ (`npm run hq:legal`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readProvisioning } from '../../protocol/provisioning';
import { firstBootRig, freshTerminal, hqFiles, phase } from '../helpers/first-boot';
import { until } from '../helpers/wait';

const { tmp, cores, startHq } = firstBootRig('kassa-first-boot-cu-');

describe('first-boot provisioning of a Swedish till’s control unit', () => {
  const hq = hqFiles(tmp.dir, 'hq');
  let hqUrl = '';

  beforeAll(async () => {
    hq.staff('store-se', '71', 'Kim Kassör', 'cashier', '4711');
    const legal = spawnSync(process.execPath, ['dist/hq/legal-cli.js', '--db', hq.db, 'set', '--store', 'store-se', '--country', 'SE', '--company', 'Kassa Livs AB', '--org', '556677-8899', '--address', 'Götgatan 1, 118 46 Stockholm'], { encoding: 'utf8' });
    expect(legal.status, legal.stderr).toBe(0);
    hqUrl = await startHq(hq);
  });

  /** A fresh terminal given the stick HQ wrote for `lane` (with `more` options), provisioned and signed in as HQ's cashier. */
  async function provisioned(lane: string, more: string[]) {
    // A blank terminal as the image has it: no control unit, no particulars (the test helper would provision its own).
    const t = await freshTerminal(tmp.dir, cores, `lane-${lane}`, [], {}, { controlUnit: 'none' });
    const json = join(t.stick, 'provisioning.json');
    hq.issue(`store-se:${lane}`, '--with-hq-url', hqUrl, '--catalog-key', hq.key, '--provisioning-json', json, ...more);
    await until('ready to sell', () => phase(t.client) === 'ready', 30_000);
    await until('the provisioning view gone', () => t.client.snapshot?.provisioning === undefined, 10_000);
    expect(await t.client.send({ cmd: 'signIn', operator: '71', pin: '4711' })).toMatchObject({ type: 'ack' });
    await t.client.send({ cmd: 'openTill', float: [] });
    return { ...t, json };
  }

  it('keeps the control unit HQ put in provisioning.json and sells with every receipt registered, without a restart', async () => {
    const t = await provisioned('1', ['--control-unit', 'simulator']);
    const payload = readProvisioning(readFileSync(t.json, 'utf8'));
    expect(payload).toMatchObject({ ok: true, payload: { store: 'store-se', lane: '1', controlUnit: { kind: 'simulator' } } });
    expect(t.client.snapshot!.controlUnit).toMatchObject({ state: 'ok', device: expect.stringMatching(/^simulator /), tillId: 'store-se-1' });
    expect(await t.client.send({ cmd: 'scan', code: '7310865000101', source: 'scanner' })).toMatchObject({ type: 'ack' });
    await t.client.send({ cmd: 'tenderCash' });
    expect(await t.client.send({ cmd: 'complete' })).toMatchObject({ type: 'ack' });
    expect(t.core.stderr.join('\n')).toMatch(/provisioning: control unit kept: simulator/);
    // The receipt as the customer reads it: the store's particulars from HQ and the unit's registration.
    const receipt = t.client.snapshot!.lastSale!.receiptText;
    expect(receipt).toContain('Kassa Livs AB');
    expect(receipt).toContain('556677-8899');
    expect(receipt).toMatch(/Kontrollkod\s*[0-9A-F]{42}\s*[0-9A-F]{22}/);
  });

  it('without one, the lane refuses the first scan and says how store IT gives it one', async () => {
    const t = await provisioned('2', []);
    expect(t.client.snapshot!.controlUnit).toMatchObject({ state: 'unconfigured', device: 'none' });
    const refused = await t.client.send({ cmd: 'scan', code: '7310865000101', source: 'scanner' });
    expect(refused).toMatchObject({ type: 'error', code: 'CONTROL_UNIT_NOT_CONFIGURED', message: expect.stringContaining('on a kiosk terminal the provisioning.json HQ writes with --control-unit') });
  });

  it('HQ refuses a control unit it cannot read before it makes a token', () => {
    const r = spawnSync(process.execPath, ['dist/hq/main.js', '--db', hq.db, '--issue-token', 'store-se:3', '--with-hq-url', hqUrl, '--control-unit', 'cleancash'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--control-unit is none, simulator or <vendor>@<device>/);
  });
});
