/**
 * The clock the lane's machines schedule their delayed transitions on (XState's `clock` option).
 * Each timer is due at an instant of the core's clock; a real (unref'd) timer fires it after its
 * delay, and `runDue()` fires every timer that is due by the core's clock now — how a test that
 * moves a manual clock steps the lane's timers. Every timer fires through `fire` (the host stores
 * what its transition changed, and — when it fired on its own, not stepped — applies the idle rules).
 */
import type { Clock } from '../clock';

interface Due {
  at: number;
  fn: () => void;
  real: NodeJS.Timeout;
}

export class LaneTimers {
  private next = 1;
  private readonly due = new Map<number, Due>();

  constructor(
    private readonly now: Clock,
    private readonly run: (fire: () => void, stepped: boolean) => void,
  ) {}

  setTimeout = (fn: () => void, ms: number): number => {
    const id = this.next++;
    const real = setTimeout(() => this.fire(id, false), ms);
    real.unref();
    this.due.set(id, { at: this.now().getTime() + ms, fn, real });
    return id;
  };

  clearTimeout = (id: number): void => {
    const t = this.due.get(id);
    if (!t) return;
    clearTimeout(t.real);
    this.due.delete(id);
  };

  /** Fires, in order of their instants, the timers due by the core's clock (stepped). */
  runDue(): void {
    const now = this.now().getTime();
    const due = [...this.due].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at);
    for (const [id] of due) this.fire(id, true);
  }

  dispose(): void {
    for (const t of this.due.values()) clearTimeout(t.real);
    this.due.clear();
  }

  private fire(id: number, stepped: boolean): void {
    const t = this.due.get(id);
    if (!t) return;
    this.due.delete(id);
    clearTimeout(t.real);
    this.run(t.fn, stepped);
  }
}
