/** The Node flags every process running the core starts with (protocol/core-node-flags.json says why). */
import spec from './core-node-flags.json';

export const CORE_NODE_FLAGS: readonly string[] = spec.flags;
