/**
 * Size: the composition root wires every part and parses the command line that selects them.
 * Composition root of the core process (plain Node): opens the database, restores the lane,
 * serves the Terminal API and prints one ready line (CoreReadySchema) on stdout.
 *
 *   node dist/core/main.js --db data/kassa.db [--port 0] [--profile SE] [--demo]
 *        [--store-id demo-001] [--store-name "Kassa Demo Store"] [--lane 1] [--ui dist/renderer]
 *        [--devices devices.json] [--logo logo.pbm] [--zvt tcp:HOST:PORT|serial:PATH|simulated]
 *        [--mode staffed|self] [--self-cash] [--attendant HOST:PORT] [--attendant-peers H:P,…] [--idle-abandon S] [--idle-warn S]
 *        [--peer-listen HOST:PORT] [--peer-address HOST:PORT]
 *        [--usb-root DIR[,DIR]]… (where diagnostics may be written; default /media and /run/media)
 *        [--clock ISO-8601] (demo only: the core's clock starts at that instant and runs on; tests and demos set the day)
 *        [--provisioning [--provision-dir DIR]…] (first boot: no selling until provisioned on screen, core/provisioning)
 *        [--os-release /etc/kassa-release --os-update-dir DIR] (kiosk image: OS updates from HQ, core/sync/os-update.ts)
 *        [--exit-on-kiosk-exit] (kiosk image: store IT's kiosk exit stops the core with status 64, not restarted)
 * Environment: KASSA_TOKEN (per-launch token; generated when absent), KASSA_USB_ROOT (like --usb-root);
 * under systemd NOTIFY_SOCKET and WATCHDOG_USEC (core/sd-notify.ts: READY=1, WATCHDOG=1, STATUS=, STOPPING=1).
 * Store IT's kiosk exit prints {"kassa":"exit","operator":"<id>"} (CoreExitRequestSchema) on stdout.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { osUpdaterFor } from './sync/os-update';
import { hostPort } from '../common/cli-args';
import { EXIT_BY_STORE_IT, type CoreExitRequest, type CoreReady, type Profile } from '../protocol/terminal';
import { openDatabase, type Db } from './db';
import { Catalog } from './catalog/repo';
import { startCheckpointer } from './db/checkpointer';
import { closeCopies } from './db/copies-file';
import { ensureDemoCatalog, seedDemoPromotions, seedDemoVouchers } from './catalog/demo';
import { logJournal } from './it/journal-log';
import { Journal } from './journal';
import { loadOrCreateTerminalSigner } from './journal/signer';
import { archiveDirFor } from './journal/file';
import { demoDevices, parseDeviceConfig, withPaymentTerminal, type DeviceConfig } from './devices/config';
import { DeviceHolder } from './devices/holder';
import { LogRing } from './it/log';
import { StoreIt } from './it/tools';
import { DEFAULT_USB_ROOTS, parseUsbRoots } from './it/usb';
import { discoverDevices } from './devices/discovery';
import { HqSync } from './sync/hq-sync';
import { watchRemovedOperators } from './operators/removed';
import { PeerSync } from './peers/sync';
import { PeerCopies } from './peers/copies';
import { demoLogo, parsePbm, type LogoImage } from './printing/logo';
import { LaneService } from './lane/host';
import { Operators, seedDemoOperators } from './operators';
import { ApiServer } from './api/server';
import { AttendantServer } from './api/attendant';
import { digitalReceiptLinker, receiptLangOf, storeBaseUrl } from './receipt/digital';
import { ReceiptPages } from './receipt/digital-page';
import { profileFor } from './profile';
import { DEMO_MARKETS } from './markets/demo';
import { withLiveLegal } from './markets/store-legal';
import { tseFor } from './fiscal/tse/setup';
import { controlUnitFor, controlUnitSwapper } from './fiscal/control-unit/setup';
import { loadControlUnitConfig, saveControlUnitConfig } from './fiscal/control-unit/config';
import { clockFrom, systemClock, type Clock } from './clock';
import { laneIdentity, PROVISIONING_ARGS, provisioningOption, provisioningStatus, startProvisioning } from './provisioning';
import { SystemdNotifier, takeNotifyEnv } from './sd-notify';

export interface CoreOptions {
  /** The kiosk image's OS updates: /etc/kassa-release and the handover folder (core/sync/os-update.ts); null: none. */ os?: { release: string; dir: string } | null;
  db: string;
  port: number;
  profile: string;
  demo: boolean;
  storeId: string;
  storeName: string;
  laneId: string;
  uiDir: string | null;
  token: string;
  /** The terminal's device file (JSON); the demo simulates its devices. */
  devices: string | null;
  /** Receipt logo, a PBM file (the demo has its own). */
  logo?: string | null;
  /** Payment terminal: tcp:HOST:PORT, serial:/dev/ttyX, or simulated (the demo's); a shortcut for its devices.json entry (kind zvtTerminal), which it replaces. */
  zvt?: string | null;
  /** Staffed lane (default) or self-checkout kiosk. */
  mode?: 'staffed' | 'self';
  /** Self-checkout: take cash too (card only by default). */
  selfCash?: boolean;
  /** Self-checkout idle rules (seconds): an untouched unpaid basket is abandoned after `abandon`, with a prompt for the last `warn`. */
  idle?: { abandonS: number; warnS: number } | null;
  /** Where the attendant view connects (HOST:PORT; port 0 picks one); off when null. */
  attendant?: { host: string; port: number } | null;
  /** The other kiosks' attendant listeners (HOST:PORT) the attendant view shows too. */
  attendantPeers?: string[];
  /** Where this till listens for the store's other tills (HOST:PORT; port 0 picks one); null: it takes nothing from them. */
  peerListen?: { host: string; port: number } | null;
  /** The address it tells HQ its peers reach it at (HOST:PORT); default: the listener's own, when that names one host. */
  peerAddress?: string | null;
  /** Removable-media roots a diagnostics bundle may be written below (default /media, /run/media). */
  usbRoots?: string[];
  /** Store IT asked the kiosk app to exit (IT PIN checked): the command line prints CoreExitRequestSchema's line. */
  onExitRequest?: (operator: string) => void;
  /** The kiosk image (browser mode, no kiosk app to quit): store IT's kiosk exit stops the core with EXIT_BY_STORE_IT, which systemd does not restart. */
  exitOnKioskExit?: boolean;
  log: (line: string) => void;
  /** The core's one clock (core/clock.ts); the machine's clock unless a demo or test sets it. */
  clock?: Clock;
  /** First-boot provisioning on screen (core/provisioning): where provisioning.json is looked for; off when null. */
  provisioning?: { dirs: string[] } | null;
}

export interface RunningCore {
  port: number;
  /** The attendant listener's port, when it runs. */
  attendantPort: number | null;
  /** The store-peer listener's port, when it runs. */
  peerPort: number | null;
  token: string;
  db: Db;
  service: LaneService;
  close(): Promise<void>;
}

function findUiDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [resolve(here, '../renderer'), resolve(here, '../dist/renderer'), resolve(here, '../../dist/renderer')]) {
    if (existsSync(resolve(candidate, 'index.html'))) return candidate;
  }
  return null;
}

/** The demo store's catalog (its market's, once), staff, gift cards and promotions. */
function seedDemoStore(db: Db, operators: Operators, clock: Clock, log: (line: string) => void, country: Profile['country']): void {
  const r = ensureDemoCatalog(db, country, clock);
  if (r) log(`demo catalog of ${country} written: ${r.items} items, ${r.barcodes} barcodes`);
  seedDemoOperators(operators);
  seedDemoVouchers(db);
  seedDemoPromotions(db, country);
  // The Swedish demo store's till is provisioned with the control unit simulator (store IT may provision another).
  if (country === 'SE' && !loadControlUnitConfig(db)) saveControlUnitConfig(db, { kind: 'simulator' });
}

/**
 * Devices from the terminal's device file (the demo store simulates them all); invalid entries are
 * refused by name and the lane starts with the valid ones. Store IT's service screen saves to that
 * file, or beside the database when none was given (used from then on).
 */
function readDeviceFile(o: CoreOptions): { devicesFile: string; parsed: ReturnType<typeof parseDeviceConfig> } {
  const devicesFile = o.devices ?? `${o.db}.devices.json`;
  // A demo kiosk that takes cash gets a simulated cash unit (ccTalk) too.
  let text = o.demo ? demoDevices({ cash: o.mode === 'self' && o.selfCash === true }) : '{"devices":[]}';
  if (o.devices || existsSync(devicesFile)) {
    try {
      text = readFileSync(devicesFile, 'utf8');
    } catch (err) {
      o.log(`device configuration ${devicesFile} cannot be read (${err instanceof Error ? err.message : String(err)}); starting without devices`);
      text = '{"devices":[]}';
    }
  }
  const parsed = parseDeviceConfig(text);
  for (const e of parsed.errors) o.log(`device configuration: ${e}`);
  return { devicesFile, parsed };
}

/** The receipt logo: the store's PBM file, or the demo store's own. */
function readLogo(o: CoreOptions): LogoImage | null {
  if (!o.logo) return o.demo ? demoLogo() : null;
  try {
    return parsePbm(readFileSync(o.logo));
  } catch (err) {
    o.log(`receipt logo ${o.logo} not used (${err instanceof Error ? err.message : String(err)}); receipts print without it`);
    return o.demo ? demoLogo() : null;
  }
}

/** How long HQ must not have heard from a store peer before this till sends its sales for it (ms). */
function relayGraceMs(): number {
  const ms = Number(process.env.KASSA_PEER_RELAY_GRACE_MS ?? 600_000);
  return Number.isFinite(ms) && ms >= 0 ? ms : 600_000;
}

/** How long one request to HQ or a store peer may take (ms). */
function syncTimeoutMs(): number {
  const ms = Number(process.env.KASSA_SYNC_TIMEOUT_MS ?? 15_000);
  return Number.isFinite(ms) && ms >= 100 ? ms : 15_000;
}

/** Replication to HQ once store IT has enrolled this terminal (npm run provision), also while it runs; `hold`: not while provisioning on screen runs. */
function hqSyncFor(db: Db, service: LaneService, o: CoreOptions, clock: Clock, startedAt: Date, peerAddress: string | null, hold: () => boolean): HqSync {
  // An operator HQ removed from the staff is signed out once no sale of theirs is open (core/operators/removed.ts).
  const removed = watchRemovedOperators(service, o.log);
  const pollMs = Number(process.env.KASSA_CATALOG_POLL_MS ?? 300_000);
  return new HqSync(db, service, {
    dbPath: o.db,
    now: clock,
    startedAt,
    log: o.log,
    timeoutMs: syncTimeoutMs(),
    // Catalog updates at each check-in (every few minutes), which also reports this terminal's state.
    catalogPollMs: Number.isFinite(pollMs) && pollMs >= 200 ? pollMs : 300_000,
    peerAddress,
    hold,
    os: o.os ? osUpdaterFor(db, o.os, o.log) : null,
    onStaffApplied: removed.check,
  });
}

/** Size: starts every part in the order each needs the others (database, journal, devices, lane and its TSE, peers, HQ, API), read in one place. */
export async function startCore(o: CoreOptions): Promise<RunningCore> {
  // Every log line is kept (redacted) for store IT's log viewer and diagnostics bundle.
  const clock = o.clock ?? systemClock;
  const logs = new LogRing(undefined, clock);
  o = { ...o, log: logs.tee(o.log) };
  const startedAt = clock();
  const profile = profileFor(o.profile);
  const db = openDatabase(o.db);
  // WAL checkpoints run on a worker thread, so a scan never waits for one.
  const checkpointer = startCheckpointer(db, { log: o.log });
  try {
    const catalog = new Catalog(db);
    const operators = new Operators(db, clock);
    if (o.demo) seedDemoStore(db, operators, clock, o.log, profile.country);
    if (operators.size() === 0) o.log('no operators are provisioned on this terminal: nobody can sign in until store IT adds them');
    // Every journal entry is signed with the terminal's own Ed25519 key.
    const journal = new Journal(db, { signer: loadOrCreateTerminalSigner(db, clock) });
    logJournal(db, journal, profile, o.log);
    const { devicesFile, parsed } = readDeviceFile(o);
    const logo = readLogo(o);
    // Card payments: the payment terminal in the device file, or the one --zvt names (the demo store's is simulated).
    const amend = (list: readonly DeviceConfig[]) => withPaymentTerminal(list, { flag: o.zvt ?? null, demo: o.demo });
    const devices = await DeviceHolder.start(parsed.devices, db, { log: o.log, logo, now: clock, currency: profile.currency, timeZone: profile.timeZone, locale: profile.locale, dbPath: o.db }, amend);
    // Digital receipts: a link to HQ when enrolled, else to this core (its attendant listener, else its API), known once it listens.
    let storeBase: string | null = null;
    const digitalReceiptLink = digitalReceiptLinker({ db, journal, lang: receiptLangOf(profile), storeBase: () => storeBase, log: o.log });
    // HQ's store and lane once provisioned on screen; the store's particulars for the receipt (the demo store has its market's),
    // read for each receipt: HQ's signed record (taken at check-in, core/markets/store-legal.ts) wins, and a change prints on the next one.
    const identity = withLiveLegal(laneIdentity(db, o), db, o.demo ? DEMO_MARKETS[profile.country].store : null);
    const receiptPages = new ReceiptPages(db, identity);
    const peerCopies = new PeerCopies(db); // the store's other tills' sales, in their own file (core/db/copies-file.ts): kept by the peer batch worker, read by returns
    const tse = tseFor(profile.country, db, o.db, identity, clock, o.log); // Germany: the TSE that signs every sale
    const cu = controlUnitFor(profile.country, o.db, identity, clock, o.log, loadControlUnitConfig(db)); // Sweden: the control unit store IT provisioned, every receipt is registered with
    const service = new LaneService(
      db,
      catalog,
      profile,
      identity,
      { now: clock, ...(devices.payments ? { payments: devices.payments } : {}), journal, digitalReceiptLink, storeSales: peerCopies, ...(tse ? { tse } : {}), ...(cu ? { controlUnit: cu } : {}), ...(o.db === ':memory:' ? {} : { journalArchiveDir: archiveDirFor(o.db) }), log: o.log, receiptLogo: logo, config: { mode: o.mode ?? 'staffed', selfCash: o.selfCash ?? false, ...(o.idle ? { idleAbandonMs: o.idle.abandonS * 1000, idleWarnMs: o.idle.warnS * 1000 } : {}) }, ...(devices.printQueue ? { printQueue: devices.printQueue } : {}), ...(devices.scale ? { scale: devices.scale } : {}) },
    );
    devices.attach(service);
    // The store's other tills: they send this till their sales, it sends them its own (core/peers).
    const peers = new PeerSync(db, service, { now: clock, log: o.log, copies: peerCopies, listen: o.peerListen ?? null, timeoutMs: syncTimeoutMs(), relayGraceMs: relayGraceMs() });
    const peerPort = await peers.start();
    const peerAddress = o.peerAddress ?? (o.peerListen && peerPort !== null && !['0.0.0.0', '::'].includes(o.peerListen.host) ? `${o.peerListen.host}:${peerPort}` : null);
    const provisioning = startProvisioning(service, { db, dbPath: o.db, identity, provisioning: o.provisioning ?? null, now: clock, log: o.log, timeoutMs: syncTimeoutMs(), controlUnit: controlUnitSwapper(service, profile.country, o.db, identity, clock, o.log) });
    const hqSync = hqSyncFor(db, service, o, clock, startedAt, peerAddress, () => provisioning?.holding ?? false);
    hqSync.start();
    const storeIt = new StoreIt({
      db, dbPath: o.db,
      service,
      journal,
      catalog,
      identity,
      profile,
      logs,
      log: o.log,
      devices,
      devicesFile,
      demo: o.demo,
      usbRoots: o.usbRoots ?? DEFAULT_USB_ROOTS,
      startedAt,
      now: clock,
    });
    const api = new ApiServer({ service, token: o.token, staticDir: o.uiDir, log: o.log, devices, storeIt, receiptPages, ...(o.onExitRequest ? { onExitRequest: o.onExitRequest } : {}) });
    const port = await api.listen(o.port);
    let attendant: AttendantServer | null = null;
    if (o.attendant) {
      attendant = new AttendantServer({ service, operators, staticDir: o.uiDir, log: o.log, peers: o.attendantPeers ?? [], receiptPages });
      await attendant.listen(o.attendant.host, o.attendant.port);
      o.log(`attendant view: http://${o.attendant.host}:${attendant.port}/?view=attendant`);
    }
    storeBase = attendant && o.attendant ? storeBaseUrl(o.attendant.host, attendant.port) : `http://127.0.0.1:${port}`;
    return {
      port,
      attendantPort: attendant?.port ?? null,
      peerPort,
      token: o.token,
      db,
      service,
      async close() {
        provisioning?.stop();
        hqSync.stop();
        await peers.stop();
        service.dispose();
        await devices.stop();
        await attendant?.close();
        await api.close();
        await checkpointer.stop();
        closeCopies(db);
        db.close();
        tse?.close();
        service.controlUnit?.currentPort?.close?.(); // the unit in use: the one started with, or one provisioned since
      },
    };
  } catch (err) {
    await checkpointer.stop();
    closeCopies(db);
    if (db.open) db.close();
    throw err;
  }
}

export function parseCoreArgs(argv: string[], env: NodeJS.ProcessEnv): CoreOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: 'data/kassa.db' },
      port: { type: 'string', default: '0' },
      profile: { type: 'string', default: 'SE' },
      demo: { type: 'boolean', default: false },
      'store-id': { type: 'string', default: 'demo-001' },
      'store-name': { type: 'string', default: 'Kassa Demo Store' },
      lane: { type: 'string', default: '1' },
      ui: { type: 'string' },
      devices: { type: 'string' },
      logo: { type: 'string' },
      zvt: { type: 'string' },
      'usb-root': { type: 'string', multiple: true },
      mode: { type: 'string', default: 'staffed' },
      'self-cash': { type: 'boolean', default: false },
      attendant: { type: 'string' },
      'attendant-peers': { type: 'string' },
      'peer-listen': { type: 'string' },
      'peer-address': { type: 'string' },
      'idle-abandon': { type: 'string' },
      'idle-warn': { type: 'string' },
      clock: { type: 'string' },
      'os-release': { type: 'string' }, 'os-update-dir': { type: 'string' }, 'exit-on-kiosk-exit': { type: 'boolean', default: false },
      ...PROVISIONING_ARGS,
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got "${values.port}"`);
  if (values.mode !== 'staffed' && values.mode !== 'self') throw new Error(`--mode must be staffed or self, got "${values.mode}"`);
  const attendant = values.attendant ? hostPort('--attendant', values.attendant) : null;
  const peerListen = values['peer-listen'] ? hostPort('--peer-listen', values['peer-listen']) : null;
  const peerAddress = values['peer-address'] ?? null;
  if (peerAddress !== null && !/^[A-Za-z0-9.-]{1,253}:\d{1,5}$/.test(peerAddress)) throw new Error(`--peer-address must be HOST:PORT, got "${peerAddress}"`);
  const attendantPeers = (values['attendant-peers'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of attendantPeers) if (!/^[A-Za-z0-9.-]{1,253}:\d{1,5}$/.test(p)) throw new Error(`--attendant-peers takes HOST:PORT,HOST:PORT…; "${p}" is not one`);
  let idle: CoreOptions['idle'] = null;
  if (values['idle-abandon'] !== undefined || values['idle-warn'] !== undefined) {
    const abandonS = Number(values['idle-abandon'] ?? 120);
    const warnS = Number(values['idle-warn'] ?? 30);
    if (!Number.isInteger(abandonS) || !Number.isInteger(warnS) || abandonS < 5 || warnS < 1 || warnS >= abandonS) throw new Error('--idle-abandon and --idle-warn are whole seconds, abandon ≥ 5 and warn < abandon');
    idle = { abandonS, warnS };
  }
  let clock: Clock | undefined;
  if (values.clock !== undefined) {
    // A set clock would let anyone date sales at will: only the demo store takes one.
    if (!values.demo) throw new Error('--clock is for the demo store only (with --demo)');
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(values.clock) || Number.isNaN(Date.parse(values.clock))) throw new Error(`--clock takes an ISO 8601 instant with its offset (2026-11-23T10:00:00+01:00), got "${values.clock}"`);
    clock = clockFrom(values.clock);
  }
  const token = env.KASSA_TOKEN ?? randomBytes(32).toString('base64url');
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) throw new Error('KASSA_TOKEN must be 16–128 characters of A–Z, a–z, 0–9, _ or -');
  return {
    db: values.db,
    port,
    profile: values.profile,
    demo: values.demo,
    storeId: values['store-id'],
    storeName: values['store-name'],
    laneId: values.lane,
    uiDir: values.ui ?? findUiDir(),
    token,
    devices: values.devices ?? null,
    logo: values.logo ?? null,
    zvt: values.zvt ?? null,
    usbRoots: ((roots) => (roots.length ? roots : DEFAULT_USB_ROOTS))(parseUsbRoots([...(values['usb-root'] ?? []), env.KASSA_USB_ROOT])),
    onExitRequest: (operator) => process.stdout.write(JSON.stringify({ kassa: 'exit', operator } satisfies CoreExitRequest) + '\n'),
    mode: values.mode,
    selfCash: values['self-cash'],
    attendant,
    attendantPeers,
    peerListen,
    peerAddress,
    idle,
    os: values['os-release'] && values['os-update-dir'] ? { release: values['os-release'], dir: values['os-update-dir'] } : null,
    exitOnKioskExit: values['exit-on-kiosk-exit'],
    provisioning: provisioningOption(values),
    ...(clock ? { clock } : {}),
    log: (line) => process.stderr.write(`[core] ${line}\n`),
  };
}

async function main(): Promise<void> {
  if (process.argv.includes('--list-devices')) {
    // Store IT: what serial ports and HID devices this terminal has, with USB ids.
    process.stdout.write(JSON.stringify(await discoverDevices(), null, 2) + '\n');
    process.exit(0);
  }
  let opts: CoreOptions;
  try {
    opts = parseCoreArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`kassa core: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  // Under systemd (the kiosk image's Type=notify unit): what it is doing, ready, the watchdog.
  const notifyEnv = takeNotifyEnv(process.env);
  const notifier = notifyEnv ? new SystemdNotifier(notifyEnv, { log: opts.log }) : null;
  notifier?.say('starting: opening the database');
  // Store IT's kiosk exit: the line for a kiosk app, and with --exit-on-kiosk-exit the core itself stops (set below).
  let kioskExit: (() => void) | null = null;
  const printExit = opts.onExitRequest;
  let core: RunningCore;
  try {
    core = await startCore({ ...opts, onExitRequest: (operator) => (printExit?.(operator), kioskExit?.()) });
  } catch (err) {
    process.stderr.write(`kassa core could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const ready: CoreReady = { kassa: 'ready', port: core.port, token: core.token, pid: process.pid, ...(core.attendantPort !== null ? { attendantPort: core.attendantPort } : {}), ...(core.peerPort !== null ? { peerPort: core.peerPort } : {}) };
  process.stdout.write(JSON.stringify(ready) + '\n');
  // /health answers ok from here on: READY=1, then the watchdog pings and the status from the loop's timer.
  notifier?.start(() => provisioningStatus(core.service.provisioning.view()));
  notifier?.ready();
  let closing = false;
  const shutdown = (signal: string, code = 0) => {
    if (closing) return;
    closing = true;
    opts.log(`${signal}: closing`);
    // Store IT's exit stays an exit (64, not restarted) even when closing fails.
    (notifier?.stopping() ?? Promise.resolve()).then(() => core.close()).then(
      () => process.exit(code),
      () => process.exit(code || 1),
    );
  };
  if (opts.exitOnKioskExit) kioskExit = () => shutdown('kiosk exit by store IT', EXIT_BY_STORE_IT);
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

const entry = process.argv[1] ? resolve(process.argv[1]) : '';
if (entry === fileURLToPath(import.meta.url)) void main();
