/**
 * The Terminal API's commands that wait on something other than the lane — store IT's device
 * tests and service screen — registered in the lane's command registry like every other command.
 * Each one is authorized first (a device test by the lane, the service screen by StoreIt).
 */
import type { Approval } from '../../protocol/terminal';
import type { StartedDevices } from '../devices/manager';
import { discoverDevices } from '../devices/discovery';
import { CoreError } from '../errors';
import type { StoreIt } from '../it/tools';
import type { LaneService } from '../lane/host';

export type DeviceTester = Pick<StartedDevices, 'test' | 'describe'>;

export interface ServiceCommandDeps {
  service: LaneService;
  devices?: DeviceTester | undefined;
  storeIt?: StoreIt | undefined;
  /** Called with the IT operator's id after store IT asked the kiosk app to exit (once the command was acknowledged). */
  onExitRequest?: ((operator: string) => void) | undefined;
}

/**
 * Store IT's device tests are for IT or a supervisor (signed in, or approving with their
 * credentials); each one is journaled, so a drawer opened from the service screen is accounted for.
 */
function authorizeDeviceTest(service: LaneService, device: string, action: string, approval: Approval | undefined): string {
  const operator = service.laneSnap().context.operator;
  const by = service.approvals.authorizeRole('deviceTest', ['it', 'supervisor'], approval, () => 'Device tests are for store IT or a supervisor.', 'Device tests are for store IT or a supervisor.');
  if (action !== 'info') {
    const at = service.now().toISOString();
    service.db.transaction(() => service.journal.append('device.test', null, { device, action, by, operator, lane: service.identity.laneId }, at))();
  }
  return by;
}

export function registerServiceCommands({ service, devices, storeIt, onExitRequest }: ServiceCommandDeps): void {
  const r = service.registry;
  const needDevices = (): DeviceTester => {
    if (!devices) throw new CoreError('NOT_ALLOWED_NOW', 'This core has no device manager to test devices with.', { reason: 'noDevices' });
    return devices;
  };
  const it = (): StoreIt => {
    if (!storeIt) throw new CoreError('NOT_ALLOWED_NOW', 'The service screen is not available on this core.', { reason: 'noService' });
    return storeIt;
  };
  const replace = { replace: true };
  r.addAsync(
    'deviceInfo',
    async (cmd) => {
      const d = needDevices();
      authorizeDeviceTest(service, '*', 'info', cmd.approval);
      const list = d.describe().map((x) => ({ ...x, printout: x.printout === null ? null : x.printout.slice(-8_000) }));
      return { deviceInfo: list, discovered: await discoverDevices() };
    },
    replace,
  );
  r.addAsync(
    'deviceTest',
    async (cmd) => {
      const d = needDevices();
      authorizeDeviceTest(service, cmd.device, cmd.action, cmd.approval);
      const res = await d.test(cmd.device, cmd.action, cmd.text);
      return { deviceTest: { device: cmd.device, action: cmd.action, ...res } };
    },
    replace,
  );
  r.addAsync('serviceInfo', async (cmd) => ({ serviceInfo: it().info(cmd.approval) }), replace);
  r.addAsync('serviceLog', async (cmd) => ({ serviceLog: it().logLines(cmd.filter, cmd.approval) }), replace);
  r.addAsync('deviceConfig', async (cmd) => ({ deviceConfig: it().readConfig(cmd.approval) }), replace);
  r.addAsync('saveDeviceConfig', async (cmd) => ({ deviceConfig: await it().saveConfig(cmd.text, cmd.save, cmd.approval) }), replace);
  r.addAsync('exportDiagnostics', async (cmd) => ({ diagnostics: it().exportDiagnostics(cmd.target, cmd.approval) }), replace);
  r.addAsync(
    'exitKiosk',
    async (cmd) => {
      const tools = it();
      if (!onExitRequest) throw new CoreError('NOT_ALLOWED_NOW', 'There is no kiosk app to exit here.', { reason: 'noKiosk' });
      const by = tools.exitKiosk(cmd.approval);
      // The kiosk app is asked to exit after this command's ack has gone out.
      setImmediate(() => {
        try {
          onExitRequest(by);
        } catch (err) {
          service.log(`kiosk exit: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
      return undefined;
    },
    replace,
  );
}
