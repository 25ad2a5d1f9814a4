/**
 * image:test's phases: each waits (polling every second) until what it checks is true, and is
 * timed from the end of the one before and from the machine's power-on. A phase that times out
 * saves the screen and ends the run with what the serial console said last.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Machine } from './machine';

export interface Row {
  stage: string;
  name: string;
  s: number | null;
  sincePowerOn: number | null;
}

export class Timeline {
  readonly rows: Row[] = [];
  /** Phases that failed without ending the run (`soft`): the run still fails at its end. */
  readonly softFailures: string[] = [];
  private last = performance.now();
  stage = '';

  constructor(private readonly m: Machine) {}

  /** Starts timing afresh (a power-on, a drill's first step). */
  mark(): void {
    this.last = performance.now();
  }

  /** `soft`: a phase the later ones do not depend on (what the screen shows): its failure is recorded and the run goes on. */
  async phase(name: string, timeoutS: number, done: () => Promise<boolean>, soft = false): Promise<void> {
    const until = performance.now() + timeoutS * 1000;
    let lastNote = performance.now();
    let ok = false;
    while (!ok && performance.now() < until) {
      ok = await done().catch(() => false);
      if (ok) break;
      if (this.m.exited && !name.includes('power')) break;
      if (performance.now() - lastNote > 30_000) {
        lastNote = performance.now();
        const tail = this.m.serial().trimEnd().split('\n').pop() ?? '';
        console.log(`  … ${name}: ${((performance.now() - this.last) / 1000).toFixed(0)} s; serial: ${tail.replace(/\x1b\[[0-9;]*m/g, '').slice(0, 140)}`);
      }
      await sleep(1000);
    }
    const now = performance.now();
    const s = (now - this.last) / 1000;
    this.rows.push({ stage: this.stage, name, s: ok ? s : null, sincePowerOn: ok ? (now - this.m.poweredOnAt) / 1000 : null });
    if (!ok) {
      if (!this.m.exited) await this.m.shot(`failed-${this.rows.length}`).catch(() => undefined);
      const why = `${this.stage}: ${name}: ${this.m.exited ?? `not done in ${timeoutS} s`}`;
      if (!soft || this.m.exited) throw new Error(why);
      console.log(`✗ ${why} (the run goes on; it fails at the end)`);
      this.softFailures.push(why);
      this.last = now;
      return;
    }
    console.log(`✓ ${this.stage}: ${name}: ${s.toFixed(1)} s`);
    this.last = now;
  }

  table(): string {
    const lines = ['| stage | phase | took (s) | since power-on (s) |', '|---|---|---:|---:|'];
    for (const r of this.rows) lines.push(`| ${r.stage} | ${r.name} | ${r.s === null ? 'FAILED' : r.s.toFixed(1)} | ${r.sincePowerOn === null ? '—' : r.sincePowerOn.toFixed(1)} |`);
    return lines.join('\n');
  }
}
