/** What the lane's thread and a TSE's own thread say to each other (./thread.ts, ./device-thread.ts). */
import { z } from 'zod';
import type { FiskalyOptions } from './fiskaly';
import type { TseCall, TseExportFilter } from './port';

/** The TSE the thread runs: the simulator in its file, or a fiskaly client (its open transactions in `stateFile`). */
export type TseDevice =
  | { kind: 'simulator'; file: string }
  | { kind: 'fiskaly'; stateFile: string; fiskaly: Pick<FiskalyOptions, 'baseUrl' | 'apiKey' | 'apiSecret' | 'tssId' | 'clients' | 'timeoutMs' | 'exportPollMs'> };

export type TseThreadRequest = { id: number; at: number } & (
  | TseCall
  | { op: 'info' | 'ping' | 'unplug' | 'plugIn' }
  | { op: 'register' | 'open'; clientId: string }
  | { op: 'export'; filter: TseExportFilter }
);

export type TseThreadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; code: string | null; message: string };

export const TseThreadReplySchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), code: z.string().nullable(), message: z.string() }),
]);

export const TseLogResultSchema = z.object({
  operation: z.enum(['StartTransaction', 'UpdateTransaction', 'FinishTransaction']),
  clientId: z.string(),
  transactionNumber: z.number().int().positive(),
  signatureCounter: z.number().int().positive(),
  logTime: z.string(),
  signature: z.string(),
  serialNumber: z.string(),
  processType: z.string(),
  processData: z.string(),
});

export const TseInfoSchema = z.object({
  serialNumber: z.string(),
  publicKey: z.string(),
  signatureAlgorithm: z.literal('ecdsa-plain-SHA256'),
  logTimeFormat: z.literal('unixTime'),
  commissionedAt: z.string().optional(),
  certificate: z.string().nullable().optional(),
});
