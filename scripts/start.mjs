// `npm start`: runs the demo store. Opens the Electron kiosk window when the Electron binary is
// available (and a display is), otherwise serves the lane UI for any Chromium and prints the URL.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
// The core's Node flags (its heap bound), the same everywhere the core is started.
const coreNodeFlags = require('../protocol/core-node-flags.json').flags;
const dataDir = resolve(process.env.KASSA_DATA_DIR ?? 'data');
const profile = process.env.KASSA_PROFILE ?? 'SE';
// KASSA_MODE=self runs the demo as a self-checkout kiosk with an attendant view (KASSA_SELF_CASH=1: with cash).
// KASSA_DEMO_CLOCK=2026-11-27T12:00:00+01:00 starts the demo core's clock at that instant (browser mode).
const selfCheckout = process.env.KASSA_MODE === 'self';

function electronBinary() {
  try {
    return require('electron'); // the path of the binary, or throws when it was never downloaded
  } catch {
    return null;
  }
}

function tryFetchElectron() {
  // npm install never downloads Electron (allowScripts); try once here, quietly, with a deadline.
  if (process.env.KASSA_NO_ELECTRON === '1') return null;
  const r = spawnSync(process.execPath, [require.resolve('electron/install.js')], { stdio: 'ignore', timeout: 120_000 });
  return r.status === 0 ? electronBinary() : null;
}

const hasDisplay = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
let electron = process.env.KASSA_NO_ELECTRON === '1' ? null : electronBinary();
if (!electron && hasDisplay) electron = tryFetchElectron();

if (electron && hasDisplay) {
  const child = spawn(electron, ['dist/electron/main.js'], { stdio: 'inherit', env: { ...process.env, KASSA_DATA_DIR: dataDir, KASSA_PROFILE: profile, KASSA_DEMO: '1' } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    electron
      ? 'Kassa: no display for the Electron window here; serving the lane UI in browser mode.'
      : 'Kassa: the Electron binary is not available here (it could not be downloaded); serving the lane UI in browser mode.',
  );
  const token = randomBytes(32).toString('base64url');
  const core = spawn(
    process.execPath,
    [
      ...coreNodeFlags,
      'dist/core/main.js',
      '--db',
      resolve(dataDir, 'kassa.db'),
      '--demo',
      '--profile',
      profile,
      '--port',
      process.env.KASSA_PORT ?? '0',
      ...(selfCheckout ? ['--mode', 'self', '--attendant', `127.0.0.1:${process.env.KASSA_ATTENDANT_PORT ?? '0'}`] : []),
      ...(selfCheckout && process.env.KASSA_ATTENDANT_PEERS ? ['--attendant-peers', process.env.KASSA_ATTENDANT_PEERS] : []),
      // KASSA_SELF_CASH=1: the kiosk takes cash too, through a simulated ccTalk cash unit (or an attendant, when the devices file has none).
      ...(selfCheckout && process.env.KASSA_SELF_CASH === '1' ? ['--self-cash'] : []),
      // The demo store's day and hour (ISO 8601 with offset): tests and demos of day-bound promotions set it.
      ...(process.env.KASSA_DEMO_CLOCK ? ['--clock', process.env.KASSA_DEMO_CLOCK] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KASSA_TOKEN: token } },
  );
  createInterface({ input: core.stdout }).on('line', (line) => {
    let msg = null;
    try {
      msg = JSON.parse(line);
    } catch {
      /* a log line */
    }
    if (msg && msg.kassa === 'ready' && msg.token === token) {
      console.log(`Kassa demo store is ready: open http://127.0.0.1:${msg.port}/#token=${token} in Chromium`);
      if (msg.attendantPort) console.log(`Attendant view: open http://127.0.0.1:${msg.attendantPort}/?view=attendant (supervisor 7, PIN 7777)`);
    } else {
      console.log(line);
    }
  });
  const stop = () => core.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  core.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
