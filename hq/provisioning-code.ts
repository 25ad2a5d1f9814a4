/**
 * What `npm run hq -- --issue-token STORE:LANE --with-hq-url URL [--catalog-key KEY]… [--control-unit U]` prints for
 * first-boot provisioning (protocol/provisioning.ts): the typed/scanned code, a QR code of it drawn
 * with UTF-8 half blocks for the terminal (light modules as blocks, so it reads on the usual dark
 * terminal), and on request a PNG of the QR code for printing (`--qr-png FILE`) and the
 * provisioning.json for a USB stick (`--provisioning-json FILE`). The QR modules come from uqr, the
 * QR encoder the lane already uses for digital receipts (no second QR library); the PNG is written
 * by common/png.ts with node:zlib (greyscale, 8 px per module).
 */
import { writeFileSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { encode } from 'uqr';
import { encodePng } from '../common/png';
import { provisioningCode, ProvisioningFileSchema, type ProvisioningFile } from '../protocol/provisioning';
import type { ControlUnitConfig } from '../protocol/terminal';

export interface ProvisioningOutputs {
  hqUrl: string;
  catalogKeys: string[];
  /** Sweden: the control unit the terminal keeps (`--control-unit`), or none given. */
  controlUnit?: ControlUnitConfig | null;
  qrPng: string | null;
  json: string | null;
}

/** The payload for a token; throws with the field's problem when the URL or a key is not one. */
export function provisioningPayload(token: string, storeId: string, laneId: string, o: Pick<ProvisioningOutputs, 'hqUrl' | 'catalogKeys' | 'controlUnit'>): ProvisioningFile {
  const r = ProvisioningFileSchema.safeParse({ hq: o.hqUrl, token, ...(o.catalogKeys.length ? { catalogKeys: o.catalogKeys } : {}), store: storeId, lane: laneId, ...(o.controlUnit ? { controlUnit: o.controlUnit } : {}) });
  if (!r.success) throw new Error(`${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
  return r.data;
}

function modules(text: string): boolean[][] {
  return encode(text, { ecc: 'M', border: 2 }).data;
}

/** The QR code as terminal text: two module rows per line, light modules drawn (▀ ▄ █), dark left blank. */
export function qrText(text: string): string {
  const m = modules(text);
  const lines: string[] = [];
  for (let y = 0; y < m.length; y += 2) {
    let line = '';
    for (let x = 0; x < m.length; x++) {
      const top = !m[y]![x];
      const bottom = y + 1 < m.length ? !m[y + 1]![x] : true;
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/** The QR code as a PNG (8-bit greyscale, `scale` pixels per module, a 4-module quiet zone). */
export function qrPng(text: string, scale = 8): Buffer {
  const m = encode(text, { ecc: 'M', border: 4 }).data;
  const side = m.length * scale;
  const pixels = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) pixels[y * side + x] = m[Math.floor(y / scale)]![Math.floor(x / scale)] ? 0 : 255;
  }
  const png = encodePng({ width: side, height: side, colour: 'grey', pixels }, zlib);
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
}

/** Prints the code and its QR code after the token line, and writes the files asked for. */
export function printProvisioning(token: string, storeId: string, laneId: string, o: ProvisioningOutputs, out: (text: string) => void): void {
  const payload = provisioningPayload(token, storeId, laneId, o);
  const code = provisioningCode(payload);
  if (o.catalogKeys.length === 0) process.stderr.write('[hq] no --catalog-key given: the terminal will pin no catalog key and refuse HQ’s catalog until one is provisioned\n');
  out(`provisioning code for store ${storeId}, lane ${laneId} (type it or scan the QR code on the terminal's provisioning screen):\n${code}\n${qrText(code)}\n`);
  if (o.qrPng) {
    writeFileSync(o.qrPng, qrPng(code));
    out(`QR code written to ${o.qrPng}\n`);
  }
  if (o.json) {
    writeFileSync(o.json, `${JSON.stringify(payload, null, 2)}\n`);
    out(`provisioning.json for the USB stick written to ${o.json}\n`);
  }
}
