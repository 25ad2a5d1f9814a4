/**
 * Software updates from HQ (electron-updater, generic provider: HQ serves latest-linux.yml and the
 * artifacts). A downloaded update is installed only after its Ed25519 signature by the release key
 * verifies (release-signature.ts); otherwise it is deleted and the refusal logged. A verified update
 * installs when the kiosk next quits (store IT's exit or a restart), never in the middle of a sale.
 */
import { autoUpdater } from 'electron-updater';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { verifyRelease } from './release-signature';

export function startUpdates(log: (line: string) => void, everyMs = 6 * 3600_000): () => void {
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.logger = null;
  autoUpdater.on('error', (err: Error) => log(`update: ${err.message}`));
  autoUpdater.on('update-downloaded', (info: { version: string; downloadedFile: string }) => {
    void (async () => {
      const feed = autoUpdater.getFeedURL();
      let signature = '';
      try {
        if (!feed) throw new Error('no update feed configured');
        const res = await fetch(new URL(`${basename(info.downloadedFile)}.sig`, feed.endsWith('/') ? feed : `${feed}/`), { signal: AbortSignal.timeout(30_000) });
        if (res.ok) signature = await res.text();
      } catch (err) {
        log(`update ${info.version}: its signature could not be fetched (${err instanceof Error ? err.message : String(err)})`);
      }
      const check = await verifyRelease(info.downloadedFile, signature);
      if (!check.ok) {
        log(`update ${info.version} refused: ${check.reason}`);
        await rm(info.downloadedFile, { force: true });
        return;
      }
      autoUpdater.autoInstallOnAppQuit = true;
      log(`update ${info.version} verified; it installs when the kiosk next restarts`);
    })();
  });
  const check = () => void autoUpdater.checkForUpdates().catch((err: unknown) => log(`update check: ${err instanceof Error ? err.message : String(err)}`));
  check();
  const timer = setInterval(check, everyMs);
  return () => clearInterval(timer);
}
