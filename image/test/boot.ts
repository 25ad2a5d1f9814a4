/**
 * `npm run image:test`: boots dist/image/kassa.img in QEMU (TCG: no KVM here; OVMF for UEFI) on a
 * throwaway copy-on-write overlay (the built image stays pristine), and times each phase of the
 * boot until the lane UI is on screen. Opt-in, slow; not part of `npm test`.
 *
 *   npm run image:test -- [--image dist/image/kassa.img] [--timeout-min 45] [--mem 3072] [--keep]
 *
 * The guest gets QEMU's user network with port forwards on 127.0.0.1 only: the Terminal API when
 * the image was built with --test-port (its manifest says), else readiness is read from the serial
 * console. Artifacts (serial log, screens as PNG) go to test-artifacts/image-<time>/.
 * Phases are a list: later sessions add provisioning, a sale, and the drills after `uiOnScreen`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { repoRoot } from '../bundle';
import { requireTools, run, TEST_TOOLS } from '../tools';
import { encodePng, parsePpm, screenStats } from './png';
import { Qmp } from './qmp';

const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

interface Ctx {
  dir: string;
  serialPath: string;
  qmp: Qmp;
  apiPort: number | null;
  qemu: ChildProcess;
  started: number;
  /** Serial console text so far. */
  serial(): string;
  shot(name: string): Promise<{ png: string; colours: number; dominant: number; bytes: Buffer }>;
}

interface Phase {
  name: string;
  timeoutS: number;
  /** Resolves true once the phase is over (polled every second). */
  done(ctx: Ctx): Promise<boolean>;
}

async function healthy(port: number | null): Promise<boolean> {
  if (port === null) return false;
  try {
    const r = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) });
    return r.ok && ((await r.json()) as { ok?: boolean }).ok === true;
  } catch {
    return false;
  }
}

let lastScreen: Buffer | null = null;

const PHASES: Phase[] = [
  { name: 'firmware (OVMF → kernel\'s first line)', timeoutS: 600, done: async (c) => /Linux version \d/.test(c.serial()) },
  { name: 'kernel → systemd up', timeoutS: 900, done: async (c) => /Welcome to .*Debian|systemd\[1\]: systemd \d+/.test(c.serial()) },
  {
    name: 'systemd → Kassa core ready',
    timeoutS: 1200,
    done: async (c) => /kassa: core ready|Started kassa-core\.service/.test(c.serial()) || (await healthy(c.apiPort)),
  },
  {
    // The lane UI is drawn: a busy screen (many colours, no colour over 85 %) that stayed the same for 10 s.
    name: 'core ready → lane UI on screen',
    timeoutS: 1500,
    done: async (c) => {
      const s = await c.shot('screen-latest');
      const busy = s.colours >= 24 && s.dominant < 0.85;
      const stable = lastScreen !== null && lastScreen.equals(s.bytes);
      lastScreen = s.bytes;
      if (busy && stable) {
        copyFileSync(s.png, join(c.dir, 'lane-ui.png'));
        return true;
      }
      return false;
    },
  },
];

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(port));
    });
    srv.once('error', reject);
  });
}

function manifestTestPort(image: string): number | null {
  const manifest = join(image, '..', 'kassa.manifest');
  if (!existsSync(manifest)) return null;
  const m = /test_port=(\d+)/.exec(readFileSync(manifest, 'utf8'));
  return m ? Number(m[1]) : null;
}

function startQemu(dir: string, overlay: string, mem: number, forwards: string): ChildProcess {
  const vars = join(dir, 'OVMF_VARS.fd');
  copyFileSync(OVMF_VARS, vars);
  const args = [
    '-machine', 'q35', '-accel', 'tcg', '-cpu', 'max', '-smp', '2', '-m', String(mem),
    '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`,
    '-drive', `if=pflash,format=raw,unit=1,file=${vars}`,
    '-drive', `file=${overlay},if=virtio,format=qcow2`,
    '-netdev', `user,id=net0${forwards}`, '-device', 'virtio-net-pci,netdev=net0',
    // virtio-vga: wlroots (cage) needs a GPU with PRIME import; QEMU's std VGA (bochs-drm) has none.
    '-vga', 'virtio', '-display', 'none',
    '-serial', `file:${join(dir, 'serial.log')}`,
    '-qmp', `unix:${join(dir, 'qmp.sock')},server=on,wait=off`,
    '-no-reboot',
  ];
  writeFileSync(join(dir, 'qemu.args'), args.join(' ') + '\n');
  return spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

async function openQmp(path: string): Promise<Qmp> {
  for (let i = 0; i < 100; i++) {
    if (existsSync(path)) {
      try {
        return await Qmp.open(path);
      } catch {
        /* not listening yet */
      }
    }
    await sleep(100);
  }
  throw new Error('QEMU\'s QMP socket did not open');
}

function printTable(rows: Array<{ name: string; s: number | null; total: number | null }>): void {
  console.log('\n| phase | took (s) | since power-on (s) |\n|---|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.s === null ? 'TIMED OUT' : r.s.toFixed(1)} | ${r.total === null ? '—' : r.total.toFixed(1)} |`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { image: { type: 'string', default: 'dist/image/kassa.img' }, 'timeout-min': { type: 'string', default: '45' }, mem: { type: 'string', default: '3072' }, keep: { type: 'boolean', default: false } } });
  requireTools(TEST_TOOLS);
  for (const f of [OVMF_CODE, OVMF_VARS]) if (!existsSync(f)) throw new Error(`${f} is missing: apt-get install ovmf`);
  const image = resolve(repoRoot, values.image);
  if (!existsSync(image)) throw new Error(`${image} does not exist: npm run image first`);
  const dir = join(repoRoot, 'test-artifacts', `image-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  // The overlay is larger than the image: the first boot grows the data partition into the rest.
  const overlay = join(dir, 'overlay.qcow2');
  run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', image, overlay, String(statSync(image).size + 2 * 1024 ** 3)]);
  const guestPort = manifestTestPort(image);
  const apiPort = guestPort === null ? null : await freePort();
  const forwards = apiPort === null ? '' : `,hostfwd=tcp:127.0.0.1:${apiPort}-:${guestPort}`;
  console.log(`image ${image}\nartifacts ${dir}\n${apiPort === null ? 'no test port in this image: readiness from the serial console' : `Terminal API forwarded: 127.0.0.1:${apiPort} → guest :${guestPort}`}`);
  const started = Date.now();
  const qemu = startQemu(dir, overlay, Number(values.mem), forwards);
  let exited: string | null = null;
  qemu.on('exit', (code, signal) => (exited = `QEMU exited (${code ?? signal})`));
  const qmp = await openQmp(join(dir, 'qmp.sock'));
  const serialPath = join(dir, 'serial.log');
  const ctx: Ctx = {
    dir, serialPath, qmp, apiPort, qemu, started,
    serial: () => (existsSync(serialPath) ? readFileSync(serialPath, 'latin1') : ''),
    async shot(name) {
      const ppm = join(dir, `${name}.ppm`);
      await qmp.execute('screendump', { filename: ppm });
      const bytes = readFileSync(ppm);
      const img = parsePpm(bytes);
      const png = join(dir, `${name}.png`);
      writeFileSync(png, encodePng(img));
      rmSync(ppm);
      return { png, bytes, ...screenStats(img) };
    },
  };
  const deadline = started + Number(values['timeout-min']) * 60_000;
  const rows: Array<{ name: string; s: number | null; total: number | null }> = [];
  let phaseStart = started;
  let failed = false;
  for (const phase of PHASES) {
    const until = Math.min(deadline, phaseStart + phase.timeoutS * 1000);
    let ok = false;
    let lastNote = 0;
    while (!ok && Date.now() < until && !exited) {
      ok = await phase.done(ctx);
      if (!ok) {
        if (Date.now() - lastNote > 30_000) {
          lastNote = Date.now();
          const tail = ctx.serial().trimEnd().split('\n').pop() ?? '';
          console.log(`  … ${phase.name}: ${((Date.now() - phaseStart) / 1000).toFixed(0)} s; serial: ${tail.slice(0, 140)}`);
        }
        await sleep(1000);
      }
    }
    const now = Date.now();
    rows.push({ name: phase.name, s: ok ? (now - phaseStart) / 1000 : null, total: ok ? (now - started) / 1000 : null });
    console.log(ok ? `✓ ${phase.name}: ${((now - phaseStart) / 1000).toFixed(1)} s` : `✗ ${phase.name}: ${exited ?? 'timed out'}`);
    if (!ok) {
      failed = true;
      break;
    }
    phaseStart = now;
  }
  if (!exited) await ctx.shot('screen-final').catch(() => undefined);
  printTable(rows);
  console.log(`\nserial log ${serialPath}${failed ? '' : `\nlane UI screen ${join(dir, 'lane-ui.png')}`}`);
  if (!exited) await qmp.execute('quit').catch(() => undefined);
  qmp.close();
  await sleep(500);
  if (!exited) qemu.kill('SIGTERM');
  if (!values.keep) rmSync(overlay, { force: true });
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(`npm run image:test: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
