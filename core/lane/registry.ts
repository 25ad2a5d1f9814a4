/**
 * Every command has one handler, registered here by the feature that owns it: lane handlers run
 * inside the lane's transaction (host.ts), async ones (device tests, the terminal's end of day,
 * store IT's service screen) answer when their device or disk has. Registering a command twice is
 * a programming error.
 */
import type { Command } from '../../protocol/terminal';
import type { AsyncHandler, LaneHandler, LaneHandlers } from './context';

type Cmd = Command['cmd'];

export class CommandRegistry {
  private readonly lane = new Map<Cmd, LaneHandler<Cmd>>();
  private readonly async = new Map<Cmd, AsyncHandler<Cmd>>();

  add(handlers: LaneHandlers): this {
    for (const [cmd, h] of Object.entries(handlers) as Array<[Cmd, LaneHandler<Cmd>]>) {
      this.claim(cmd);
      this.lane.set(cmd, h);
    }
    return this;
  }

  /** `replace`: a handler that a newer owner may take over (an API server started again on the same lane). */
  addAsync<C extends Cmd>(cmd: C, handler: AsyncHandler<C>, opts: { replace?: boolean } = {}): this {
    if (!(opts.replace && this.async.has(cmd))) this.claim(cmd);
    this.async.set(cmd, handler as unknown as AsyncHandler<Cmd>);
    return this;
  }

  laneHandler(cmd: Cmd): LaneHandler<Cmd> | undefined {
    return this.lane.get(cmd);
  }

  asyncHandler(cmd: Cmd): AsyncHandler<Cmd> | undefined {
    return this.async.get(cmd);
  }

  /** Every command with a handler (a test checks that the protocol's commands all have one). */
  commands(): Cmd[] {
    return [...this.lane.keys(), ...this.async.keys()];
  }

  private claim(cmd: Cmd): void {
    if (this.lane.has(cmd) || this.async.has(cmd)) throw new Error(`command ${cmd} is registered twice`);
  }
}
