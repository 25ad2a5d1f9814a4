/**
 * The PTY pairs behind the simulated serial devices need socat. Without it (a machine set up by
 * hand, a trimmed image) opening a pair is refused with what to install — never an unhandled
 * 'error' event that ends the core (the device manager then starts the lane without that device).
 */
import { afterEach, expect, it } from 'vitest';
import { openPtyPair } from '../../drivers/serial/pty';

const PATH = process.env.PATH;
afterEach(() => {
  process.env.PATH = PATH;
});

it('says socat is missing, and the process goes on', async () => {
  process.env.PATH = '/nonexistent';
  await expect(openPtyPair({ timeoutMs: 2_000 })).rejects.toThrow(/^socat is needed for serial simulation \(apt-get install socat\): spawn socat ENOENT/);
  process.env.PATH = PATH;
  // With socat there, a pair opens as before.
  const pair = await openPtyPair();
  expect(pair.host).toMatch(/host$/);
  await pair.close();
});
