/** HQ as its own process for the HQ benches (as in production), and the JSON ready line its children print. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const ADMIN = 'bench-admin-token-0123456789abcdef';

/** The first stdout line of `child` that `pick` takes (JSON lines). */
export async function readyLine<T>(child: ChildProcess, pick: (line: Record<string, unknown>) => T | undefined, what: string): Promise<T> {
  return new Promise<T>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`${what} not ready`)), 30_000);
    child.on('exit', (code) => rej(new Error(`${what} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      try {
        const v = pick(JSON.parse(l) as Record<string, unknown>);
        if (v !== undefined) {
          clearTimeout(t);
          res(v);
        }
      } catch {
        // not JSON
      }
    });
  });
}

/** HQ as its own process (`hq/main.ts` under tsx), on SQLite (`--db`) or PostgreSQL (`--pg`); on `port` (0: any free one). */
export async function startHq(args: string[], port = 0): Promise<{ url: string; port: number; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hq/main.ts', '--port', String(port), ...args], { env: { ...process.env, KASSA_HQ_ADMIN_TOKEN: ADMIN }, stdio: ['ignore', 'pipe', 'inherit'] });
  const listening = await readyLine(child, (l) => (l.kassaHq === 'ready' ? Number(l.port) : undefined), 'HQ');
  return {
    url: `http://127.0.0.1:${listening}`,
    port: listening,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((res) => {
        child.on('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

/** CPU time (user + system, ms) process `pid` has used so far, from /proc (Linux; 10 ms ticks): the benches report it beside wall time, which a loaded machine stretches. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // utime, stime (fields 14 and 15), in ticks of 10 ms
}

/** This process's CPU time (user + system, ms) since `from` (process.cpuUsage()). */
export function ownCpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}
