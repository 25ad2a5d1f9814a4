/**
 * ZVT protocol overhead on our side: authorizations over TCP loopback against the simulator running
 * in its own process with no think time. Wall time per authorization (both sides, 7 messages and
 * their ACKs) and this process's CPU time per authorization (our side alone).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ZvtClient } from '../drivers/zvt/client';
import { authorization } from '../drivers/zvt/messages';
import { TcpZvtTransport } from '../drivers/zvt/transport';

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (x: number) => x.toFixed(3);

const child = spawn(process.execPath, ['--import', 'tsx', 'bench/zvt-terminal.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((res) => createInterface({ input: child.stdout! }).once('line', (l) => res(Number(l))));
const transport = new TcpZvtTransport({ host: '127.0.0.1', port });
await transport.start();
const client = new ZvtClient(transport);

const N = Number(process.env.KASSA_BENCH_ZVT ?? 300);
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < N + 30; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await client.run(authorization(1000 + i, 'EUR'));
  const t1 = performance.now();
  const c = process.cpuUsage(c0);
  if (out.status !== 'completed') throw new Error(`authorization ${i}: ${out.text}`);
  if (i >= 30) {
    wall.push(t1 - t0);
    cpu.push((c.user + c.system) / 1000);
  }
}
wall.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
console.log('\nZVT authorization over TCP loopback, simulator in its own process, no think time (ms)');
console.log('| measure | runs | p50 | p90 | p99 | max | target |');
console.log('|---|---|---|---|---|---|---|');
console.log(`| wall time, both sides | ${wall.length} | ${ms(pct(wall, 50))} | ${ms(pct(wall, 90))} | ${ms(pct(wall, 99))} | ${ms(wall[wall.length - 1]!)} | — |`);
console.log(`| our side: CPU time of the till process | ${cpu.length} | ${ms(pct(cpu, 50))} | ${ms(pct(cpu, 90))} | ${ms(pct(cpu, 99))} | ${ms(cpu[cpu.length - 1]!)} | ≤ 20 |`);
await transport.stop();
child.kill('SIGTERM');
