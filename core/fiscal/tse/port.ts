/**
 * The TSE port (technische Sicherheitseinrichtung, KassenSichV §2): the shape of BSI TR-03151's
 * SE API as a till uses it. A transaction is started, may be updated, and is finished; the TSE —
 * never the till — sets the transaction number, the signature counter, the log time and its own
 * serial number, and every call leaves a signed transaction log message (TR-03151 / TR-03153) in
 * the TSE, exported as a TAR archive.
 *
 * Implementations: the simulator (./simulator.ts), which signs real TR-03151 log messages with a
 * P-256 key. The port is synchronous: the till signs a sale inside the transaction that commits it
 * (core/checkout/complete.ts), and a local TSE answers in well under a millisecond. A cloud TSE
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
 * The same port answered over a network (a cloud TSE: core/fiscal/tse/fiskaly.ts). Its calls
 * cannot run inside the sale's SQLite transaction; the lane does not take one yet (docs/design.md).
 */
export type AsyncTsePort = { [K in keyof TsePort]: (...args: Parameters<TsePort[K]>) => Promise<ReturnType<TsePort[K]>> };
