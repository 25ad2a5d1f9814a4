/**
 * Store IT's service screen in the core: terminal identity, the log, the device configuration
 * (check, save atomically, restart the devices with it), a diagnostics bundle on a USB drive, and
 * the kiosk exit. Every command needs store IT: an IT operator signed in on the lane, or the IT
 * number and PIN given with the command. What changes something is journalled and logged with who.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Approval, DeviceConfigResult, DiagnosticsResult, Profile, ServiceInfo, ServiceLog } from '../../protocol/terminal';
import type { Db } from '../db';
import { schemaVersion } from '../db';
import type { Catalog } from '../catalog/repo';
import type { LaneService, TerminalIdentity } from '../lane/host';
import { checkDeviceConfig, DEMO_DEVICES } from '../devices/config';
import type { DeviceHolder } from '../devices/holder';
import { CoreError } from '../errors';
import type { Journal } from '../journal';
import type { JournalBody } from '../journal/kinds';
import { JournalRepo } from '../journal/repo';
import { Operators } from '../operators';
import { SOFTWARE_VERSION } from '../sync/report';
import { HqLinkRepo } from '../sync/repo';
import { redact, type LogRing } from './log';
import { checkUsbTarget, safeName, usbTargets } from './usb';
import { systemClock } from '../clock';

export interface StoreItOptions {
  db: Db;
  /** The database file (shown to IT; the device file is saved beside it when none was given). */
  dbPath: string;
  service: LaneService;
  journal: Journal;
  catalog: Catalog;
  identity: TerminalIdentity;
  profile: Profile;
  logs: LogRing;
  log: (line: string) => void;
  devices: DeviceHolder;
  /** The device file: the one given to the core, or where the first save from the service screen goes. */
  devicesFile: string;
  /** Started without a device file: the demo store's simulated devices, or none. */
  demo: boolean;
  usbRoots: readonly string[];
  startedAt?: Date;
  now?: () => Date;
}

/** Writes a file so that a power cut leaves the old or the new content, never half of one. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const dir = openSync(dirname(file), 'r');
    fsyncSync(dir);
    closeSync(dir);
  } catch {
    // not every file system lets a folder be synced
  }
}

/** A URL as IT may see it: never with a password in it. */
const safeUrl = (url: string | null): string | null => (url === null ? null : redact(url));

export class StoreIt {
  private readonly operators: Operators;
  private readonly now: () => Date;
  private readonly startedAt: Date;

  constructor(private readonly o: StoreItOptions) {
    this.now = o.now ?? systemClock;
    this.operators = new Operators(o.db, this.now);
    this.startedAt = o.startedAt ?? this.now();
  }

  /**
   * Store IT only: the IT operator signed in on the lane, or IT's number and PIN (or badge) with the
   * command. Supervisors are refused. Returns who.
   */
  authorize(action: string, approval: Approval | undefined): string {
    const lane = this.o.service.snapshot().lane;
    // At a self-checkout the signed-in operator only opened the kiosk: whoever stands there proves who they are.
    if (lane.mode === 'staffed' && lane.operator && lane.role === 'it') return lane.operator;
    if (!approval) throw new CoreError('APPROVAL_REQUIRED', 'This is for store IT: give the IT number and PIN.', { action, role: 'it' });
    const op = 'badge' in approval ? this.operators.authenticateBadge(approval.badge) : this.operators.authenticate(approval.operator, approval.pin);
    if (op.role !== 'it') throw new CoreError('APPROVAL_DENIED', `${op.name} is not store IT: this needs the IT number and PIN.`, { action, role: 'it' });
    return op.id;
  }

  private journal<K extends 'device.config' | 'diagnostics.export' | 'kiosk.exit'>(kind: K, body: Omit<JournalBody<K>, 'lane' | 'operator'>): void {
    const at = this.now().toISOString();
    const full = { ...body, lane: this.o.identity.laneId, operator: this.o.service.snapshot().lane.operator } as JournalBody<K>;
    this.o.db.transaction(() => this.o.journal.append(kind, null, full, at))();
  }

  private hqLink(): { terminalId: string; hqUrl: string } | null {
    try {
      const r = new HqLinkRepo(this.o.db).get();
      return r ? { terminalId: r.terminalId, hqUrl: r.hqUrl } : null;
    } catch {
      return null;
    }
  }

  private identity(): Omit<ServiceInfo, 'usbTargets' | 'usbRoots'> {
    const link = this.hqLink();
    const stats = this.o.catalog.stats();
    return {
      storeId: this.o.identity.storeId,
      storeName: this.o.identity.storeName,
      laneId: this.o.identity.laneId,
      terminalId: link?.terminalId ?? null,
      hqUrl: safeUrl(link?.hqUrl ?? null),
      softwareVersion: SOFTWARE_VERSION,
      catalog: { version: stats.version, items: stats.items },
      database: this.o.dbPath,
      devicesFile: existsSync(this.o.devicesFile) ? this.o.devicesFile : null,
      country: this.o.profile.country,
      locale: this.o.profile.locale,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      startedAt: this.startedAt.toISOString(),
      uptimeSeconds: Math.max(0, Math.floor((this.now().getTime() - this.startedAt.getTime()) / 1000)),
    };
  }

  info(approval: Approval | undefined): ServiceInfo {
    this.authorize('serviceInfo', approval);
    return { ...this.identity(), usbTargets: usbTargets(this.o.usbRoots), usbRoots: [...this.o.usbRoots] };
  }

  logLines(filter: string | undefined, approval: Approval | undefined): ServiceLog {
    this.authorize('serviceLog', approval);
    const f = filter?.trim() ? filter.trim() : null;
    return { lines: this.o.logs.lines(f ?? undefined), total: this.o.logs.total, truncated: this.o.logs.truncated, filter: f };
  }

  /** The device configuration's text: the file, or (before the first save) the demo's or an empty one. */
  private currentConfig(): { text: string; source: DeviceConfigResult['source'] } {
    if (existsSync(this.o.devicesFile)) {
      try {
        return { text: readFileSync(this.o.devicesFile, 'utf8'), source: 'file' };
      } catch {
        // unreadable: show what runs
      }
      return { text: JSON.stringify({ devices: this.o.devices.config }, null, 2) + '\n', source: 'none' };
    }
    return this.o.demo ? { text: JSON.stringify(JSON.parse(DEMO_DEVICES), null, 2) + '\n', source: 'demo' } : { text: '{\n  "devices": []\n}\n', source: 'none' };
  }

  readConfig(approval: Approval | undefined): DeviceConfigResult {
    this.authorize('deviceConfig', approval);
    const { text, source } = this.currentConfig();
    return { text, file: this.o.devicesFile, source, problems: checkDeviceConfig(text).problems, saved: false, started: null, notes: [] };
  }

  /**
   * Checks a new configuration; with `save`, and only when it has no problem at all, writes it to
   * the device file atomically, restarts the devices with it, and journals who did it.
   */
  async saveConfig(text: string, save: boolean, approval: Approval | undefined): Promise<DeviceConfigResult> {
    const by = this.authorize('saveDeviceConfig', approval);
    const { devices, problems } = checkDeviceConfig(text);
    const base = { text, file: this.o.devicesFile, source: 'file' as const, problems, saved: false, started: null, notes: [] };
    if (!save || problems.length) return { ...base, source: existsSync(this.o.devicesFile) ? 'file' : this.o.demo ? 'demo' : 'none' };
    try {
      writeFileAtomic(this.o.devicesFile, text.endsWith('\n') ? text : `${text}\n`);
    } catch (err) {
      this.o.log(`device configuration not saved to ${this.o.devicesFile}: ${err instanceof Error ? err.message : String(err)}`);
      throw new CoreError('STORAGE_FAILED', `The device configuration could not be written to ${this.o.devicesFile}; nothing changed.`, { reason: 'deviceConfig' });
    }
    const sha256 = createHash('sha256').update(text).digest('hex');
    this.o.log(`device configuration saved to ${this.o.devicesFile} by operator ${by} (${devices.length} devices: ${devices.map((d) => d.id).join(', ') || 'none'}); restarting the devices`);
    this.journal('device.config', { by, file: this.o.devicesFile, sha256, devices: devices.map((d) => d.id) });
    try {
      const r = await this.o.devices.restart(devices);
      this.o.log(`devices restarted: ${r.started} of ${devices.length} running${r.notes.length ? `; ${r.notes.join('; ')}` : ''}`);
      return { ...base, saved: true, started: r.started, notes: r.notes };
    } catch (err) {
      // Saved, but the devices did not come up: the next start of the till uses the file.
      const why = err instanceof Error ? err.message : String(err);
      this.o.log(`devices not restarted after the configuration was saved: ${why}`);
      return { ...base, saved: true, started: 0, notes: [`the devices could not be restarted (${why}); restart the till to use the saved configuration`] };
    }
  }

  /**
   * Writes a diagnostics bundle into a folder on a USB drive: versions, identity, the device
   * configuration and status, sync and catalog status, the log, and the journal's event types with
   * counts. Never a secret (token, PINs, keys) and never card data: everything is built from an
   * allow-list of fields, not copied from the database, and every file is redacted once more.
   */
  exportDiagnostics(target: string, approval: Approval | undefined): DiagnosticsResult {
    const by = this.authorize('exportDiagnostics', approval);
    const check = checkUsbTarget(target, this.o.usbRoots);
    if (!check.ok) throw new CoreError('NOT_ALLOWED_NOW', `No diagnostics written: ${check.why}.`, { reason: 'usbTarget', detail: check.why });
    const now = this.now();
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const name = `kassa-diagnostics-${safeName(this.o.identity.storeId)}-${safeName(this.o.identity.laneId)}-${stamp}`;
    const folder = join(check.dir, name);
    const files = this.bundleFiles(now, by);
    let bytes = 0;
    try {
      mkdirSync(folder, { mode: 0o755 });
      for (const [file, content] of Object.entries(files)) {
        const text = redact(content);
        const fd = openSync(join(folder, file), 'wx', 0o644);
        try {
          writeSync(fd, text);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        bytes += Buffer.byteLength(text);
      }
    } catch (err) {
      this.o.log(`diagnostics not written to ${folder}: ${err instanceof Error ? err.message : String(err)}`);
      throw new CoreError('NOT_ALLOWED_NOW', `The diagnostics could not be written to the USB drive (${err instanceof Error ? err.message : String(err)}).`, {
        reason: 'usbWrite',
        detail: err instanceof Error ? err.message : String(err),
      });
    }
    this.o.log(`diagnostics written to ${folder} by operator ${by}`);
    this.journal('diagnostics.export', { by, folder });
    return { folder, files: Object.keys(files), bytes };
  }

  /** The bundle's files by name (allow-listed content only). */
  bundleFiles(now: Date, by: string): Record<string, string> {
    const snap = this.o.service.snapshot();
    const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
    const stats = this.o.catalog.stats();
    const id = this.identity();
    const config = this.currentConfig();
    const parsed = checkDeviceConfig(config.text);
    const journal = new JournalRepo(this.o.db);
    const kinds = journal.kindSummary();
    const recent = journal.recent(200);
    let schema: number | null = null;
    try {
      schema = schemaVersion(this.o.db);
    } catch {
      schema = null;
    }
    return {
      'README.txt': [
        `Kassa diagnostics for store ${id.storeId} (${id.storeName}), lane ${id.laneId}, written ${now.toISOString()} by operator ${by}.`,
        '',
        'versions.json        software, catalog, database schema, Node and platform',
        'identity.json        store, lane, HQ terminal id, database and device file paths, uptime',
        'devices.json         the device configuration (and any problems in it)',
        'device-status.json   every device with its live state, the printer queue and the drawer',
        'sync.json            replication to HQ and the catalog status',
        'journal-events.json  the journal\'s event types with counts, and the types of the latest events',
        'log.txt              the core\'s recent log lines',
        '',
        'Left out on purpose: the API token, PINs and PIN hashes, badges, private keys (journal signing,',
        'HQ link), and all card data (masked card numbers, authorisation codes, terminal receipts).',
        '',
      ].join('\n'),
      'versions.json': json({
        software: SOFTWARE_VERSION,
        catalog: { version: stats.version, items: stats.items, barcodes: stats.barcodes },
        databaseSchema: schema,
        node: process.version,
        electron: process.versions.electron ?? null,
        platform: process.platform,
        arch: process.arch,
      }),
      'identity.json': json({ ...id, lane: { state: snap.lane.state, mode: snap.lane.mode, training: snap.lane.training, tillOpen: snap.lane.till !== null }, exportedAt: now.toISOString(), exportedBy: by }),
      'devices.json': json({ file: this.o.devicesFile, source: config.source, config: parsed.problems.some((p) => p.code === 'json') ? config.text : JSON.parse(config.text), problems: parsed.problems }),
      'device-status.json': json({
        running: this.o.devices.describe().map((d) => ({ id: d.id, kind: d.kind, actions: d.actions })),
        list: snap.devices.list,
        printer: snap.devices.printer,
        drawer: snap.devices.drawer,
        wedge: snap.devices.wedge,
        payment: { terminalOffline: snap.payment.offline.terminalOffline, offlinePaymentsPending: snap.payment.offline.pendingCount },
      }),
      'sync.json': json({ enrolled: id.terminalId !== null, hqUrl: id.hqUrl, sync: snap.sync, catalog: snap.catalog }),
      'journal-events.json': json({ types: kinds, latest: recent }),
      'log.txt': this.o.logs.text(),
    };
  }

  /** Store IT asks the kiosk app to quit: journalled and logged with who; returns who. */
  exitKiosk(approval: Approval | undefined): string {
    const by = this.authorize('exitKiosk', approval);
    this.journal('kiosk.exit', { by });
    this.o.log(`store IT (operator ${by}) asked the kiosk app to exit`);
    return by;
  }
}
