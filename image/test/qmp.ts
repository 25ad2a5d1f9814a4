/** A minimal QMP client (QEMU's JSON machine protocol on a unix socket): commands in order, one at a time. */
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

export class Qmp {
  private waiting: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void }> = [];

  private constructor(private readonly socket: Socket) {
    const lines = createInterface({ input: socket });
    lines.on('error', () => undefined);
    lines.on('line', (line) => {
      let msg: { return?: unknown; error?: { desc: string }; event?: string; QMP?: unknown };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        return;
      }
      if (msg.event || msg.QMP) return; // events and the greeting
      const w = this.waiting.shift();
      if (!w) return;
      if (msg.error) w.reject(new Error(`QMP: ${msg.error.desc}`));
      else w.resolve(msg.return);
    });
    // QEMU going away (power-off) resets the socket: the waiting commands fail, nothing throws.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      for (const w of this.waiting.splice(0)) w.reject(new Error('QMP socket closed'));
    });
  }

  static async open(path: string): Promise<Qmp> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(path, () => resolve(s));
      s.once('error', reject);
    });
    const qmp = new Qmp(socket);
    await qmp.execute('qmp_capabilities');
    return qmp;
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
