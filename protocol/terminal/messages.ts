/** What the core sends a UI: the welcome, snapshots, acknowledgements (with their results) and typed errors. */
import { z } from 'zod';
import { ERROR_CODES } from './errors';
import { AckResultSchema } from './results';
import { SnapshotSchema } from './snapshot';

export const PROTOCOL_VERSION = 1;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  /** `now`: the core's clock when the message was sent (screens show the core's time, not the browser's). */
  z.object({ type: z.literal('welcome'), protocol: z.number().int(), now: z.string(), snapshot: SnapshotSchema }),
  z.object({ type: z.literal('snapshot'), now: z.string(), snapshot: SnapshotSchema }),
  z.object({
    type: z.literal('ack'),
    id: z.string(),
    version: z.number().int(),
    result: AckResultSchema.optional(),
  }),
  z.object({
    type: z.literal('error'),
    id: z.string().nullable(),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ErrorMessage = Extract<ServerMessage, { type: 'error' }>;
