/**
 * A printer device file (the Linux USB printer class driver's /dev/usb/lp*) as a byte stream with
 * the same events as a socket: connect, data, close. Opened non-blocking; status bytes the printer
 * sends back are read by polling (a USB printer answers DLE EOT through the same file). A file that
 * disappears (printer unplugged) or fails to read/write closes the stream, so the printer driver
 * reconnects exactly as it does for a dropped TCP connection.
 */
import { EventEmitter } from 'node:events';
import { closeSync, constants, open, readSync, write } from 'node:fs';
import { deviceId } from '../serial/link';

export class DeviceFileStream extends EventEmitter<{ connect: []; data: [Buffer]; error: [Error]; close: [] }> {
  private fd: number | null = null;
  private readTimer: NodeJS.Timeout | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private identity: string | null = null;
  private writing: Promise<void> = Promise.resolve();
  destroyed = false;
  private readonly buf = Buffer.alloc(4096);

  constructor(
    readonly path: string,
    private readonly pollMs = 10,
  ) {
    super();
  }

  connect(): void {
    open(this.path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY, (err, fd) => {
      if (err) {
        this.emit('error', err);
        this.destroy();
        return;
      }
      if (this.destroyed) {
        closeSync(fd);
        return;
      }
      this.fd = fd;
      this.identity = deviceId(this.path);
      this.readTimer = setInterval(() => this.drain(), this.pollMs);
      this.watchTimer = setInterval(() => {
        if (deviceId(this.path) !== this.identity) this.fail(new Error(`${this.path} is gone (unplugged)`));
      }, 250);
      this.emit('connect');
    });
  }

  private drain(): void {
    if (this.fd === null) return;
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') return;
        this.fail(err as Error);
        return;
      }
      if (n <= 0) return;
      this.emit('data', Buffer.from(this.buf.subarray(0, n)));
    }
  }

  private fail(err: Error): void {
    if (this.destroyed) return;
    this.emit('error', err);
    this.destroy();
  }

  /** Queues bytes; the callback gets an error if the device goes away before they are written. */
  write(bytes: Uint8Array, cb?: (err?: Error | null) => void): boolean {
    this.writing = this.writing.then(() => this.writeAll(Buffer.from(bytes)).then(() => cb?.(), (err: Error) => cb?.(err)));
    return true;
  }

  private async writeAll(b: Buffer): Promise<void> {
    let off = 0;
    while (off < b.length) {
      const fd = this.fd;
      if (fd === null) throw new Error(`${this.path} is not open`);
      try {
        off += await new Promise<number>((res, rej) => write(fd, b, off, b.length - off, null, (err, n) => (err ? rej(err) : res(n))));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') {
          this.fail(err as Error);
          throw err;
        }
        await new Promise((r) => setTimeout(r, this.pollMs)); // the printer's buffer is full
      }
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.readTimer) clearInterval(this.readTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already gone
      }
      this.fd = null;
    }
    setImmediate(() => this.emit('close'));
  }
}
