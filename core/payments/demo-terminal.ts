/**
 * The demo store's payment terminal (the ZVT simulator) as store IT sees it on the device screen:
 * one test action, "unplug / plug back", which takes the simulated terminal off the network and
 * brings it back on the same port — so the lane's "payment terminal offline" handling (status,
 * refused card payments, recovery when it returns) can be tried in the demo and in tests.
 */
import type { ZvtSimulator } from '../../drivers/zvt/simulator';
import type { DeviceAction, DeviceTestOutcome } from '../devices/manager';
import type { DeviceStatus } from '../../protocol/terminal';

export const DEMO_TERMINAL_ID = 'payment-terminal';

export class DemoTerminalControl {
  private down = false;

  constructor(
    private readonly sim: ZvtSimulator,
    private readonly port: number,
    private readonly log: (line: string) => void,
  ) {}

  describe(): Array<{ id: string; kind: DeviceStatus['kind']; actions: DeviceAction[]; printout: string | null }> {
    return [{ id: DEMO_TERMINAL_ID, kind: 'payment', actions: ['simulateOffline'], printout: null }];
  }

  /** Takes the simulator off the network, or brings it back. */
  async toggle(): Promise<DeviceTestOutcome> {
    if (!this.down) {
      await this.sim.close();
      this.down = true;
      this.log('payment terminal simulator: taken off the network by store IT');
      return { ok: true, code: 'terminalDown', params: {}, message: 'The simulated payment terminal is off the network.' };
    }
    await this.sim.listen(this.port);
    this.down = false;
    this.log('payment terminal simulator: back on the network');
    return { ok: true, code: 'terminalUp', params: {}, message: 'The simulated payment terminal is back on the network.' };
  }
}
