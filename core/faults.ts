/**
 * Crash points for the crash-safety tests: with KASSA_CRASH_AT=<name> in the environment the core
 * kills itself with SIGKILL when it reaches that point — the same as a power cut there. Unset (as in
 * production), this does nothing.
 */
export function crashPoint(name: string): void {
  if (process.env.KASSA_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
}
