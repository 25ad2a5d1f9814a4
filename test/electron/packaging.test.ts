/**
 * The package store IT flashes: electron-builder.yml checked against electron-builder's own JSON
 * schema (the Electron binary cannot be downloaded here, so the package itself is built on a release
 * machine — docs/release.md), and the files the .deb installs: udev rules, the kiosk's systemd unit.
 */
import { EXIT_BY_STORE_IT } from '../../electron/main/supervisor-core';
import Ajv from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const config = load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it("is valid by electron-builder's own schema (and the schema does catch mistakes)", () => {
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(ok).toBe(true);
    expect(validate({ ...config, linux: { ...config.linux, targte: 'deb' } })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNode: 'no' } })).toBe(false);
  });

  it('builds a deb and an AppImage for x64 and arm64, native modules unpacked and rebuilt, fuses closed, updates from HQ', () => {
    const targets = (config.linux.target as Array<{ target: string; arch: string[] }>).map((t) => [t.target, [...t.arch].sort()]);
    expect(targets).toEqual([
      ['deb', ['arm64', 'x64']],
      ['AppImage', ['arm64', 'x64']],
    ]);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // every native module the terminal loads is unpacked from the asar archive
    for (const native of ['better-sqlite3', '@serialport', 'node-hid']) {
      expect(Object.keys(pkg.dependencies).some((d) => d === native || d.startsWith(`${native}/`) || (native === '@serialport' && d === 'serialport'))).toBe(true);
      expect(config.asarUnpack).toContain(`**/node_modules/${native}/**`);
    }
    expect(config.npmRebuild).toBe(true);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
    expect(config.publish).toMatchObject({ provider: 'generic' });
    expect(config.deb.depends).toContain('libusb-1.0-0');
  });

  it('the deb installs the udev rules and the kiosk service it ships', () => {
    for (const f of [config.deb.afterInstall, config.deb.afterRemove]) expect(existsSync(join(ROOT, f))).toBe(true);
    const install = readFileSync(join(ROOT, config.deb.afterInstall), 'utf8');
    const shipped = ['60-kassa-devices.rules', 'kassa-kiosk.service'];
    for (const f of shipped) {
      expect(existsSync(join(ROOT, 'build/linux', f))).toBe(true);
      expect(install).toContain(f);
    }
    const rules = readFileSync(join(ROOT, 'build/linux/60-kassa-devices.rules'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    for (const r of rules) expect(r).toMatch(/^(\w+(\{\w+\})?=="[^"]+", )+MODE="0660", GROUP="kassa"$/);
    expect(rules.some((r) => r.includes('hidraw'))).toBe(true); // HID POS scanners
    expect(rules.some((r) => r.includes('ttyUSB'))).toBe(true); // serial scales, displays, terminals
    const unit = readFileSync(join(ROOT, 'build/linux/kassa-kiosk.service'), 'utf8');
    expect(unit).toMatch(/^\[Service\][\s\S]*^ExecStart=\/opt\/Kassa\/kassa$[\s\S]*^Restart=always$/m);
    // Store IT closing the kiosk (IT PIN) exits with EXIT_BY_STORE_IT, which is not restarted.
    expect(unit).toMatch(new RegExp(`^RestartPreventExitStatus=${EXIT_BY_STORE_IT}$`, 'm'));
    expect(unit).toMatch(/^WantedBy=graphical\.target$/m);
  });
});
