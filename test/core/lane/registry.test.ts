/** Every command of the Terminal API has exactly one handler in the lane's registry, whoever owns it. */
import { afterEach, describe, expect, it } from 'vitest';
import { CommandSchema } from '../../../protocol/terminal';
import { registerServiceCommands } from '../../../core/api/service-commands';
import { CommandRegistry } from '../../../core/lane/registry';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { testClock } from '../../helpers/clock';
import { tempDir } from '../../helpers/tmp';
import { exec, refuse } from '../../helpers/lane';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function lane() {
  const t = tempDir();
  const db = demoDb(t.dir);
  const s = openDemoLane(db, { now: testClock() });
  cleanups.push(() => {
    s.dispose();
    db.close();
    t.cleanup();
  });
  return s;
}

describe('the command registry', () => {
  it('has one handler for every command the protocol defines', () => {
    const s = lane();
    registerServiceCommands({ service: s });
    const protocol = CommandSchema.options.map((o) => o.shape.cmd.value).sort();
    const registered = s.registry.commands().sort();
    expect(registered).toEqual(protocol);
  });

  it('refuses a second owner for a command', () => {
    const r = new CommandRegistry().add({ ping: { run: () => ({ answer: null }) } });
    expect(() => r.add({ ping: { run: () => ({ answer: null }) } })).toThrow(/registered twice/);
    expect(() => r.addAsync('ping', async () => undefined, { replace: true })).toThrow(/registered twice/);
  });

  it('answers an async command through dispatch, and refuses it as a lane command', async () => {
    const s = lane();
    registerServiceCommands({ service: s });
    await expect(s.dispatch({ id: 'x1', cmd: 'serviceInfo' })).rejects.toMatchObject({ code: 'NOT_ALLOWED_NOW', params: { reason: 'noService' } });
    expect(refuse(s, { cmd: 'serviceInfo' })).toBe('NOT_ALLOWED_NOW');
    expect(exec(s, { cmd: 'ping' }).version).toBe(s.currentVersion);
  });
});
