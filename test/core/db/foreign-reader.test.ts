/**
 * Store IT reads a running till's database from another process — the journal verifier, a backup,
 * `npm run provision` taking up a link — while the till sells. The till must not notice: its
 * background checkpointer (core/db/checkpointer.ts) once closed a descriptor of the -shm file each
 * second, which dropped the core's POSIX locks on the wal-index; the next process to open the
 * database then took the wal-index for its own, reset it, and the core died of SIGBUS mid-command.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../../helpers/core-process';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-foreign-reader-');
let core: CoreProcess | undefined;
afterAll(async () => {
  if (core) await stopCoreProcess(core).catch(() => undefined);
  tmp.cleanup();
});

it('a till keeps selling while other processes open, read and close its database, the journal verifier among them', async () => {
  const file = join(tmp.dir, 'kassa.db');
  core = await startCoreProcess(file, ['--demo'], 20_000);
  let died: string | null = null;
  const exited = new Promise<never>((_, rej) => core!.child.once('exit', (code, signal) => rej(new Error((died = `the core died: ${code ?? signal}`)))));
  exited.catch(() => undefined);
  /** A command's answer, or the core's death said as such (not a time-out). */
  const alive = <T>(p: Promise<T>) => Promise.race([p, exited]);
  const client = await ApiClient.connect(core.port, core.token);
  expect(await client.send({ cmd: 'signIn', operator: '1', pin: '1111' })).toMatchObject({ type: 'ack' });
  expect(await client.send({ cmd: 'openTill', float: [] })).toMatchObject({ type: 'ack' });
  // The checkpointer looks at the wal-index every second: let it, several times, between the readers.
  for (let i = 0; i < 6; i++) {
    const scan = client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' });
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT count(*) AS n FROM journal').get()).toMatchObject({ n: expect.any(Number) });
    reader.close();
    expect(await alive(scan)).toMatchObject({ type: 'ack' });
    await new Promise((r) => setTimeout(r, 700));
  }
  const verified = await new Promise<string>((res) => execFile(process.execPath, ['--import', 'tsx', 'scripts/journal-verify.ts', file], { cwd: join(__dirname, '../../..') }, (_e, out, err) => res(`${out}${err}`)));
  expect(verified).toMatch(/^OK: /);
  // Every scan is in the basket: nothing was lost to the readers.
  expect(client.snapshot!.checkout!.lines.filter((l) => !l.voided).reduce((n, l) => n + l.quantity, 0)).toBe(6);
  expect(await alive(client.send({ cmd: 'tenderCash' }))).toMatchObject({ type: 'ack' });
  expect(await alive(client.send({ cmd: 'complete' }))).toMatchObject({ type: 'ack' });
  expect(died).toBeNull();
  client.close();
}, 90_000);
