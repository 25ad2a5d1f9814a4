/** Secrets store IT types for a command (a PIN): never taken from the command line, where the shell's history keeps them. */
import { createInterface } from 'node:readline';

/** One line from standard input; at a terminal, asked for without echoing what is typed. */
export async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const rl = createInterface({ input: stdin });
    for await (const line of rl) {
      rl.close();
      return line.trim();
    }
    return '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let pin = '';
  try {
    for await (const chunk of stdin) {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return pin;
        if (ch === '\u0003') throw new Error('cancelled');
        if (ch === '\u007f') pin = pin.slice(0, -1);
        else pin += ch;
      }
    }
    return pin;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}
