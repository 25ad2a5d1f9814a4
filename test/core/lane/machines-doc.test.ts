/** The machine diagram in docs/architecture.md names every state and every event the machines have. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutMachine } from '../../../core/checkout/machines';
import { laneMachine } from '../../../core/lane/lane-machine';
import { attendanceMachine } from '../../../core/selfcheckout/attendance-machine';
import { terminalDayMachine } from '../../../core/payments/terminal-day-machine';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'architecture.md'), 'utf8');
const diagram = doc.slice(doc.indexOf('## The machines'), doc.indexOf('## Adding a command'));

type Node = { key: string; states: Record<string, Node>; on: Record<string, Array<{ target?: unknown[] }>> };
/** Every state node below the root, nested ones (a parallel machine's regions and their states) included. */
const nodes = (n: Node): Node[] => Object.values(n.states).flatMap((c) => [c, ...nodes(c)]);
const states = (m: { root: Node }) => nodes(m.root).map((n) => n.key);
/** Events that move a machine to another state (not those that only update its context; XState's own delayed events aside). */
const moving = (m: { root: Node }) => [
  ...new Set(nodes(m.root).flatMap((n) => Object.entries(n.on).filter(([e, ts]) => !e.startsWith('xstate.') && ts.some((t) => (t.target?.length ?? 0) > 0)).map(([e]) => e))),
];
const machines: Array<[string, { root: Node }]> = [
  ['lane', laneMachine as unknown as { root: Node }],
  ['checkout', checkoutMachine as unknown as { root: Node }],
  ['attendance', attendanceMachine as unknown as { root: Node }],
];

describe('the machine diagram', () => {
  it.each([...machines, ['terminalDay', terminalDayMachine as unknown as { root: Node }] as [string, { root: Node }]])('names every state of the %s machine', (_name, machine) => {
    const missing = states(machine).filter((s) => !new RegExp(`\\b${s}\\b`).test(diagram));
    expect(missing, 'add them to "The machines" in docs/architecture.md').toEqual([]);
  });

  it.each(machines)('names every event that moves the %s machine to another state', (_name, machine) => {
    const events = moving(machine);
    expect(events.length).toBeGreaterThan(3);
    expect(events.filter((e) => !new RegExp(`\\b${e}\\b`).test(diagram)), 'add them to "The machines" in docs/architecture.md').toEqual([]);
  });
});
