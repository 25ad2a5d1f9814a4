/**
 * A cash drawer on its own serial line (drawers with a serial interface open when they receive
 * their trigger byte, by default BEL 0x07). Their open/closed sensor is wired to a modem status
 * line, which this driver does not read (a PTY has none); drawer status comes from the printer
 * sensor when the drawer hangs off the printer instead.
 */
import { EventEmitter } from 'node:events';
import type { DeviceDriver, DriverState, DriverStateChange } from '../contract';
import { SerialLink } from '../serial/link';

export const DEFAULT_OPEN_COMMAND = [0x07];

export class SerialDrawer extends EventEmitter<{ state: [DriverStateChange]; warning: [string] }> implements DeviceDriver {
  private readonly link: SerialLink;
  constructor(
    path: string,
    private readonly openCommand: readonly number[] = DEFAULT_OPEN_COMMAND,
    baudRate = 9600,
  ) {
    super();
    this.link = new SerialLink({ path, baudRate });
    this.link.on('state', (state, reason) => this.emit('state', { state, reason }));
    this.link.on('warning', (w) => this.emit('warning', w));
  }
  get state(): DriverState {
    return this.link.state;
  }
  get reason(): string {
    return this.link.reason;
  }
  async start(): Promise<void> {
    await this.link.start();
  }
  /** Sends the trigger; false if the line is down. */
  open(): boolean {
    return this.link.write(this.openCommand);
  }
  async stop(): Promise<void> {
    await this.link.stop();
  }
}
