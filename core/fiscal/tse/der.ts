/**
 * The little DER (ITU-T X.690) a TSE log message needs: definite lengths, minimal two's-complement
 * INTEGERs, OBJECT IDENTIFIERs, OCTET and PrintableStrings, context tags and SEQUENCEs.
 */

/** One TLV: tag byte, definite length, content. */
export function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

/** The content octets of a non-negative INTEGER: big-endian, minimal, a leading zero when the top bit is set. */
export function integerContent(value: number | bigint): Buffer {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError('a TSE integer is never negative');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}

export const integer = (value: number | bigint, tag = 0x02): Buffer => tlv(tag, integerContent(value));

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  if (arcs.length < 2) throw new RangeError(`not an object identifier: ${dotted}`);
  const out: number[] = [];
  const push = (arc: bigint) => {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Buffer.from(out));
}

export const octetString = (bytes: Buffer, tag = 0x04): Buffer => tlv(tag, bytes);

/** A PrintableString (X.680 §41.4: letters, digits, space and '()+,-./:=?). */
export function printableString(text: string, tag = 0x13): Buffer {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new RangeError(`not a PrintableString: ${JSON.stringify(text)}`);
  return tlv(tag, Buffer.from(text, 'ascii'));
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));

/** The tag of [n] IMPLICIT on a primitive type (context-specific, primitive). */
export const contextTag = (n: number): number => 0x80 | n;
