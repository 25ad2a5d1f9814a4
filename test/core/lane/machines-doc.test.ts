/** The machine diagram in docs/architecture.md names every state and every event the machines have. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutMachine, laneMachine } from '../../../core/checkout/machines';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'architecture.md'), 'utf8');
const diagram = doc.slice(doc.indexOf('## The machines'), doc.indexOf('## Adding a command'));

type Node = { key: string; states: Record<string, Node>; on: Record<string, Array<{ target?: unknown[] }>> };
const states = (m: { root: Node }) => Object.keys(m.root.states);
/** Events that move a machine to another state (not those that only update its context). */
const moving = (m: { root: Node }) => [
  ...new Set(Object.values(m.root.states).flatMap((n) => Object.entries(n.on).filter(([, ts]) => ts.some((t) => (t.target?.length ?? 0) > 0)).map(([e]) => e))),
];

describe('the machine diagram', () => {
  it.each([
    ['lane', laneMachine as unknown as { root: Node }],
    ['checkout', checkoutMachine as unknown as { root: Node }],
  ])('names every state of the %s machine', (_name, machine) => {
    const missing = states(machine).filter((s) => !new RegExp(`\\b${s}\\b`).test(diagram));
    expect(missing, 'add them to "The machines" in docs/architecture.md').toEqual([]);
  });

  it.each([
    ['lane', laneMachine as unknown as { root: Node }],
    ['checkout', checkoutMachine as unknown as { root: Node }],
  ])('names every event that moves the %s machine to another state', (_name, machine) => {
    const events = moving(machine);
    expect(events.length).toBeGreaterThan(3);
    expect(events.filter((e) => !new RegExp(`\\b${e}\\b`).test(diagram)), 'add them to "The machines" in docs/architecture.md').toEqual([]);
  });
});
