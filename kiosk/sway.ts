/**
 * sway's IPC (the i3 protocol) over its unix socket ($SWAYSOCK): "i3-ipc", payload length and
 * message type (32-bit, little-endian), then JSON. Requests are answered in order on one
 * connection; events come on a connection of their own, subscribed once.
 */
import { connect, type Socket } from 'node:net';

const MAGIC = Buffer.from('i3-ipc', 'latin1');
const HEADER = MAGIC.length + 8;
export const IPC = { command: 0, subscribe: 2, outputs: 3, tree: 4 } as const;
const EVENT = 0x80000000;

/** A view (window) in sway's tree, with the output it is on. */
export interface View {
  id: number;
  pid: number | null;
  appId: string | null;
  title: string;
  output: string;
  /** 1: full screen on its workspace (its output). */
  fullscreen: number;
  focused: boolean;
  visible: boolean;
}

interface TreeNode {
  id: number;
  type: string;
  name: string | null;
  pid?: number;
  app_id?: string | null;
  fullscreen_mode?: number;
  focused?: boolean;
  visible?: boolean;
  nodes?: TreeNode[];
  floating_nodes?: TreeNode[];
}

/** Every view in a get_tree answer, with its output (the scratchpad's __i3 left out). */
export function viewsOf(tree: unknown): View[] {
  const views: View[] = [];
  const walk = (n: TreeNode, output: string) => {
    const on = n.type === 'output' ? (n.name ?? '') : output;
    if ((n.type === 'con' || n.type === 'floating_con') && n.pid !== undefined && on !== '__i3') {
      views.push({ id: n.id, pid: n.pid ?? null, appId: n.app_id ?? null, title: n.name ?? '', output: on, fullscreen: n.fullscreen_mode ?? 0, focused: n.focused === true, visible: n.visible === true });
    }
    for (const c of [...(n.nodes ?? []), ...(n.floating_nodes ?? [])]) walk(c, on);
  };
  walk(tree as TreeNode, '');
  return views;
}

function frame(type: number, payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const head = Buffer.alloc(HEADER);
  MAGIC.copy(head);
  head.writeUInt32LE(body.length, MAGIC.length);
  head.writeUInt32LE(type, MAGIC.length + 4);
  return Buffer.concat([head, body]);
}

/** Splits the stream into messages: calls `each` with type and parsed payload. */
function reader(socket: Socket, each: (type: number, payload: unknown) => void): void {
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= HEADER) {
      if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('sway IPC: bad magic');
      const len = buf.readUInt32LE(MAGIC.length);
      if (buf.length < HEADER + len) return;
      const type = buf.readUInt32LE(MAGIC.length + 4);
      const body = buf.subarray(HEADER, HEADER + len).toString('utf8');
      buf = buf.subarray(HEADER + len);
      each(type, JSON.parse(body));
    }
  });
}

export class Sway {
  private readonly waiting: Array<(v: unknown) => void> = [];
  private constructor(private readonly socket: Socket) {
    reader(socket, (type, payload) => {
      if (!(type & EVENT)) this.waiting.shift()?.(payload);
    });
  }

  static open(path: string): Promise<Sway> {
    return new Promise((res, rej) => {
      const s = connect(path, () => res(new Sway(s)));
      s.once('error', rej);
    });
  }

  request(type: number, payload = ''): Promise<unknown> {
    return new Promise((res, rej) => {
      if (this.socket.destroyed) return rej(new Error('sway IPC closed'));
      this.waiting.push(res);
      this.socket.write(frame(type, payload));
    });
  }

  /** Runs sway commands; throws with sway's error when one fails. */
  async command(cmd: string): Promise<void> {
    const results = (await this.request(IPC.command, cmd)) as Array<{ success: boolean; error?: string }>;
    const failed = results.find((r) => !r.success);
    if (failed) throw new Error(`sway: ${cmd}: ${failed.error ?? 'failed'}`);
  }

  async outputs<O>(): Promise<O[]> {
    return (await this.request(IPC.outputs)) as O[];
  }

  async views(): Promise<View[]> {
    return viewsOf(await this.request(IPC.tree));
  }

  onClose(f: () => void): void {
    this.socket.once('close', f);
  }

  close(): void {
    this.socket.destroy();
  }

  /** A second connection, subscribed to these events: `each` gets the event's type name and payload. */
  static async subscribe(path: string, events: string[], each: (event: string, payload: unknown) => void): Promise<{ close(): void; onClose(f: () => void): void }> {
    const names: Record<number, string> = { 0: 'workspace', 1: 'output', 3: 'window', 6: 'shutdown' };
    const s = await new Promise<Socket>((res, rej) => {
      const c = connect(path, () => res(c));
      c.once('error', rej);
    });
    const ok = new Promise<void>((res, rej) => {
      let first = true;
      reader(s, (type, payload) => {
        if (first && !(type & EVENT)) {
          first = false;
          return (payload as { success: boolean }).success ? res() : rej(new Error(`sway: cannot subscribe to ${events.join(', ')}`));
        }
        if (type & EVENT) each(names[type & ~EVENT & 0xff] ?? String(type & ~EVENT), payload);
      });
    });
    s.write(frame(IPC.subscribe, JSON.stringify(events)));
    await ok;
    return { close: () => s.destroy(), onClose: (f) => void s.once('close', f) };
  }
}
