/**
 * Starts a worker thread on one of the core's own modules: the bundle's (dist/core/<bundle>.js,
 * beside dist/core/main.js, scripts/build.mjs) or, run from source (tests, tsx), the .ts file
 * through tsx, as the process itself was loaded. `caller` is the import.meta.url of the module that
 * starts it; `source` the worker's .ts file relative to it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker, type TransferListItem } from 'node:worker_threads';

const BOOT = `
const { workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
(workerData.tsx ? import(pathToFileURL(workerData.tsx).href).then((tsx) => tsx.register()) : Promise.resolve()).then(() => import(workerData.entry));
`;

export function startModuleWorker(caller: string, source: string, bundle: string, workerData: Record<string, unknown>, transferList: TransferListItem[] = []): Worker {
  const fromSource = caller.endsWith('.ts');
  const entry = fromSource ? new URL(source, caller).href : new URL(`./${bundle}.js`, caller).href;
  const tsx = fromSource ? join(dirname(createRequire(caller).resolve('tsx/package.json')), 'dist/esm/api/index.mjs') : null;
  return new Worker(BOOT, { eval: true, workerData: { ...workerData, entry, tsx }, transferList });
}
