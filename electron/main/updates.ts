/**
 * Software updates from HQ (electron-updater, generic provider: HQ serves latest-linux.yml, the
 * artifacts and their release statements). electron-updater only downloads: it never installs on
 * its own (no install-on-quit flag, ever). A download is verified (release-signature.ts
 * `decideUpdate`: a baked release key, this file, this channel, newer than what runs, not expired)
 * or deleted with the reason logged. Installing is an explicit act when the kiosk shuts down
 * (store IT's exit or a restart, never during a sale): `installNow` installs only the file that
 * verified, and only if it is still byte for byte that file.
 */
import { autoUpdater } from 'electron-updater';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Clock } from '../../core/clock';
import { decideUpdate, sha512File, stillVerified, trustedKeys, type ReleaseStatement } from './release-signature';

export interface Updates {
  stop(): void;
  /** Installs the verified update now (the app quits and restarts into it); false when there is none, or the file changed since. */
  installNow(): Promise<boolean>;
}

export function startUpdates(log: (line: string) => void, running: { version: string; channel: string }, now: Clock, everyMs = 6 * 3600_000): Updates {
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.logger = null;
  let verified: { file: string; statement: ReleaseStatement } | null = null;
  autoUpdater.on('error', (err: Error) => log(`update: ${err.message}`));
  autoUpdater.on('update-downloaded', (info: { version: string; downloadedFile: string }) => {
    void (async () => {
      verified = null; // a new download replaces whatever verified before
      const statementText = await fetchStatement(info.downloadedFile).catch((err: unknown) => {
        log(`update ${info.version}: its release statement could not be fetched (${err instanceof Error ? err.message : String(err)})`);
        return '';
      });
      const decision = decideUpdate({ fileName: basename(info.downloadedFile), fileSha512: await sha512File(info.downloadedFile), statementText, running, keys: trustedKeys(), now: now() });
      if (!decision.install) {
        log(`update ${info.version} refused: ${decision.reason}`);
        await rm(info.downloadedFile, { force: true }).catch((err: unknown) => log(`update ${info.version}: the refused file could not be deleted (${String(err)}); it will not be installed`));
        return;
      }
      verified = { file: info.downloadedFile, statement: decision.statement };
      log(`update ${decision.statement.version} verified; it installs when the kiosk next restarts`);
    })();
  });
  const check = () => void autoUpdater.checkForUpdates().catch((err: unknown) => log(`update check: ${err instanceof Error ? err.message : String(err)}`));
  check();
  const timer = setInterval(check, everyMs);
  return {
    stop: () => clearInterval(timer),
    async installNow() {
      const v = verified;
      if (!v) return false;
      if (!(await stillVerified(v.file, v.statement))) {
        log(`update ${v.statement.version} not installed: the file changed after it was verified`);
        verified = null;
        return false;
      }
      log(`installing update ${v.statement.version}`);
      autoUpdater.quitAndInstall(true, true);
      return true;
    },
  };
}

async function fetchStatement(downloadedFile: string): Promise<string> {
  const feed = autoUpdater.getFeedURL();
  if (!feed) throw new Error('no update feed configured');
  const res = await fetch(new URL(`${basename(downloadedFile)}.sig`, feed.endsWith('/') ? feed : `${feed}/`), { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`HQ answered ${res.status}`);
  return res.text();
}
