/** Checkout scales: a polled Toledo 8217 (kind "toledoScale") and a price-computing Dialog 06 (kind "dialog06Scale"). */
import { ScaleSimulator } from '../../../drivers/scale/toledo8217/simulator';
import { ToledoScale } from '../../../drivers/scale/toledo8217/device';
import { Dialog06Scale } from '../../../drivers/scale/dialog06/device';
import { Dialog06Simulator } from '../../../drivers/scale/dialog06/simulator';
import { dialog06WeightSource, scaleWeightSource } from '../scale';
import type { DeviceConfig } from '../config';
import { outcome, type DeviceKind, type DeviceStatusReading, type KindContext } from './kind';

/** A simulated scale on a PTY pair with 1,234 kg on the plate; returns the path the driver opens. */
async function simulatedScale(id: string, name: string, ctx: KindContext, make: () => ScaleSimulator | Dialog06Simulator): Promise<string> {
  const path = await ctx.simulatedSerial(async (device) => {
    const sim = make();
    await sim.open(device);
    sim.set({ grams: 1234, stable: true });
    return sim;
  });
  ctx.log(`${id}: simulated ${name} scale on ${path} (1,234 kg on the plate)`);
  return path;
}

const answering = (d: { state: string; reason: string }): DeviceStatusReading =>
  d.state === 'online' ? { state: 'online', detail: 'answering', detailCode: 'answering' } : { state: 'offline', detail: d.reason, detailCode: 'notConnected' };

export const toledoScale: DeviceKind<Extract<DeviceConfig, { kind: 'toledoScale' }>> = {
  async start(d, ctx) {
    const path = d.path === 'simulated' ? await simulatedScale(d.id, 'Toledo 8217', ctx, () => new ScaleSimulator()) : d.path;
    const dev = new ToledoScale(path, d.pollMs);
    dev.on('warning', (w) => ctx.log(`${d.id}: ${w}`));
    await dev.start();
    const source = scaleWeightSource(dev);
    return {
      managed: {
        id: d.id,
        kind: 'scale',
        connection: `serial ${d.path === 'simulated' ? `${path} (simulated)` : path}`,
        status: () => answering(dev),
        watch: (changed) => dev.on('state', changed),
        actions: {
          readWeight: () => {
            const w = source.weight();
            return 'grams' in w ? outcome(true, 'weight', `${(w.grams / 1000).toFixed(3)} kg, stable`, { grams: w.grams }) : outcome(false, 'noWeight', `no weight: ${w.refused}`, { reason: w.refused });
          },
        },
      },
      stop: () => dev.stop(),
      provides: { scale: source },
    };
  },
};

export const dialog06Scale: DeviceKind<Extract<DeviceConfig, { kind: 'dialog06Scale' }>> = {
  async start(d, ctx) {
    const path = d.path === 'simulated' ? await simulatedScale(d.id, 'Dialog 06', ctx, () => new Dialog06Simulator()) : d.path;
    const dev = new Dialog06Scale({ path, serial: { ...(d.baudRate ? { baudRate: d.baudRate } : {}), ...(d.parity ? { parity: d.parity } : {}) } });
    dev.on('warning', (w) => ctx.log(`${d.id}: ${w}`));
    await dev.start();
    return {
      managed: {
        id: d.id,
        kind: 'scale',
        connection: `serial ${path}, Dialog 06${d.path === 'simulated' ? ' (simulated)' : ''}`,
        status: () => answering(dev),
        watch: (changed) => dev.on('state', changed),
        actions: {
          readWeight: async () => {
            const st = await dev.checkStatus();
            return st ? outcome(st.code === '00', 'scaleStatus', `scale status ${st.code}: ${st.text}`, { status: st.code, text: st.text }) : outcome(false, 'noAnswer', 'the scale does not answer');
          },
        },
      },
      stop: () => dev.stop(),
      provides: { scale: dialog06WeightSource(dev) },
    };
  },
};
