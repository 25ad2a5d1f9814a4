/**
 * The one contract every device driver keeps (printer, scanners, scales, display, drawer, cash
 * unit, payment terminal link): it starts and stops asynchronously, says whether it can reach its
 * device now and why not, and tells each change of that as a `state` event `{ state, reason }`.
 * A device that is not there is retried by the driver itself with common/backoff.ts; start()
 * resolves after the first attempt whether or not the device answered, and never rejects because
 * the device is missing. What a driver reports beyond reachability (a printer's paper, a cash
 * unit's faults) comes as events of its own.
 */
export type DriverState = 'online' | 'offline';

export interface DriverStateChange {
  state: DriverState;
  /** Why, in words for store IT's log ("connected", "ENOENT: no such file…"). */
  reason: string;
}

export interface DeviceDriver {
  readonly state: DriverState;
  readonly reason: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  on(event: 'state', listener: (change: DriverStateChange) => void): this;
  off(event: 'state', listener: (change: DriverStateChange) => void): this;
}
