/**
 * A real NOTIFY_SOCKET, as systemd's: a unix datagram socket the test listens on. Node cannot bind
 * one, so python3's socket module does; it prints each datagram (but systemd-notify's BARRIER=1) as a JSON line with its arrival on
 * python's monotonic clock, and closes the BARRIER=1 descriptor systemd-notify passes (as systemd
 * does), so the sender is let go at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { until } from './wait';

const LISTENER = `
import array, json, os, select, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print(json.dumps({"bound": True}), flush=True)
while True:
    r, _, _ = select.select([s, sys.stdin], [], [])
    if sys.stdin in r and not sys.stdin.buffer.read1(1):
        break
    if s in r:
        msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(16))
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds = array.array("i")
                fds.frombytes(data[: len(data) - len(data) % 4])
                for fd in fds:
                    os.close(fd)
        if msg != b"BARRIER=1":
            print(json.dumps({"at": time.monotonic(), "msg": msg.decode("utf8", "replace")}), flush=True)
`;

export interface NotifyMessage {
  /** Arrival, seconds on the listener's monotonic clock. */
  at: number;
  /** The assignments, one per line (READY=1, STATUS=…). */
  lines: string[];
}

export interface NotifyListener {
  path: string;
  messages: NotifyMessage[];
  /** Called with each message as it arrives. */
  onMessage: ((m: NotifyMessage) => void) | null;
  /** The arrivals (s) of the messages with this assignment. */
  times(assignment: string): number[];
  /** Waits for a message with this assignment (or one starting `STATUS=…`); resolves with it. */
  next(assignment: string | RegExp, ms?: number): Promise<NotifyMessage>;
  close(): void;
}

export async function listenNotify(path: string): Promise<NotifyListener> {
  const child: ChildProcess = spawn('python3', ['-c', LISTENER, path], { stdio: ['pipe', 'pipe', 'inherit'] });
  const messages: NotifyMessage[] = [];
  const has = (m: NotifyMessage, a: string | RegExp) => m.lines.some((l) => (typeof a === 'string' ? l === a : a.test(l)));
  const l: NotifyListener = {
    path,
    messages,
    onMessage: null,
    times: (a) => messages.filter((m) => has(m, a)).map((m) => m.at),
    async next(a, ms = 10_000) {
      await until(`a notify message ${String(a)}`, () => messages.some((m) => has(m, a)), ms);
      return messages.find((m) => has(m, a))!;
    },
    close: () => child.stdin?.end(),
  };
  let bound = false;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const j = JSON.parse(line) as { bound?: true; at?: number; msg?: string };
    if (j.bound) bound = true;
    else {
      const m = { at: j.at!, lines: j.msg!.split('\n').filter(Boolean) };
      messages.push(m);
      l.onMessage?.(m);
    }
  });
  await until('the notify socket', () => bound && existsSync(path), 10_000);
  return l;
}
