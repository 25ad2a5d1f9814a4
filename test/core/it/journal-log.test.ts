/**
 * Store IT's log tells what happened at the lane: sales, card declines, reports, approvals and
 * refusals appear as lines (from a real core process, read back with the service screen's command);
 * an entry rolled back with its command is not logged; nothing a PIN was typed into is written.
 */
import { rawAppend } from '../../helpers/journal';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { openDatabase } from '../../../core/db';
import { Journal } from '../../../core/journal';
import { journalLogLine, logJournal } from '../../../core/it/journal-log';
import { PROFILES } from '../../../core/profile';
import type { CommandBody } from '../../../protocol/terminal';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../../helpers/core-process';
import { IT } from '../../helpers/store-it';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-journal-log-');
let core: CoreProcess;
let api: ApiClient;
beforeAll(async () => {
  core = await startCoreProcess(join(tmp.dir, 'lane.db'), ['--demo']);
  api = await ApiClient.connect(core.port, core.token);
});
afterAll(async () => {
  api?.close();
  if (core) await stopCoreProcess(core);
  tmp.cleanup();
});

async function logText(): Promise<string> {
  const r = await api.send({ cmd: 'serviceLog', approval: IT });
  if (r.type !== 'ack' || !r.result || !('serviceLog' in r.result)) throw new Error(JSON.stringify(r));
  return r.result.serviceLog.lines.map((l) => l.text).join('\n');
}

describe("store IT's log", () => {
  it('shows the sign-in, the till opened, a refused scan, a sale with its tenders and an approval; no PIN', async () => {
    const cmds: CommandBody[] = [
      { cmd: 'signIn', operator: '1', pin: '1111' },
      { cmd: 'openTill', float: [{ denomination: 10_000, count: 2 }] },
      { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! },
      { cmd: 'tenderCash', amount: 5_000 },
      { cmd: 'complete', receipt: 'none' },
    ];
    for (const cmd of cmds) expect((await api.send(cmd)).type, cmd.cmd).toBe('ack');
    expect(await api.send({ cmd: 'signIn', operator: '1', pin: '1111' })).toMatchObject({ type: 'error' });
    // Lines are written once their transaction committed (right after the command): read until there.
    let text = '';
    for (let i = 0; i < 50 && !/sale\.completed/.test(text); i++) {
      text = await logText();
      if (!/sale\.completed/.test(text)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toMatch(/journal #\d+ sale\.completed: sale 1, 1 line\(s\), [\d,]+ SEK paid cash 50,00 SEK by 1/);
    expect(text).toMatch(/journal #\d+ operator\.signIn 1 by 1/);
    expect(text).toMatch(/till opened with a float of 200,00 SEK by 1/);
    expect(text).toMatch(/refused signIn: NOT_ALLOWED_NOW/);
    expect(text).not.toMatch(/1111/);
  });

  it('words a declined card payment and leaves out the terminal\'s step messages', () => {
    const line = journalLogLine({ seq: 12, kind: 'payment.declined', ref: 's1', body: JSON.stringify({ saleId: 's1', amount: 6_666, reason: 'declined by the issuer' }) }, PROFILES.SE);
    expect(line).toBe('journal #12 payment.declined: card payment declined, 66,66 SEK (declined by the issuer)');
    expect(journalLogLine({ seq: 13, kind: 'payment.step', ref: 's1', body: '{"step":"insertCard"}' }, PROFILES.SE)).toBeNull();
  });

  it('words a return with the amount refunded (the return document\'s `refund`)', () => {
    const line = journalLogLine({ seq: 14, kind: 'sale.return', ref: 'r1', body: JSON.stringify({ type: 'return', saleId: 'r1', refund: 2_500, rounding: 0, operator: '2' }) }, PROFILES.SE);
    expect(line).toBe('journal #14 sale.return: return of 25,00 SEK by 2');
  });

  it('logs an entry only once its transaction committed: one rolled back with its command is not', async () => {
    const db = openDatabase(':memory:');
    const journal = new Journal(db);
    const lines: string[] = [];
    logJournal(db, journal, PROFILES.SE, (l) => lines.push(l));
    expect(() =>
      db.transaction(() => {
        rawAppend(journal, 'drawer.noSale', null, { operator: '1' }, '2026-11-30T08:00:00.000Z');
        throw new Error('the command failed');
      })(),
    ).toThrow('the command failed');
    db.transaction(() => rawAppend(journal, 'drawer.noSale', null, { operator: '2' }, '2026-11-30T08:00:01.000Z'))();
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual(['journal #1 drawer.noSale by 2']);
    db.close();
  });
});
