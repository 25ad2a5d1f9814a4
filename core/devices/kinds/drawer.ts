/** A cash drawer on its own serial trigger (kind "serialDrawer"), or its simulator. */
import { SerialDrawer } from '../../../drivers/drawer/serial';
import { DrawerSimulator } from '../../../drivers/drawer/simulator';
import type { DeviceConfig } from '../config';
import { linkStatus, outcome, type DeviceKind } from './kind';

export const serialDrawer: DeviceKind<Extract<DeviceConfig, { kind: 'serialDrawer' }>> = {
  async start(d, ctx) {
    let path = d.path;
    let sim: DrawerSimulator | null = null;
    if (path === 'simulated') {
      path = await ctx.simulatedSerial(async (device) => {
        const s = new DrawerSimulator(d.openCommand);
        sim = s;
        await s.attach(device, d.baudRate);
        return s;
      });
      ctx.log(`${d.id}: simulated serial cash drawer on ${path}`);
    }
    const dev = new SerialDrawer(path, d.openCommand, d.baudRate);
    dev.on('warning', (w) => ctx.log(`${d.id}: ${w}`));
    await dev.start();
    const opened = sim as DrawerSimulator | null;
    return {
      managed: {
        id: d.id,
        kind: 'drawer',
        connection: `serial ${path}`,
        status: () => linkStatus(dev),
        watch: (c) => dev.on('state', c),
        actions: { openDrawer: () => (dev.open() ? outcome(true, 'drawerOpened', 'drawer opened') : outcome(false, 'notReachable', 'the drawer is not connected')) },
        ...(opened ? { printout: () => `simulated drawer: opened ${opened.opens} time(s)` } : {}),
      },
      stop: () => dev.stop(),
      provides: { drawer: { drawer: dev, priority: 'own' } },
    };
  },
};
