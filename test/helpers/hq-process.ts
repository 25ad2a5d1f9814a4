/** Starts the real HQ bundle (dist/hq/main.js) as a child process and waits for its ready line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export const HQ_STAFF_TOKEN = 'staff-token-0123456789abcdef';

/** Children started here are killed by the caller's afterAll (SIGKILL for those still running). */
export async function startHqProcess(db: string, children: ChildProcess[], port = 0, extraArgs: string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['dist/hq/main.js', '--db', db, '--port', String(port), ...extraArgs], { env: { ...process.env, KASSA_HQ_ADMIN_TOKEN: HQ_STAFF_TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  // HQ logs on stderr: read it (an unread pipe fills and blocks HQ) and show it if HQ does not start.
  const log: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => log.push(l));
  const ready = await new Promise<number>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`hq not ready: ${log.join('\n')}`)), 15_000);
    child.once('exit', (code) => {
      clearTimeout(t);
      rej(new Error(`hq exited (${code}): ${log.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (l) => {
      try {
        const r = JSON.parse(l) as { kassaHq?: string; port?: number };
        if (r.kassaHq === 'ready') {
          clearTimeout(t);
          res(r.port!);
        }
      } catch {
        // not the ready line
      }
    });
  });
  return { child, port: ready };
}
