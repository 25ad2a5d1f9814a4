/**
 * The TSE port (technische Sicherheitseinrichtung, KassenSichV §2): the shape of BSI TR-03151's
 * SE API as a till uses it. A transaction is started, may be updated, and is finished; the TSE —
 * never the till — sets the transaction number, the signature counter, the log time and its own
 * serial number, and every call leaves a signed transaction log message (TR-03151 / TR-03153) in
 * the TSE, exported as a TAR archive.
 *
 * Implementations: the simulator (./simulator.ts), which signs real TR-03151 log messages with a
 * P-256 key, on the lane's thread or on a thread of its own (./thread.ts, which can also be asked
 * without waiting: QueuedTsePort). The port is synchronous: the till signs a sale inside the
 * transaction that commits it (core/checkout/complete.ts), and a local TSE answers in a few
 * milliseconds (its file's fsync). A cloud TSE
 * (fiskaly SIGN DE) needs an asynchronous path before that commit; see docs/design.md.
 */

/** What a TSE is: the fields a receipt, a QR code and the Kassenmeldung name. */
export interface TseInfo {
  /** SHA-256 of the public key, hex (TR-03151: the serial number of the TSE's key). */
  serialNumber: string;
  /** The public key as an uncompressed point (0x04 ‖ X ‖ Y), base64 — as the DSFinV-K QR code carries it. */
  publicKey: string;
  /** As DSFinV-K names it: 'ecdsa-plain-SHA256'. */
  signatureAlgorithm: 'ecdsa-plain-SHA256';
  /** How the TSE writes log times (DSFinV-K's `log_time_format`). */
  logTimeFormat: 'unixTime';
  /** When the TSE was put into service (its key made), for the Kassenmeldung; absent when the TSE does not say. */
  commissionedAt?: string;
  /** Its BSI certificate (PEM) where it has one; the simulator has none. */
  certificate?: string | null;
}

export type TseOperation = 'StartTransaction' | 'UpdateTransaction' | 'FinishTransaction';

/** One signed transaction log message, as the TSE answered a call. */
export interface TseLogResult {
  operation: TseOperation;
  clientId: string;
  transactionNumber: number;
  signatureCounter: number;
  /** The log time the TSE set (ISO 8601, UTC, whole seconds: the TSE logs unix seconds). */
  logTime: string;
  /** The plain signature r ‖ s, base64. */
  signature: string;
  serialNumber: string;
  processType: string;
  /** The process data the log message carries (UTF-8 text). */
  processData: string;
}

/** The receipt's view of a finished transaction: start and finish together. */
export interface TseTransaction {
  clientId: string;
  transactionNumber: number;
  /** The finish message's signature counter and signature (they are what the QR code carries). */
  signatureCounter: number;
  signature: string;
  startTime: string;
  endTime: string;
  processType: string;
  processData: string;
  serialNumber: string;
  publicKey: string;
  signatureAlgorithm: TseInfo['signatureAlgorithm'];
  logTimeFormat: TseInfo['logTimeFormat'];
}

export type TseErrorCode =
  /** The TSE does not answer (unplugged, broken, unreachable): the till sells on and records an outage. */
  | 'TSE_UNAVAILABLE'
  /** The client (the till's serial) is not registered with this TSE. */
  | 'TSE_CLIENT_NOT_REGISTERED'
  /** No open transaction of that number for that client. */
  | 'TSE_NO_SUCH_TRANSACTION'
  /** Input the TSE refuses (a client id that is no PrintableString, an empty process type). */
  | 'TSE_BAD_INPUT';

export class TseError extends Error {
  constructor(
    readonly code: TseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TseError';
  }
}

export interface TseExportFilter {
  clientId?: string;
  /** Transaction numbers, inclusive. */
  fromTransaction?: number;
  toTransaction?: number;
}

export interface TsePort {
  info(): TseInfo;
  startTransaction(clientId: string, processData: string, processType: string): TseLogResult;
  updateTransaction(clientId: string, transactionNumber: number, processData: string, processType: string): TseLogResult;
  finishTransaction(clientId: string, transactionNumber: number, processData: string, processType: string): TseLogResult;
  /** The TAR archive of log messages (TR-03153 file names), with the TSE's public key. */
  exportTar(filter?: TseExportFilter): Buffer;
  /** TR-03151 getOpenTransactions: the client's transactions started and not finished, where the TSE says. */
  openTransactions?(clientId: string): number[];
}

/** A transaction call, as a till may ask it without waiting for the answer (`askTse`). */
export type TseCall =
  | { op: 'start'; clientId: string; processData: string; processType: string }
  | { op: 'update' | 'finish'; clientId: string; transactionNumber: number; processData: string; processType: string };

/** An answer to a call asked without waiting. */
export type TseDone = (err: Error | null, r?: TseLogResult) => void;

/**
 * A TSE that can also be asked without waiting: the simulator on a thread of its own
 * (./thread.ts) signs and writes while the lane goes on. `settle` delivers every answer to what was
 * asked before it, there and then (waiting for the TSE to give them).
 */
export interface QueuedTsePort extends TsePort {
  later(call: TseCall, done: TseDone): void;
  settle(): void;
}

function isQueued(port: TsePort): port is QueuedTsePort {
  return 'later' in port && typeof port.later === 'function';
}

/** Asks a call of any TSE: without waiting where it can be (`done` on the event loop), else there and then. */
export function askTse(port: TsePort, call: TseCall, done: TseDone): void {
  if (isQueued(port)) return port.later(call, done);
  let r: TseLogResult;
  try {
    if (call.op === 'start') r = port.startTransaction(call.clientId, call.processData, call.processType);
    else if (call.op === 'update') r = port.updateTransaction(call.clientId, call.transactionNumber, call.processData, call.processType);
    else r = port.finishTransaction(call.clientId, call.transactionNumber, call.processData, call.processType);
  } catch (err) {
    return done(err instanceof Error ? err : new Error(String(err)));
  }
  done(null, r);
}

/** Every answer to a call asked before, delivered now (a TSE that answers there and then has none pending). */
export function settleTse(port: TsePort): void {
  if (isQueued(port)) port.settle();
}

/** DSFinV-K's process type of a receipt. */
export const PROCESS_TYPE_RECEIPT = 'Kassenbeleg-V1';

/** Start and finish of one transaction as the receipt prints them. */
export function tseTransaction(info: TseInfo, start: Pick<TseLogResult, 'logTime'>, finish: TseLogResult): TseTransaction {
  return {
    clientId: finish.clientId,
    transactionNumber: finish.transactionNumber,
    signatureCounter: finish.signatureCounter,
    signature: finish.signature,
    startTime: start.logTime,
    endTime: finish.logTime,
    processType: finish.processType,
    processData: finish.processData,
    serialNumber: info.serialNumber,
    publicKey: info.publicKey,
    signatureAlgorithm: info.signatureAlgorithm,
    logTimeFormat: info.logTimeFormat,
  };
}

/**
 * The same port answered over a network (a cloud TSE: core/fiscal/tse/fiskaly.ts). A till runs it
 * on a thread of its own behind the synchronous port (./thread.ts).
 */
export type AsyncTsePort = { [K in keyof TsePort]: (...args: Parameters<NonNullable<TsePort[K]>>) => Promise<ReturnType<NonNullable<TsePort[K]>>> };
