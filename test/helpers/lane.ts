/** Driving a LaneService in tests: commands by body, snapshots back, refusals by code. */
import { expect } from 'vitest';
import { CommandSchema, type Command, type CommandBody, type Snapshot } from '../../protocol/terminal';
import type { HandleResult, LaneService } from '../../core/lane/host';
import { CoreError } from '../../core/errors';
import { checkResultOf } from './result-map';
import { DEMO_ITEMS } from '../../core/catalog/demo';

let n = 0;

export function exec(s: LaneService, cmd: CommandBody): HandleResult {
  const r = s.handle(CommandSchema.parse({ ...cmd, id: `t${++n}` }) as Command);
  checkResultOf(cmd.cmd, r.result);
  return r;
}

export function run(s: LaneService, cmd: CommandBody): Snapshot {
  exec(s, cmd);
  return s.snapshot();
}

/**
 * Expects the command to be refused with a typed error and nothing to change; returns the code.
 * `recorded`: parts of the snapshot the refusal itself records (a control unit's outage).
 */
export function refuse(s: LaneService, cmd: CommandBody, recorded: ReadonlyArray<keyof Snapshot> = []): string {
  const without = (snap: Snapshot) => Object.fromEntries(Object.entries(snap).filter(([k]) => !recorded.includes(k as keyof Snapshot)));
  const before = without(s.snapshot());
  try {
    exec(s, cmd);
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    expect(without(s.snapshot())).toEqual(before);
    return (e as CoreError).code;
  }
  throw new Error(`${cmd.cmd} was not refused`);
}

/** The terminal's end of day, as the Terminal API runs it (an async command through the registry). */
export async function endOfDay(s: LaneService, approval: NonNullable<Extract<Command, { cmd: 'cardEndOfDay' }>['approval']>) {
  const r = await s.dispatch(CommandSchema.parse({ cmd: 'cardEndOfDay', approval, id: `t${++n}` }) as Command);
  return (r.result as { cardEndOfDay: { terminalTotal: number | null; laneTotal: number; match: boolean; text: string; receiptLines: string[] } }).cardEndOfDay;
}

/** One demo milk, paid with 20 kr cash and completed (a printed receipt and a drawer kick); its sale id. */
export function sellMilkForCash(s: LaneService): string {
  run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
  run(s, { cmd: 'tenderCash', amount: 2_000 });
  return run(s, { cmd: 'complete' }).lastSale!.saleId;
}
