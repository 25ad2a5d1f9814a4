/**
 * A TR-03151 transaction log message and the data its signature covers.
 *
 * TransactionLogMessage ::= SEQUENCE {
 *   version            INTEGER (2),
 *   certifiedDataType  OBJECT IDENTIFIER  -- id-SE-API-transaction-log 0.4.0.127.0.7.3.7.1.1
 *   -- certifiedData (the transaction's fields, inline):
 *   operationType      [0] IMPLICIT PrintableString,  -- StartTransaction | UpdateTransaction | FinishTransaction
 *   clientId           [1] IMPLICIT PrintableString,
 *   processData        [2] IMPLICIT OCTET STRING,
 *   processType        [3] IMPLICIT PrintableString,
 *   additionalExternalData [4] IMPLICIT OCTET STRING OPTIONAL,
 *   transactionNumber  [5] IMPLICIT INTEGER,
 *   additionalInternalData [6] IMPLICIT OCTET STRING OPTIONAL,
 *   serialNumber       OCTET STRING,                 -- SHA-256 of the public key
 *   signatureAlgorithm SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL },
 *   seAuditData        OCTET STRING OPTIONAL,         -- audit logs only
 *   signatureCounter   INTEGER,
 *   logTime            unixTime INTEGER,
 *   signatureValue     OCTET STRING }                 -- plain r ‖ s (BSI TR-03111)
 *
 * The signature covers the DER encodings of every element from version to logTime, one after the
 * other (no outer SEQUENCE, no signatureValue). The optional fields this TSE never fills are left
 * out, so a verifier can rebuild the signed data from a DSFinV-K QR code alone.
 */
import { contextTag, integer, octetString, oid, printableString, sequence } from './der';
import type { TseOperation } from './port';

/** id-SE-API-transaction-log (TR-03151, under bsi-de 0.4.0.127.0.7). */
export const OID_TRANSACTION_LOG = '0.4.0.127.0.7.3.7.1.1';
/** ecdsa-plain-SHA256 (BSI TR-03111). */
export const OID_ECDSA_PLAIN_SHA256 = '0.4.0.127.0.7.1.1.4.1.3';
export const LOG_MESSAGE_VERSION = 2;

export interface TransactionLogFields {
  operation: TseOperation;
  clientId: string;
  processData: Buffer;
  processType: string;
  transactionNumber: number;
  serialNumber: Buffer;
  signatureCounter: number;
  /** Unix seconds. */
  logTime: number;
}

/** The signed part: every element's DER, version through logTime. */
export function dataToBeSigned(f: TransactionLogFields): Buffer {
  return Buffer.concat([
    integer(LOG_MESSAGE_VERSION),
    oid(OID_TRANSACTION_LOG),
    printableString(f.operation, contextTag(0)),
    printableString(f.clientId, contextTag(1)),
    octetString(f.processData, contextTag(2)),
    printableString(f.processType, contextTag(3)),
    integer(f.transactionNumber, contextTag(5)),
    octetString(f.serialNumber),
    sequence(oid(OID_ECDSA_PLAIN_SHA256)),
    integer(f.signatureCounter),
    integer(f.logTime),
  ]);
}

/** The whole log message as the TSE stores and exports it: SEQUENCE { signed part, signatureValue }. */
export function logMessage(signed: Buffer, signature: Buffer): Buffer {
  return sequence(signed, octetString(signature));
}

/** TR-03153's file name of a transaction log message in the TAR export. */
export function logFileName(f: Pick<TransactionLogFields, 'operation' | 'clientId' | 'transactionNumber' | 'signatureCounter' | 'logTime'>): string {
  const op = f.operation.replace('Transaction', '');
  return `Unixt_${f.logTime}_Sig-${f.signatureCounter}_Log-Tra_No-${f.transactionNumber}_${op}_Client-${f.clientId}.log`;
}
