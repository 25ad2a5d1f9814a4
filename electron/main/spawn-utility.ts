/** Starts the core as an Electron utility process (packaged app: native modules built for Electron). */
import { utilityProcess } from 'electron';
import { CORE_NODE_FLAGS } from '../../protocol/core-node-flags';
import type { SpawnCore } from './supervisor';

export const spawnUtilityProcess: SpawnCore = (path, args, env) => {
  const child = utilityProcess.fork(path, [...args], { stdio: 'pipe', env, serviceName: 'Kassa core', execArgv: [...CORE_NODE_FLAGS] });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    // utilityProcess.kill() sends SIGTERM on POSIX and makes sure the process is reaped.
    kill: () => {
      child.kill();
    },
    onExit: (listener) => {
      child.once('exit', (code) => listener(code, null));
    },
  };
};
