/**
 * ZVT over a serial line: DLE STX, the APDU with every DLE doubled, DLE ETX, then CRC-16 (CCITT
 * polynomial reflected, 0x8408, initial value 0) over the unstuffed APDU and the ETX byte, low byte
 * first. Each frame is answered with ACK (06) or NAK (15). Pure.
 */
export const DLE = 0x10;
export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;

export function crc16(bytes: ArrayLike<number>): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i]!;
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc & 0xffff;
}

export function frame(apdu: ArrayLike<number>): Uint8Array {
  const out: number[] = [DLE, STX];
  for (let i = 0; i < apdu.length; i++) {
    out.push(apdu[i]!);
    if (apdu[i] === DLE) out.push(DLE);
  }
  const crc = crc16([...Array.from(apdu), ETX]);
  out.push(DLE, ETX, crc & 0xff, crc >> 8);
  return Uint8Array.from(out);
}

export type SerialEvent = { kind: 'ack' } | { kind: 'nak' } | { kind: 'frame'; apdu: Uint8Array } | { kind: 'badFrame'; reason: string } | { kind: 'noise'; bytes: number };

/** Splits the line into ACK, NAK and frames; a frame with a wrong CRC is reported (answer it with NAK). */
export class SerialFramer {
  private state: 'idle' | 'dle' | 'body' | 'bodyDle' | 'crc' = 'idle';
  private body: number[] = [];
  private crc: number[] = [];
  private noise = 0;
  private static readonly MAX = 70_000;

  push(chunk: ArrayLike<number>): SerialEvent[] {
    const out: SerialEvent[] = [];
    const flushNoise = () => {
      if (this.noise) out.push({ kind: 'noise', bytes: this.noise });
      this.noise = 0;
    };
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      switch (this.state) {
        case 'idle':
          if (b === ACK || b === NAK) {
            flushNoise();
            out.push({ kind: b === ACK ? 'ack' : 'nak' });
          } else if (b === DLE) this.state = 'dle';
          else this.noise++;
          break;
        case 'dle':
          if (b === STX) {
            flushNoise();
            this.state = 'body';
            this.body = [];
          } else {
            this.noise += 2;
            this.state = b === DLE ? 'dle' : 'idle';
            if (b === DLE) this.noise--;
          }
          break;
        case 'body':
          if (b === DLE) this.state = 'bodyDle';
          else if (this.body.length > SerialFramer.MAX) {
            out.push({ kind: 'badFrame', reason: 'frame too long' });
            this.state = 'idle';
          } else this.body.push(b);
          break;
        case 'bodyDle':
          if (b === DLE) {
            this.body.push(DLE);
            this.state = 'body';
          } else if (b === ETX) {
            this.state = 'crc';
            this.crc = [];
          } else if (b === STX) {
            out.push({ kind: 'badFrame', reason: 'frame restarted' });
            this.body = [];
            this.state = 'body';
          } else {
            out.push({ kind: 'badFrame', reason: `DLE followed by 0x${b.toString(16)}` });
            this.state = 'idle';
          }
          break;
        case 'crc':
          this.crc.push(b);
          if (this.crc.length === 2) {
            const want = crc16([...this.body, ETX]);
            const got = this.crc[0]! | (this.crc[1]! << 8);
            out.push(want === got ? { kind: 'frame', apdu: Uint8Array.from(this.body) } : { kind: 'badFrame', reason: 'CRC mismatch' });
            this.state = 'idle';
          }
          break;
      }
    }
    flushNoise();
    return out;
  }
}
