/**
 * A pair of connected pseudo-terminals made with socat: one end for the driver, the other for a
 * device simulator. Real serial I/O for tests and the demo, without hardware.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** The end the driver opens (what a real device's /dev/ttyUSB0 would be). */
  host: string;
  /** The end the simulator opens. */
  device: string;
  close(): Promise<void>;
}

/**
 * Opens a PTY pair. With `dir`, the links are made there (dir/host, dir/device): closing the pair
 * and opening it again in the same dir is a cable pulled and plugged back in.
 */
export async function openPtyPair(opts: { dir?: string; timeoutMs?: number } = {}): Promise<PtyPair> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'kassa-pty-'));
  const host = join(dir, 'host');
  const device = join(dir, 'device');
  let child: ChildProcess;
  try {
    child = spawn('socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`], { stdio: 'ignore' });
  } catch (err) {
    throw new Error(`socat is needed for serial simulation (apt-get install socat): ${String(err)}`);
  }
  // A socat that cannot be started (not installed) is told by an 'error' event, not a throw: unheard, it would end the process.
  let failed: Error | null = null;
  child.once('error', (err) => (failed = err));
  const exited = new Promise<void>((res) => {
    child.once('exit', () => res());
    child.once('error', () => res());
  });
  const t0 = performance.now();
  while (!(existsSync(host) && existsSync(device))) {
    if (failed) throw new Error(`socat is needed for serial simulation (apt-get install socat): ${(failed as Error).message}`);
    if (child.exitCode !== null) throw new Error('socat exited before creating the PTY pair (is it installed?)');
    if (performance.now() - t0 > timeoutMs) {
      child.kill();
      throw new Error('socat did not create the PTY pair in time');
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    host,
    device,
    async close() {
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
}
