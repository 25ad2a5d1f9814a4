// `npm run test:anyday`: the browser suite again under libfaketime (Debian's faketime), the
// machine's clock set to days and hours a day-bound rule could trip on, so a test that leans on
// today's date fails here on any day, not only on the day it would. .ci/run runs it after `npm test`.
//   Saturday noon, UTC                       (inside "bread −20 % Fri–Sat 08–21")
//   Monday 23:59 in a UTC+14 zone (Kiritimati) (a day ahead of UTC; a minute before midnight)
// faketime's plain form sets one offset (FAKETIME=+N) that every child shares — vitest's workers,
// start.mjs, the core, Chromium — and the clock runs on from there. Monotonic time is faked with it:
// Chromium hangs when only the wall clock is faked (FAKETIME_DONT_FAKE_MONOTONIC=1).
import { spawnSync } from 'node:child_process';

const runs = [
  { label: 'Saturday 12:00 UTC', at: '2026-12-05 12:00:00', tz: 'UTC' },
  { label: 'Monday 23:59 UTC+14 (Pacific/Kiritimati)', at: '2026-12-07 23:59:00', tz: 'Pacific/Kiritimati' },
];
const files = process.argv.slice(2).length ? process.argv.slice(2) : ['test/e2e'];

if (spawnSync('faketime', ['2026-12-05 12:00:00', 'true']).status !== 0) {
  console.error('test:anyday needs faketime (apt-get install faketime; .ci/run installs it)');
  process.exit(2);
}
let failed = 0;
for (const r of runs) {
  console.log(`\n== browser suite at ${r.label} ==`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FAKETIME') && k !== 'LD_PRELOAD'));
  const res = spawnSync('faketime', [r.at, process.execPath, 'node_modules/vitest/vitest.mjs', 'run', ...files], { stdio: 'inherit', env: { ...env, TZ: r.tz } });
  if (res.status !== 0) {
    console.error(`== failed at ${r.label} ==`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
