/**
 * The card payment terminal (kind "zvtTerminal"): ZVT over TCP or a serial line, or the ZVT
 * simulator (the demo store's; amounts ending in 6,66 are declined). It registers with the till's
 * currency each time its link comes up, and gives the lane its payment port. The simulated one has
 * store IT's "unplug / plug back" test, which takes the simulator off the network and brings it back
 * on the same port, so the lane's offline handling can be tried in the demo and in tests. The lane
 * holds its terminal for its whole run: restarting the devices leaves it running.
 */
import { SerialZvtTransport, TcpZvtTransport, type ZvtTransport } from '../../../drivers/zvt/transport';
import { ZvtSimulator } from '../../../drivers/zvt/simulator';
import { Retry } from '../../../common/backoff';
import { ZvtPaymentTerminal } from '../../payments/zvt';
import type { DeviceConfig } from '../config';
import { outcome, type DeviceKind, type DeviceStatusReading, type KindContext, type Managed } from './kind';

type Config = Extract<DeviceConfig, { kind: 'zvtTerminal' }>;

/** The demo terminal prints in the store's language (a German terminal in a Swedish store would not). */
function simulatorLanguage(locale: string): 'de' | 'sv' | 'en' {
  const l = locale.slice(0, 2);
  return l === 'sv' || l === 'de' ? l : 'en';
}

/** The simulator on a loopback port, and store IT's test that unplugs it and plugs it back. */
async function startSimulator(ctx: KindContext): Promise<{ port: number; unplug: Managed['actions'] }> {
  const o = ctx.opts;
  // Its durable record lives next to the database, like a real terminal's own memory.
  const sim = new ZvtSimulator({ file: `${o.dbPath ?? ':memory:'}.zvt-terminal.json`, thinkMs: 700, now: ctx.now, timeZone: o.timeZone ?? 'Europe/Stockholm', language: simulatorLanguage(o.locale ?? 'sv-SE') });
  const port = await sim.listen(0);
  ctx.onStop(() => sim.close());
  ctx.log(`payment terminal: ZVT simulator on 127.0.0.1:${port} (amounts ending in 6,66 are declined)`);
  let down = false;
  const simulateOffline = async () => {
    if (!down) {
      await sim.close();
      down = true;
      ctx.log('payment terminal simulator: taken off the network by store IT');
      return outcome(true, 'terminalDown', 'The simulated payment terminal is off the network.');
    }
    await sim.listen(port);
    down = false;
    ctx.log('payment terminal simulator: back on the network');
    return outcome(true, 'terminalUp', 'The simulated payment terminal is back on the network.');
  };
  return { port, unplug: { simulateOffline } };
}

export const zvtTerminal: DeviceKind<Config> = {
  lasting: true,
  async start(d, ctx) {
    const t = d.transport;
    let transport: ZvtTransport;
    let actions: Managed['actions'] = {};
    if (t.type === 'simulated') {
      const sim = await startSimulator(ctx);
      actions = sim.unplug;
      transport = new TcpZvtTransport({ host: '127.0.0.1', port: sim.port });
    } else if (t.type === 'tcp') transport = new TcpZvtTransport({ host: t.host, port: t.port });
    else transport = new SerialZvtTransport({ path: t.path });
    transport.on('warning', (w) => ctx.log(`payment terminal: ${w}`));
    await transport.start();
    const terminal = new ZvtPaymentTerminal(transport, { currency: ctx.opts.currency ?? 'SEK', timeZone: ctx.opts.timeZone ?? 'Europe/Stockholm' });
    const watchers: Array<() => void> = [];
    const online = transport.state === 'online';
    let status: DeviceStatusReading = { state: online ? 'online' : 'offline', detail: online ? 'connected' : 'not connected', detailCode: online ? 'connected' : 'notConnected' };
    const set = (s: DeviceStatusReading) => {
      status = s;
      for (const w of watchers) w();
    };
    // A registration the terminal could not take yet (busy, or the link failed under it) is tried
    // again with the one backoff while the link is up; a refusal stands until the link comes up again.
    const again = new Retry(() => register(), 500, 10_000);
    const register = () =>
      void terminal.register().then((r) => {
        if (transport.state !== 'online') return;
        if (!r.ok) ctx.log(`payment terminal registration: ${r.text}${r.transient ? ' (trying again)' : ''}`);
        if (r.ok) again.reset();
        if (r.transient) return void (set({ state: 'warning', detail: `registering: ${r.text}`, detailCode: 'registering' }), again.schedule());
        set({ state: r.ok ? 'online' : 'warning', detail: r.ok ? 'registered' : `registration refused: ${r.text}`, detailCode: r.ok ? 'registered' : 'registrationRefused' });
      });
    transport.on('state', ({ state, reason }) => {
      set({ state: state === 'online' ? 'online' : 'offline', detail: reason, detailCode: state === 'online' ? 'connected' : 'notConnected' });
      again.cancel();
      if (state === 'online') register();
    });
    if (online) register();
    return {
      managed: {
        id: d.id,
        kind: 'payment',
        connection: t.type === 'simulated' ? 'ZVT simulator (TCP)' : t.type === 'tcp' ? `ZVT tcp:${t.host}:${t.port}` : `ZVT serial:${t.path}`,
        status: () => status,
        watch: (changed) => void watchers.push(changed),
        actions,
      },
      stop: () => {
        again.cancel();
        return transport.stop();
      },
      provides: { payments: terminal },
    };
  },
};
