/**
 * image:test's drills after the first boot, each a stage of the phase table:
 *  - OS bundles: HQ offers a bundle signed by a foreign key (as a careless or hostile HQ could) →
 *    the terminal downloads it, RAUC refuses it, the service screen says why, the lane sells on;
 *    a bundle older than the running OS is refused by HQ's publish (no downgrades).
 *  - Wipe: the data partition blanked with the power off → the provisioning screen → store IT
 *    plugs in a stick with a reflash token → enrolled again, sales back from HQ → selling.
 *  - Slot A destroyed (its squashfs zeroed) → the root does not mount, the kernel panics and
 *    reboots, systemd-boot counts slot A's tries down and boots slot B → the core, with its data
 *    untouched, sells on.
 *  - OS update: HQ offers a newer bundle signed by the release key → the terminal installs it into
 *    its other slot (A, the destroyed one) → once the till is closed it restarts into it → it runs
 *    the new version and sells.
 *  - Kiosk exit (last: the terminal stays closed): store IT closes the kiosk with the IT PIN → the
 *    core stops with 64 and systemd leaves it stopped → the screen says the till is closed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootSquashfs } from '../disk';
import { repoRoot } from '../bundle';
import { makeSigningPair, writeBundle } from '../rauc';
import { bootToCore, coreAnswers, coreReady, provisioned, screenSettled, UI_ON_SCREEN_S } from './phases';
import { FIRST_ITEM_CODE, STORE, STORE_IT, type HostHq } from './hq';
import type { Lane } from './lane';
import type { Machine } from './machine';
import { partitions } from '../disk';
import { makeStick, zeroPartitionStart } from './media';
import type { Timeline } from './timeline';

export interface Drill {
  m: Machine;
  t: Timeline;
  hq: HostHq;
  dir: string;
  image: string;
  overlay: string;
  apiPort: number;
  lane: Lane;
}

/** The store's sales HQ holds for lane 1, over every terminal that was lane 1. */
async function laneSalesAtHq(hq: HostHq): Promise<number> {
  return (await hq.fleet()).filter((f) => f.store_id === STORE && f.lane_id === '1').reduce((n, f) => n + Number(f.acked_through), 0);
}

async function sellAndSeeAtHq(d: Drill, label: string): Promise<void> {
  const before = await laneSalesAtHq(d.hq);
  await d.t.phase(`${label}: one sale through the Terminal API`, 120, async () => {
    await d.lane.sellForCash(FIRST_ITEM_CODE);
    return true;
  });
  await d.t.phase(`${label}: the sale at HQ`, 600, async () => (await laneSalesAtHq(d.hq)) > before);
}

/**
 * The root of the next release: the build's root (its cache) with /etc/kassa-release naming
 * `version`, as `npm run image -- --os-version` makes it (the terminal must run what the bundle
 * says). Made with fast compression; the build's root is left as it was.
 */
function nextRoot(version: string, out: string): string {
  const release = join(ROOTFS, 'etc/kassa-release');
  const before = readFileSync(release, 'utf8');
  writeFileSync(release, before.replace(/^KASSA_OS_VERSION=.*$/m, `KASSA_OS_VERSION=${version}`));
  try {
    rootSquashfs(ROOTFS, out, '1796601600', 3);
  } finally {
    writeFileSync(release, before);
  }
  return out;
}

const DEV_KEYS = { cert: join(repoRoot, '.cache/image/dev-release-key/signing.pem'), key: join(repoRoot, '.cache/image/dev-release-key/signing.key.pem'), keyring: join(repoRoot, '.cache/image/dev-release-key/ca.pem') };
const ROOT_IMAGE = join(repoRoot, '.cache/image/root.squashfs');
const ROOTFS = join(repoRoot, '.cache/image/rootfs');

const bump = (v: string, by: number) => v.replace(/(\d+)$/, (n) => String(Number(n) + by));

export async function osBundleDrill(d: Drill): Promise<void> {
  d.t.stage = 'OS bundles';
  d.t.mark();
  const running = d.lane.snapshot?.catalog?.os?.running;
  if (!running) throw new Error('the terminal reports no OS version (os in its snapshot): is this the kiosk image?');
  const root = ROOT_IMAGE;
  const foreign = join(d.dir, `foreign-${bump(running, 1)}.raucb`);
  writeBundle(root, foreign, { version: bump(running, 1), commit: 'foreign', keys: makeSigningPair(join(d.dir, 'foreign-key'), 'Not Kassa'), work: d.dir });
  const published = d.hq.publishOs(foreign);
  if (published.code !== 0) throw new Error(`HQ would not publish the foreign bundle (without --keyring it checks no signature): ${published.out}`);
  const os = () => d.lane.snapshot?.catalog?.os ?? null;
  await d.t.phase(`a bundle signed by a foreign key (${bump(running, 1)}) offered → refused by the terminal`, 1800, async () => os()?.state === 'refused' && os()?.version === bump(running, 1));
  console.log(`  the terminal says: ${os()?.detail ?? ''}`);
  await d.m.shot('os-refused');
  if (os()?.running !== running) throw new Error(`the terminal now runs ${os()?.running}, not ${running}`);
  const older = join(d.dir, `older-${bump(running, -1)}.raucb`);
  writeBundle(root, older, { version: bump(running, -1), commit: 'older', keys: DEV_KEYS, work: d.dir });
  await d.t.phase(`a bundle older than the running OS (${bump(running, -1)}) → refused by HQ's publish`, 60, async () => {
    const r = d.hq.publishOs(older);
    if (r.code === 0) throw new Error(`HQ published an older bundle: ${r.out}`);
    return /newer|downgrade/i.test(r.out);
  });
  await sellAndSeeAtHq(d, 'still on its OS');
}

/** Power off, zero the start of a partition (what the drill destroys), power on (no stick). */
async function damageWhileOff(d: Drill, partition: string, mib: number): Promise<void> {
  d.lane.close();
  await d.m.powerOff();
  zeroPartitionStart(d.overlay, partitions(d.image).get(partition)!, mib);
  await d.m.powerOn(null);
  d.t.mark();
}

export async function wipeDrill(d: Drill): Promise<void> {
  d.t.stage = 'data wiped';
  d.hq.provisioningFile('1', join(d.dir, 'provisioning.json'), true);
  makeStick(join(d.dir, 'stick-2.img'), [join(d.dir, 'provisioning.json')]);
  await damageWhileOff(d, 'kassa-data', 8);
  d.lane = await bootToCore(d.m, d.t, d.apiPort);
  const prov = () => d.lane.snapshot?.provisioning ?? null;
  const waitingScreen = screenSettled(d.m, 'provisioning-waiting', d.apiPort);
  await d.t.phase('the core waits for provisioning (no stick)', 300, async () => prov()?.phase === 'waiting');
  await d.t.phase('the provisioning screen asks for the stick (provisioning-waiting.png)', UI_ON_SCREEN_S, waitingScreen, true);
  await d.m.plugStick(join(d.dir, 'stick-2.img'));
  d.t.mark();
  await d.t.phase('stick plugged in → enrolled again (reflash)', 600, async () => prov()?.enrolled?.reflash === true || provisioned(d.lane));
  await d.t.phase('its sales back from HQ', 900, async () => (prov()?.recovery?.sales ?? 0) > 0 || provisioned(d.lane));
  console.log(`  recovered ${prov()?.recovery?.sales ?? '?'} sales from ${prov()?.recovery?.source ?? '?'}`);
  await d.t.phase('catalog applied → ready to sell', 1800, async () => provisioned(d.lane));
  await d.t.phase('the lane UI on screen (lane-ui-after-wipe.png)', UI_ON_SCREEN_S, screenSettled(d.m, 'lane-ui-after-wipe', d.apiPort), true);
  await sellAndSeeAtHq(d, 'provisioned again');
}

export async function corruptSlotDrill(d: Drill): Promise<void> {
  d.t.stage = 'slot A destroyed';
  await damageWhileOff(d, 'kassa-root-a', 16);
  await d.t.phase('slot A fails its tries → systemd-boot starts slot B', 2400, async () => /Command line: .*kassa\.slot=b/.test(d.m.serial()));
  const panics = (d.m.serial().match(/Failed to mount \S+ as root file system/g) ?? []).length;
  console.log(`  slot A failed to boot ${panics} time(s) before slot B`);
  d.lane = await coreReady(d.m, d.t, d.apiPort, 'core ready on slot B');
  await d.t.phase('its data intact (provisioned, no stick needed)', 60, async () => provisioned(d.lane));
  await sellAndSeeAtHq(d, 'on slot B');
}

export async function osUpdateDrill(d: Drill): Promise<void> {
  d.t.stage = 'OS update';
  d.t.mark();
  const running = d.lane.snapshot?.catalog?.os?.running;
  if (!running) throw new Error('the terminal reports no OS version');
  // HQ has offered running+1 (the foreign bundle): the next release is newer than both.
  const next = bump(running, 2);
  const bundle = join(d.dir, `kassa-${next}.raucb`);
  writeBundle(nextRoot(next, join(d.dir, `root-${next}.squashfs`)), bundle, { version: next, commit: 'next', keys: DEV_KEYS, work: d.dir });
  const published = d.hq.publishOs(bundle, DEV_KEYS.keyring);
  if (published.code !== 0) throw new Error(`HQ refused the release: ${published.out}`);
  const os = () => d.lane.snapshot?.catalog?.os ?? null;
  await d.t.phase(`a newer bundle (${next}) signed by the release key → installed into the other slot`, 3600, async () => {
    if (os()?.state === 'refused' && os()?.version === next) throw new Error(`refused: ${os()?.detail}`);
    return os()?.state === 'installed' && os()?.version === next;
  });
  await d.m.shot('os-installed');
  const from = d.m.serial().length;
  // The update goes into the slot it did not boot from: B after a first boot, A after the slot drill.
  const booted = [...d.m.serial().matchAll(/Command line: .*kassa\.slot=([ab])/g)].pop()?.[1] ?? 'a';
  const other = booted === 'a' ? 'b' : 'a';
  await d.lane.closeTill();
  await d.t.phase(`the till closed → the terminal restarts into the new slot (${other.toUpperCase()})`, 1200, async () => new RegExp(`Command line: .*kassa\\.slot=${other}`).test(d.m.serial().slice(from)));
  d.lane.close();
  d.lane = await coreReady(d.m, d.t, d.apiPort, 'core ready on the new OS', from);
  await d.t.phase(`runs ${next}`, 120, async () => os()?.running === next);
  await sellAndSeeAtHq(d, 'on the new OS');
}

export async function kioskExitDrill(d: Drill): Promise<void> {
  d.t.stage = 'kiosk exit';
  d.t.mark();
  await d.lane.send({ cmd: 'exitKiosk', approval: { operator: STORE_IT.id, pin: STORE_IT.pin } });
  d.lane.close();
  let downAt = 0;
  await d.t.phase('store IT closes the kiosk (IT PIN) → the core stops', 120, async () => {
    if (await coreAnswers(d.apiPort)) return false;
    downAt = Date.now();
    return true;
  });
  // systemd restarts a core that stops within 2 s, and it answers within a minute or two under TCG: not this one (exit 64).
  await d.t.phase('… and stays stopped (exit 64 is not restarted) for 3 min', 240, async () => {
    if (await coreAnswers(d.apiPort)) throw new Error('the core answers again: it was restarted');
    return Date.now() - downAt >= 180_000;
  });
  // The closed page is mostly dark background: a higher share of one colour than the lane UI's.
  await d.t.phase('the screen says the till is closed (kiosk-closed.png)', 300, screenSettled(d.m, 'kiosk-closed', undefined, 0.97));
}
