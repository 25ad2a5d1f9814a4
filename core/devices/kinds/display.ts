/** A customer pole display (kind "poleDisplay") speaking DM-D, or its simulator; it shows the lane's lines. */
import { PoleDisplay } from '../../../drivers/display/device';
import { DisplaySimulator } from '../../../drivers/display/simulator';
import type { LaneService } from '../../lane/host';
import { displayLines, feedDisplay } from '../display';
import type { DeviceConfig } from '../config';
import { linkStatus, outcome, type DeviceKind } from './kind';

export const poleDisplay: DeviceKind<Extract<DeviceConfig, { kind: 'poleDisplay' }>> = {
  async start(d, ctx) {
    let path = d.path;
    let sim: DisplaySimulator | null = null;
    if (path === 'simulated') {
      path = await ctx.simulatedSerial(async (device) => {
        const s = new DisplaySimulator();
        sim = s;
        await s.open(device);
        return s;
      });
      ctx.log(`${d.id}: simulated DM-D pole display on ${path}`);
    }
    const dev = new PoleDisplay(path);
    dev.on('warning', (w) => ctx.log(`${d.id}: ${w}`));
    await dev.start();
    let lane: LaneService | null = null;
    // The test text's timer back to the lane's lines never fires after the devices (and the lane's database) are gone.
    let back: NodeJS.Timeout | null = null;
    const shown = sim as DisplaySimulator | null;
    return {
      managed: {
        id: d.id,
        kind: 'display',
        connection: `serial ${path}${d.path === 'simulated' ? ' (simulated)' : ''}`,
        status: () => linkStatus(dev),
        watch: (changed) => dev.on('state', changed),
        actions: {
          showText: (arg) => {
            const text = arg || 'Kassa display test';
            dev.show(text.slice(0, 20), text.slice(20, 40));
            // The lane's own lines come back with its next change.
            if (back) clearTimeout(back);
            back = setTimeout(() => lane && dev.show(...displayLines(lane.snapshot())), 5_000);
            back.unref();
            return dev.state === 'online' ? outcome(true, 'textShown', 'text sent to the display (for 5 s)', { seconds: 5 }) : outcome(false, 'notReachable', 'the display is not connected');
          },
        },
        ...(shown ? { printout: () => shown.lines().join('\n') } : {}),
      },
      attach(s) {
        lane = s;
        feedDisplay(dev, s);
      },
      async stop() {
        if (back) clearTimeout(back);
        await dev.stop();
      },
    };
  },
};
