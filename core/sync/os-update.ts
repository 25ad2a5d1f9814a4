/**
 * The core's side of OS updates (docs/design.md "OS updates"). The core runs as the unprivileged
 * user kassa and never installs anything: it tells HQ at check-in which OS it runs (/etc/kassa-release
 * on the read-only root), takes HQ's signed offer of a newer bundle (signed with the catalog key
 * pinned on this terminal), downloads the bundle into `dir` (/var/lib/kassa/os-update), checks its
 * size and SHA-256 against the signed offer and hands it to the root side: `bundle.raucb`, then the
 * `install` marker, which kassa-os-install.path watches. Root installs it with RAUC (signature
 * against the keyring baked into the OS, downgrade check) and writes `status.json`, which this
 * reads for the service screen. With the update installed, it asks root to reboot (`reboot`
 * marker) only while the till is closed: no till session open and no sale on the lane. It asks once
 * per update: `rebooted.json` says for which version and in which boot; a later boot that still runs
 * an older OS (a bundle whose root names another version) is reported, never rebooted again — a
 * loop would reboot the closed till each time the core starts, and it could never be opened.
 */
import { createHash, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignedManifestSchema } from '../../protocol/catalog';
import { ed25519PublicKey } from '../../protocol/journal-chain';
import { compareOsVersions, OsManifestSchema, osBundlePath, OsVersionSchema, type OsCheckin, type OsManifest } from '../../protocol/os-update';
import type { Snapshot } from '../../protocol/terminal';
import type { Db } from '../db';
import { signedGet, type HqLink } from './link';
import { CatalogSyncRepo } from './repo';

/** What the service screen shows (one line). */
export interface OsUpdateStatus {
  /** The OS version running. */
  running: string;
  /**
   * idle: nothing newer offered; downloading; handedOver: waiting for root to install it; installing;
   * installed: boots at the next restart (with the till closed); refused: by this core or by root
   * (detail says why; ROLLED_BACK: it was installed but did not reach "ready to sell" and the terminal went back).
   */
  state: 'idle' | 'downloading' | 'handedOver' | 'installing' | 'installed' | 'refused';
  /** The version concerned (null when idle). */
  version: string | null;
  detail: string | null;
}

/** The running OS from /etc/kassa-release (KASSA_OS_VERSION, KASSA_OS_COMPATIBLE). */
export function readOsRelease(file: string): OsCheckin {
  const text = readFileSync(file, 'utf8');
  const get = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  const version = get('KASSA_OS_VERSION');
  if (!OsVersionSchema.safeParse(version).success) throw new Error(`${file} names no OS version (KASSA_OS_VERSION)`);
  return { version, compatible: get('KASSA_OS_COMPATIBLE') || 'kassa-x86_64' };
}

/** A JSON object from a file in the handover folder, or null (missing, unreadable, not an object). */
function readJsonObject(file: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The named string fields of such a file, or null unless every one is a string. */
function stringFields<K extends string>(file: string, keys: readonly K[]): Record<K, string> | null {
  const o = readJsonObject(file);
  if (!o || !keys.every((k) => typeof o[k] === 'string')) return null;
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Record<K, string>;
}

/** The root side's status.json (image/rootfs/usr/lib/kassa/os-install). */
function rootStatus(dir: string): { state: string; version?: string; reason?: string } | null {
  const s = readJsonObject(join(dir, 'status.json'));
  if (!s || typeof s.state !== 'string') return null;
  return { state: s.state, ...(typeof s.version === 'string' ? { version: s.version } : {}), ...(typeof s.reason === 'string' ? { reason: s.reason.slice(0, 300) } : {}) };
}

export interface OsUpdaterOptions {
  /** Where the bundle is handed over (/var/lib/kassa/os-update). */
  dir: string;
  /** The running OS (from /etc/kassa-release). */
  release: OsCheckin;
  log?: (line: string) => void;
  fetchFn?: typeof fetch;
  /** The whole download may take this long (ms). */
  downloadTimeoutMs?: number;
  /** This boot's id (default: the kernel's, /proc/sys/kernel/random/boot_id): a reboot asked for in another boot has happened. */
  bootId?: () => string;
}

function kernelBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

export class OsUpdater {
  private own: { state: 'downloading' | 'refused'; version: string; detail: string | null } | null = null;
  private busy = false;
  private rebootAsked = false;
  private readonly keys: CatalogSyncRepo;

  constructor(
    db: Db,
    private readonly opts: OsUpdaterOptions,
  ) {
    this.keys = new CatalogSyncRepo(db);
  }

  /** What the check-in says about this terminal's OS. */
  checkin(): OsCheckin {
    return this.opts.release;
  }

  status(): OsUpdateStatus {
    const running = this.opts.release.version;
    if (this.own?.state === 'downloading') return { running, state: 'downloading', version: this.own.version, detail: null };
    const root = rootStatus(this.opts.dir);
    const handed = this.handed();
    if (existsSync(join(this.opts.dir, 'install'))) return { running, state: 'handedOver', version: handed?.version ?? null, detail: null };
    if (root?.state === 'installing') return { running, state: 'installing', version: handed?.version ?? null, detail: null };
    if (root?.state === 'installed' && root.version && compareOsVersions(root.version, running) > 0) {
      const asked = this.rebootedFor();
      // A boot id that cannot be read counts as another boot: never a second reboot for the same update.
      if (asked?.version === root.version && (asked.bootId !== this.bootId() || asked.bootId === 'unknown')) return { running, state: 'refused', version: root.version, detail: `NOT_RUNNING: the terminal restarted into ${root.version}, but the OS running says ${running}; it is not restarted again` };
      return { running, state: 'installed', version: root.version, detail: null };
    }
    if (this.own?.state === 'refused') return { running, state: 'refused', version: this.own.version, detail: this.own.detail };
    if (root?.state === 'refused' && handed) return { running, state: 'refused', version: handed.version, detail: root.reason ?? null };
    if (root?.state === 'rolledBack') return { running, state: 'refused', version: root.version ?? null, detail: 'ROLLED_BACK' };
    return { running, state: 'idle', version: null, detail: null };
  }

  private bootId(): string {
    return (this.opts.bootId ?? kernelBootId)();
  }

  /** The update a reboot was asked for, and in which boot (rebooted.json). */
  private rebootedFor(): { version: string; bootId: string } | null {
    return stringFields(join(this.opts.dir, 'rebooted.json'), ['version', 'bootId']);
  }

  /** What was last handed to root (version and hash). */
  private handed(): { version: string; sha256: string } | null {
    return stringFields(join(this.opts.dir, 'handed.json'), ['version', 'sha256']);
  }

  private refuse(version: string, detail: string): null {
    if (this.own?.state !== 'refused' || this.own.detail !== detail) this.opts.log?.(`os update: refused ${version}: ${detail}`);
    this.own = { state: 'refused', version, detail };
    return null;
  }

  /** Checks HQ's signed offer; returns the manifest, or null (refusal recorded). */
  private verifyOffer(signed: unknown): OsManifest | null {
    const s = SignedManifestSchema.safeParse(signed);
    if (!s.success) return this.refuse('?', 'the OS offer is not signed');
    const pinned = this.keys.pinnedKeys().find((k) => k.keyId === s.data.keyId);
    if (!pinned) return this.refuse('?', `the OS offer is signed by key ${s.data.keyId}, which this terminal does not trust`);
    if (!verify(null, Buffer.from(s.data.manifest), ed25519PublicKey(pinned.publicKey), Buffer.from(s.data.signature, 'base64url'))) return this.refuse('?', 'the OS offer\'s signature does not verify');
    let json: unknown;
    try {
      json = JSON.parse(s.data.manifest);
    } catch {
      json = null;
    }
    const m = OsManifestSchema.safeParse(json);
    if (!m.success) return this.refuse('?', 'the signed OS offer is not understood');
    if (m.data.compatible !== this.opts.release.compatible) return this.refuse(m.data.version, `the bundle is for ${m.data.compatible}, this terminal is ${this.opts.release.compatible}`);
    if (compareOsVersions(m.data.version, this.opts.release.version) <= 0) return this.refuse(m.data.version, `not newer than ${this.opts.release.version}, the OS running (no downgrades)`);
    return m.data;
  }

  /**
   * HQ's `os` from a check-in answer (null: nothing newer). A verified, newer bundle not handed over
   * yet is downloaded and handed over; one root refused (same hash) is not fetched again.
   */
  async offer(signed: unknown, link: HqLink): Promise<void> {
    if (signed === null || signed === undefined || this.busy) return;
    const m = this.verifyOffer(signed);
    if (!m) return;
    const handed = this.handed();
    const st = this.status();
    if (handed?.sha256 === m.sha256 && st.state !== 'idle') return; // handed over, installing, installed or refused by root
    if (st.state === 'installed' && st.version && compareOsVersions(st.version, m.version) >= 0) return;
    this.busy = true;
    this.own = { state: 'downloading', version: m.version, detail: null };
    try {
      await this.download(m, link);
      await writeFile(join(this.opts.dir, 'handed.json'), JSON.stringify({ version: m.version, sha256: m.sha256 }) + '\n');
      await writeFile(join(this.opts.dir, 'install'), '');
      this.own = null;
      this.opts.log?.(`os update: ${m.version} downloaded and checked (${m.size} bytes); handed to the installer`);
    } catch (err) {
      this.refuse(m.version, err instanceof Error ? err.message : String(err));
    } finally {
      this.busy = false;
    }
  }

  private async download(m: OsManifest, link: HqLink): Promise<void> {
    const part = join(this.opts.dir, 'bundle.raucb.part');
    const res = await signedGet(link, osBundlePath(m.sha256), this.opts.fetchFn, this.opts.downloadTimeoutMs ?? 3_600_000);
    const hash = createHash('sha256');
    const out = await open(part, 'w', 0o640);
    let size = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > m.size) throw new Error(`the bundle is larger than its signed offer says (${m.size} bytes)`);
        hash.update(chunk);
        await out.write(chunk);
      }
      await out.sync();
    } finally {
      await out.close();
    }
    if (size !== m.size || hash.digest('hex') !== m.sha256) {
      await rm(part, { force: true });
      throw new Error(`the bundle does not match its signed offer (${size} bytes received, ${m.size} signed): altered or cut short`);
    }
    await rename(part, join(this.opts.dir, 'bundle.raucb'));
  }

  /** With an update installed and the till closed (no till session, no sale), asks root once to reboot into it. */
  async rebootWhenClosed(tillClosed: boolean): Promise<boolean> {
    if (this.rebootAsked || !tillClosed || this.status().state !== 'installed') return false;
    this.rebootAsked = true;
    const version = this.status().version!;
    const noted = join(this.opts.dir, 'rebooted.json');
    await writeFile(`${noted}.part`, JSON.stringify({ version, bootId: this.bootId() }));
    await rename(`${noted}.part`, noted);
    await writeFile(join(this.opts.dir, 'reboot'), '');
    this.opts.log?.(`os update: the till is closed: rebooting into ${version}`);
    return true;
  }
}

/** The OS updater for the kiosk image's core; null (logged) when the running OS names no version: selling never depends on it. */
export function osUpdaterFor(db: Db, o: { release: string; dir: string }, log: (line: string) => void): OsUpdater | null {
  try {
    return new OsUpdater(db, { dir: o.dir, release: readOsRelease(o.release), log });
  } catch (err) {
    log(`os update: off (${err instanceof Error ? err.message : String(err)})`);
    return null;
  }
}

/** The till is closed: no till session open and no sale on the lane (the reboot into an update waits for this). */
export const tillClosed = (snap: Pick<Snapshot, 'lane' | 'checkout'>): boolean => snap.lane.till === null && snap.checkout === null;
