/**
 * An Epson DM-D pole display on a serial port: shows two lines, writing only when they change.
 * When the display comes back after being unplugged it is initialised and shown the current lines.
 */
import { EventEmitter } from 'node:events';
import type { DeviceDriver, DriverState, DriverStateChange } from '../contract';
import { SerialLink } from '../serial/link';
import { INIT, SELECT_CP858, twoLines } from './dmd';

export class PoleDisplay extends EventEmitter<{ state: [DriverStateChange]; warning: [string] }> implements DeviceDriver {
  private readonly link: SerialLink;
  private wanted: [string, string] = ['', ''];
  private shown: string | null = null;

  constructor(path: string, baudRate = 9600) {
    super();
    this.link = new SerialLink({ path, baudRate });
    this.link.on('warning', (w) => this.emit('warning', w));
    this.link.on('state', (state, reason) => {
      this.shown = null;
      if (state === 'online') this.refresh();
      this.emit('state', { state, reason });
    });
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

  show(top: string, bottom: string): void {
    this.wanted = [top, bottom];
    this.refresh();
  }

  private refresh(): void {
    const [top, bottom] = this.wanted;
    const key = `${top}\n${bottom}`;
    if (key === this.shown || this.link.state !== 'online') return;
    const init = this.shown === null ? [...INIT, ...SELECT_CP858] : [];
    if (this.link.write([...init, ...twoLines(top, bottom)])) this.shown = key;
  }

  async stop(): Promise<void> {
    await this.link.stop();
  }
}
