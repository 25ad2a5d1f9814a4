/**
 * The core and the Electron processes: the lines the core prints on stdout for its supervisor, what
 * the main process tells the window about the core, and how the window finds the Terminal API.
 */
import { z } from 'zod';

/** What the Electron preload hands to the renderer, and what browser mode puts in the URL hash. */
export const ConnectionInfoSchema = z.object({
  url: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d{1,5}\/api$/),
  token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>;

/** The line the core prints on stdout when it is ready to sell; supervisors parse it. */
export const CoreReadySchema = z.object({
  kassa: z.literal('ready'),
  port: z.number().int(),
  token: z.string(),
  pid: z.number().int(),
  /** The attendant listener's port (self-checkout), when it runs. */
  attendantPort: z.number().int().optional(),
  /** The store-peer listener's port, when it runs (--peer-listen). */
  peerPort: z.number().int().optional(),
});
export type CoreReady = z.infer<typeof CoreReadySchema>;

/** The line the core prints on stdout when store IT (IT PIN verified by the core) asks the kiosk app to exit. */
export const CoreExitRequestSchema = z.object({ kassa: z.literal('exit'), operator: z.string() });
export type CoreExitRequest = z.infer<typeof CoreExitRequestSchema>;

/** The exit status of a kiosk that store IT closed (IT PIN) — the Electron app's, or the core's under --exit-on-kiosk-exit: the systemd unit does not restart it. */
export const EXIT_BY_STORE_IT = 64;

/** What the Electron main process tells the window about the core it supervises (restart with backoff). */
export const CoreStateSchema = z.object({
  state: z.enum(['starting', 'ready', 'restarting', 'failed']),
  /** Restarts since the last time the core stayed up. */
  attempt: z.number().int().min(0),
  /** When restarting: milliseconds until the next start. */
  retryInMs: z.number().int().min(0).nullable(),
});
export type CoreState = z.infer<typeof CoreStateSchema>;
