// The kiosk image recipe's pure parts: the runtime bundle's package closure, the slots' kernel
// command lines, the screendump encoder. (Building and booting the image: npm run image / image:test.)
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bareImports, repoRoot, runtimeClosure } from '../../image/bundle';
import { kernelCmdline } from '../../image/disk';
import { aptSources } from '../../image/sources';
import { encodePng, parsePpm, screenStats, showsBanner } from '../../image/test/png';

describe('image bundle', () => {
  it('finds the bare packages a bundle imports or requires, not node: builtins or relative files', () => {
    const src = 'import a from "zod";\nimport { x } from "@point-of-sale/receipt-printer-encoder/sub";\nconst h = require2("node-hid");\nimport("ws");\nimport f from "node:fs";\nimport r from "./rel.js";';
    expect(bareImports(src)).toEqual(['@point-of-sale/receipt-printer-encoder', 'node-hid', 'ws', 'zod']);
  });

  it('takes the runtime closure of the core from node_modules: native better-sqlite3 and its bindings, no dev tools', () => {
    const dirs = runtimeClosure(repoRoot, ['better-sqlite3', 'zod']).map((d) => d.slice(repoRoot.length + 1));
    expect(dirs).toContain('node_modules/better-sqlite3');
    expect(dirs).toContain('node_modules/bindings');
    expect(dirs.some((d) => /vitest|electron|typescript/.test(d))).toBe(false);
  });
});

describe('image sources', () => {
  it('takes the live mirror, or every archive at one snapshot.debian.org time, and refuses a malformed time', () => {
    expect(aptSources(null)).toEqual(['deb http://deb.debian.org/debian bookworm main', 'deb http://deb.debian.org/debian bookworm-updates main', 'deb http://deb.debian.org/debian-security bookworm-security main']);
    const pinned = aptSources('20261201T000000Z');
    expect(pinned).toHaveLength(3);
    for (const line of pinned) expect(line).toMatch(/^deb \[check-valid-until=no\] http:\/\/snapshot\.debian\.org\/archive\/debian(-security)?\/20261201T000000Z bookworm(-updates|-security)? main$/);
    for (const bad of ['2026-12-01', '20261201', '20261201T000000Z; rm -rf /', '']) expect(() => aptSources(bad)).toThrow('--snapshot takes');
  });
});

describe('image disk', () => {
  it('boots each slot from its own partition label, read-only under the RAM overlay, serial console last', () => {
    const b = kernelCmdline('b');
    expect(b).toContain('root=/dev/disk/by-partlabel/kassa-root-b');
    expect(b).toContain('kassa.overlay');
    expect(b.split(' ').filter((w) => w.startsWith('console=')).pop()).toBe('console=ttyS0,115200');
  });
});

describe('image test screens', () => {
  it('turns a PPM screendump into a PNG with the same pixels', () => {
    const ppm = Buffer.concat([Buffer.from('P6\n2 1\n255\n', 'latin1'), Buffer.from([255, 0, 0, 0, 0, 255])]);
    const img = parsePpm(ppm);
    const png = encodePng(img);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(2);
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect([...raw]).toEqual([0, 255, 0, 0, 0, 0, 255]);
    expect(screenStats(img).colours).toBe(1); // sampled every 7th pixel: only the first here
  });
});

describe('image test: a page still connecting', () => {
  const screen = (top: [number, number, number]) => {
    const w = 40;
    const h = 20;
    const px = Buffer.alloc(w * h * 3, 0x12); // the pages' dark background
    for (let y = 0; y < 10; y++) for (let x = 0; x < w; x++) px.set(top, (y * w + x) * 3);
    return parsePpm(Buffer.concat([Buffer.from(`P6\n${w} ${h}\n255\n`, 'latin1'), px]));
  };
  it('sees the amber banner across the top ("connecting to the till\'s core…"), not a page without one', () => {
    expect(showsBanner(screen([0xf0, 0xb4, 0x3c]))).toBe(true);
    expect(showsBanner(screen([0x12, 0x12, 0x12]))).toBe(false);
    expect(showsBanner(screen([0xff, 0xff, 0xff]))).toBe(false);
  });
});
