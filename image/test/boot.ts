/**
 * `npm run image:test`: store IT's day with a blank terminal, in QEMU (TCG: no KVM here; OVMF for
 * UEFI), on a throwaway copy-on-write overlay of dist/image/kassa.img (the built image stays as it
 * is). HQ runs on the host's loopback (image/test/hq.ts) with a published catalog; the terminal
 * finds provisioning.json on a USB stick at power-on and is timed phase by phase: firmware →
 * kernel → core ready → enrolled → catalog applied → ready to sell → the lane UI on screen (a PNG)
 * → one sale through the Terminal API (the test image's forwarded port) → the sale at HQ. Then the
 * drills (image/test/drills.ts, screens-drill.ts): a second monitor plugged in shows the customer display
 * and pulled out ends it, the lane UI staying put; OS bundles signed by a foreign key or older than the running OS
 * are refused and the terminal sells on; the data partition wiped → the provisioning screen → a
 * stick plugged in → provisioned again with its sales back → selling; slot A's root destroyed →
 * the terminal boots slot B by itself and sells with its data intact. Prints a table of the
 * phases; artifacts (serial logs, screens, HQ's log) under test-artifacts/image-<time>/.
 *
 *   npm run image -- --test-port 8401 && npm run image:test -- [--items 500000] [--drills screens,os,wipe,slot,update,exit | --no-drills] [--mem 3072] [--keep]
 *
 * Opt-in and slow (tens of minutes under TCG); not part of `npm test`. Needs a store image built
 * with --test-port (not --demo).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../bundle';
import { requireTools, run, TEST_TOOLS } from '../tools';
import { secondScreenDrill } from './screens-drill';
import { corruptSlotDrill, kioskExitDrill, osBundleDrill, osUpdateDrill, wipeDrill, type Drill } from './drills';
import { HostHq } from './hq';
import { Machine, OVMF_CODE, OVMF_VARS } from './machine';
import { makeStick } from './media';
import { firstBoot } from './phases';
import { Timeline } from './timeline';

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

function manifestOptions(image: string): { testPort: number | null; demo: boolean } {
  const manifest = join(image, '..', 'kassa.manifest');
  const text = existsSync(manifest) ? readFileSync(manifest, 'utf8') : '';
  const m = /test_port=(\d+)/.exec(text);
  return { testPort: m ? Number(m[1]) : null, demo: /demo=true/.test(text) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { image: { type: 'string', default: 'dist/image/kassa.img' }, items: { type: 'string', default: '500000' }, mem: { type: 'string', default: '3072' }, 'no-drills': { type: 'boolean', default: false }, drills: { type: 'string', default: 'screens,os,wipe,slot,update,exit' }, keep: { type: 'boolean', default: false } } });
  requireTools(TEST_TOOLS);
  for (const f of [OVMF_CODE, OVMF_VARS]) if (!existsSync(f)) throw new Error(`${f} is missing: apt-get install ovmf`);
  const image = resolve(repoRoot, values.image);
  if (!existsSync(image)) throw new Error(`${image} does not exist: npm run image -- --test-port 8401 first`);
  const { testPort, demo } = manifestOptions(image);
  if (testPort === null || demo) throw new Error('image:test needs a store image built with --test-port (not --demo): npm run image -- --test-port 8401');
  if (!existsSync(join(repoRoot, 'dist/hq/main.js'))) run('npm', ['run', 'build', '--silent'], { cwd: repoRoot });
  const dir = join(repoRoot, 'test-artifacts', `image-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(join(dir, 'hq'), { recursive: true });
  // The overlay is larger than the image: the first boot grows the data partition into the rest.
  const overlay = join(dir, 'overlay.qcow2');
  run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', image, overlay, String(statSync(image).size + 3 * 1024 ** 3)]);
  const apiPort = await freePort();
  console.log(`image ${image}\nartifacts ${dir}\nTerminal API forwarded: 127.0.0.1:${apiPort} → guest :${testPort}`);
  const hq = new HostHq(join(dir, 'hq'));
  const { publishS } = await hq.start(Number(values.items));
  console.log(`HQ on 127.0.0.1:${hq.port} (the guest: ${hq.guestUrl}); catalog of ${values.items} items published in ${publishS.toFixed(1)} s`);
  hq.provisioningFile('1', join(dir, 'provisioning.json'));
  makeStick(join(dir, 'stick-1.img'), [join(dir, 'provisioning.json')]);
  const m = new Machine(dir, overlay, { mem: Number(values.mem), apiPort, guestPort: testPort });
  const t = new Timeline(m);
  let failed: unknown = null;
  try {
    await m.powerOn(join(dir, 'stick-1.img'));
    t.mark();
    const lane = await firstBoot(m, t, hq, apiPort);
    const ctx: Drill = { m, t, hq, dir, image, overlay, apiPort, lane };
    const drills = { screens: secondScreenDrill, os: osBundleDrill, wipe: wipeDrill, slot: corruptSlotDrill, update: osUpdateDrill, exit: kioskExitDrill } as const;
    const chosen = values['no-drills'] ? [] : values.drills.split(',').filter((n) => n);
    for (const n of chosen) if (!(n in drills)) throw new Error(`--drills: ${n} is not one of ${Object.keys(drills).join(', ')}`);
    for (const n of chosen) await drills[n as keyof typeof drills](ctx);
  } catch (err) {
    failed = err;
  } finally {
    await m.powerOff(failed ? 5 : 120);
    hq.stop();
    writeFileSync(join(dir, 'hq.log'), hq.log.join('\n') + '\n');
  }
  const table = t.table();
  writeFileSync(join(dir, 'phases.md'), `${table}\n`);
  console.log(`\n${table}\n\nartifacts ${dir} (serial-N.log per power-on, lane-ui.png, provisioning-*.png, drill screens)`);
  if (!values.keep) rmSync(overlay, { force: true });
  if (!failed && t.softFailures.length) failed = new Error(`${t.softFailures.length} phase(s) failed: ${t.softFailures.join('; ')}`);
  if (failed) {
    console.error(`npm run image:test: ${failed instanceof Error ? failed.message : String(failed)}`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(`npm run image:test: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
