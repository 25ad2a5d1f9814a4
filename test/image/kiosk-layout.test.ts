// The kiosk session's decisions (kiosk/layout.ts): which output shows the lane UI and which the
// customer display, store IT's "screens" in devices.json, and the sway commands that place a window.
import { describe, expect, it } from 'vitest';
import { blackCorners, decideLayout, placeCommands, screensOf, type Output } from '../../kiosk/layout';
import type { View } from '../../kiosk/sway';

const out = (name: string, width = 1920, height = 1080, more: Partial<Output> = {}): Output => ({ name, make: 'Acme', model: `M-${name}`, serial: `S${name}`, active: true, rect: { x: 0, y: 0, width, height }, ...more });

describe('kiosk layout', () => {
  it('shows the lane UI alone on a single output, and nothing with none', () => {
    expect(decideLayout([out('HDMI-A-1')], {})).toEqual({ lane: 'HDMI-A-1', customer: null });
    expect(decideLayout([], {})).toEqual({ lane: null, customer: null });
    expect(decideLayout([out('HDMI-A-1', 1920, 1080, { active: false })], {})).toEqual({ lane: null, customer: null });
  });

  it('by default: the built-in panel is the lane\'s, else the first connector; the customer display on the largest other output', () => {
    expect(decideLayout([out('HDMI-A-1'), out('eDP-1', 1366, 768)], {})).toEqual({ lane: 'eDP-1', customer: 'HDMI-A-1' });
    expect(decideLayout([out('HDMI-A-2'), out('DP-1', 1024, 768), out('HDMI-A-10', 800, 480)], {})).toEqual({ lane: 'DP-1', customer: 'HDMI-A-2' });
    // Connectors in number order: HDMI-A-2 before HDMI-A-10.
    expect(decideLayout([out('HDMI-A-10'), out('HDMI-A-2')], {}).lane).toBe('HDMI-A-2');
  });

  it('never moves the lane off the output it is on when another is plugged in', () => {
    expect(decideLayout([out('HDMI-A-2'), out('DP-1')], {}, 'HDMI-A-2')).toEqual({ lane: 'HDMI-A-2', customer: 'DP-1' });
    // Its output gone: the lane goes to what is left, the customer display ends.
    expect(decideLayout([out('DP-1')], {}, 'HDMI-A-2')).toEqual({ lane: 'DP-1', customer: null });
  });

  it('follows store IT\'s choice: the lane\'s output by connector or by make, model and serial; the customer display off or on a named output', () => {
    const outputs = [out('eDP-1'), out('HDMI-A-1'), out('DP-2', 2560, 1440)];
    expect(decideLayout(outputs, { lane: 'HDMI-A-1' }, 'eDP-1')).toEqual({ lane: 'HDMI-A-1', customer: 'DP-2' });
    expect(decideLayout(outputs, { lane: 'Acme M-DP-2 SDP-2' })).toEqual({ lane: 'DP-2', customer: 'eDP-1' });
    expect(decideLayout(outputs, { customer: 'off' })).toEqual({ lane: 'eDP-1', customer: null });
    expect(decideLayout(outputs, { customer: 'HDMI-A-1' })).toEqual({ lane: 'eDP-1', customer: 'HDMI-A-1' });
    // A configured output not connected: the lane falls back; a named customer output is not replaced by another.
    expect(decideLayout(outputs, { lane: 'DP-9', customer: 'DP-8' })).toEqual({ lane: 'eDP-1', customer: null });
    // The customer display is never the lane's output.
    expect(decideLayout(outputs, { lane: 'HDMI-A-1', customer: 'HDMI-A-1' })).toEqual({ lane: 'HDMI-A-1', customer: null });
  });

  it('reads "screens" from the device configuration; without it, or with a wrong one, the defaults (and why)', () => {
    expect(screensOf('{"devices":[],"screens":{"lane":"HDMI-A-1","customer":"off"}}')).toEqual({ screens: { lane: 'HDMI-A-1', customer: 'off' }, problem: null });
    expect(screensOf('{"devices":[]}')).toEqual({ screens: {}, problem: null });
    expect(screensOf('{}')).toEqual({ screens: {}, problem: null });
    expect(screensOf('{"screens":{"lane":"HDMI-A-1","primary":"x"}}').problem).toMatch(/^screens: .*primary/);
    expect(screensOf('{"screens":{"lane":""}}').problem).toMatch(/^screens\.lane: /);
    expect(screensOf('not json').problem).toMatch(/not valid JSON/);
  });
});

describe('kiosk window placement', () => {
  const view = (more: Partial<View>): View => ({ id: 7, pid: 1, appId: 'kassa-customer', title: 'Kassa', output: 'HDMI-A-1', fullscreen: 1, focused: false, visible: true, ...more });

  it('leaves a full-screen view shown on its output alone', () => {
    expect(placeCommands(view({}), 'HDMI-A-1')).toEqual([]);
  });

  it('moves a view to its output as it is, full screen, and never takes it out of full screen (Chromium would show its tabs and address bar)', () => {
    expect(placeCommands(view({}), 'DP-1')).toEqual(['[con_id=7] move container to output "DP-1"']);
    expect(placeCommands(view({ fullscreen: 0, visible: false }), 'DP-1')).toEqual(['[con_id=7] move container to output "DP-1"', '[con_id=7] fullscreen enable', '[con_id=7] focus']);
    for (const v of [view({}), view({ fullscreen: 0 }), view({ output: 'DP-1', fullscreen: 0 })]) expect(placeCommands(v, 'DP-1').join(';')).not.toContain('fullscreen disable');
  });
});

describe('kiosk frozen-window check', () => {
  /** A binary PPM of w×h in the kiosk's background colour, with a window of ww×wh in its middle; black around it. */
  const ppm = (w: number, h: number, ww: number, wh: number): Buffer => {
    const px = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (Math.abs(x - w / 2) < ww / 2 && Math.abs(y - h / 2) < wh / 2) px.set([0x0f, 0x14, 0x19], (y * w + x) * 3);
      }
    }
    return Buffer.concat([Buffer.from(`P6\n${w} ${h}\n255\n`, 'latin1'), px]);
  };

  it('sees sway\'s black around a window smaller than its full screen, not a page drawn full size', () => {
    expect(blackCorners(ppm(1024, 768, 1018, 738))).toBe(true);
    expect(blackCorners(ppm(1280, 720, 1018, 738))).toBe(true);
    expect(blackCorners(ppm(1024, 768, 1024, 768))).toBe(false);
    expect(blackCorners(Buffer.from('not a picture'))).toBe(false);
  });
});
