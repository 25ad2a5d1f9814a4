/**
 * Command-line values that may start with a dash. Enrollment tokens and catalog keys are base64url
 * and start with `-` about once in 64 (`-UNAV…`); node:util's parseArgs reads `--token -UNAV…` as a
 * missing value ("argument is ambiguous"). This attaches each value to its option (`--token=-UNAV…`)
 * before parsing, so both the documented `--token=<t>` and `--token <t>` always work. An option
 * followed by another of the command's own options is left as it is (parseArgs then says the value
 * is missing).
 */
export function attachOptionValues(argv: readonly string[], options: Readonly<Record<string, { type: 'string' | 'boolean' }>>): string[] {
  const takesValue = new Set(Object.entries(options).filter(([, o]) => o.type === 'string').map(([name]) => `--${name}`));
  const isOwnOption = (a: string) => a.startsWith('--') && Object.prototype.hasOwnProperty.call(options, a.slice(2).split('=')[0]!);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (takesValue.has(arg) && next !== undefined && !isOwnOption(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** A listener's HOST:PORT (an IPv6 host in brackets); port 0 picks one. */
export function hostPort(flag: string, value: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) throw new Error(`${flag} must be HOST:PORT, got "${value}"`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}
