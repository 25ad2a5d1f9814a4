// Bundles the Node-side programs with esbuild. The renderer is built by Vite (vite.config.ts).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: { 'core/main': 'core/main.ts', 'core/peer-batch-worker': 'core/peers/batch-worker.ts', 'core/tse-device-thread': 'core/fiscal/tse/device-thread.ts', 'core/provision': 'core/provision.ts', 'hq/main': 'hq/main.ts', 'hq/publish': 'hq/publish.ts', 'hq/publish-os': 'hq/publish-os.ts', 'hq/staff-cli': 'hq/staff-cli.ts', 'hq/legal-cli': 'hq/legal-cli.ts', 'core/dsfinvk': 'core/fiscal/dsfinvk/cli.ts', 'core/demo-day': 'core/demo-day/cli.ts', 'core/kassenmeldung': 'core/fiscal/tse/kassenmeldung-cli.ts', 'core/tse': 'core/fiscal/tse/cloud-cli.ts', 'kiosk/session': 'kiosk/session.ts' },
  outdir: 'dist',
  format: 'esm',
  // node_modules stay external: native better-sqlite3 must be loaded from node_modules.
  packages: 'external',
});

// Electron: the main process (electron/main/) and the preload (electron/preload/), bundled to
// dist/electron/main.js (package.json's `main`) and dist/electron/preload.cjs (electron/main/window.ts).
if (existsSync('electron/main/main.ts')) {
  await build({
    ...common,
    entryPoints: { 'electron/main': 'electron/main/main.ts' },
    outdir: 'dist',
    format: 'esm',
    external: ['electron'],
    packages: 'external',
  });
  // The sandboxed preload may only require('electron'): bundle everything else (zod) in.
  await build({
    ...common,
    entryPoints: { 'electron/preload': 'electron/preload/preload.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    platform: 'node',
    external: ['electron'],
  });
}
