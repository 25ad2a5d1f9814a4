/**
 * Store IT's kiosk exit with a real core process. The kiosk image runs the core in browser mode with
 * --exit-on-kiosk-exit: there is no kiosk app to quit, so the core itself stops cleanly with status
 * 64 (EXIT_BY_STORE_IT), which its systemd unit does not restart (RestartPreventExitStatus=64) and
 * the kiosk shows as "closed by store IT". Without the flag (a kiosk app supervises the core) the
 * core prints the exit line and keeps running. Either way the exit is journalled with who.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/db';
import { EXIT_BY_STORE_IT } from '../../protocol/terminal';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';

const tmp = tempDir('kassa-kiosk-exit-');
const cores: CoreProcess[] = [];
afterAll(async () => {
  for (const c of cores) await stopCoreProcess(c);
  tmp.cleanup();
});

const IT = { operator: '9', pin: '9999' };

async function core(name: string, args: string[]): Promise<{ c: CoreProcess; client: ApiClient; stdout: string[]; db: string }> {
  const db = join(tmp.dir, `${name}.db`);
  const c = await startCoreProcess(db, ['--demo', ...args]);
  cores.push(c);
  const stdout: string[] = [];
  createInterface({ input: c.child.stdout! }).on('line', (l) => stdout.push(l));
  return { c, client: await ApiClient.connect(c.port, c.token), stdout, db };
}

describe('kiosk exit by store IT, core in browser mode', { timeout: 60_000 }, () => {
  it('with --exit-on-kiosk-exit the core stops cleanly with 64 after the ack; the exit is journalled', async () => {
    const { c, client, stdout, db } = await core('image', ['--exit-on-kiosk-exit']);
    // A wrong PIN exits nothing.
    expect(await client.send({ cmd: 'exitKiosk', approval: { operator: '9', pin: '1234' } })).toMatchObject({ type: 'error', code: 'BAD_CREDENTIALS' });
    expect(await client.send({ cmd: 'exitKiosk', approval: IT })).toMatchObject({ type: 'ack' });
    expect(await c.exited).toEqual({ code: EXIT_BY_STORE_IT, signal: null });
    expect(EXIT_BY_STORE_IT).toBe(64);
    expect(stdout).toContain('{"kassa":"exit","operator":"9"}');
    expect(c.stderr.join('\n')).toMatch(/kiosk exit by store IT: closing/);
    const d = openDatabase(db);
    try {
      const row = d.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'kiosk.exit'").get();
      expect(JSON.parse(row!.body)).toMatchObject({ by: '9' });
    } finally {
      d.close();
    }
    client.close();
  });

  it('without it the core prints the exit line for the kiosk app and keeps running', async () => {
    const { c, client, stdout } = await core('app', []);
    expect(await client.send({ cmd: 'exitKiosk', approval: IT })).toMatchObject({ type: 'ack' });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(stdout).toContain('{"kassa":"exit","operator":"9"}');
    expect(c.child.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${c.port}/health`)).ok).toBe(true);
    client.close();
  });
});
