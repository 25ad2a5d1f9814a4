/**
 * The kiosk image's screens, set by store IT in the device configuration (devices.json's top-level
 * "screens", beside "devices"): which output shows the lane UI, and which the customer display.
 * An output is named as the compositor (sway) names it: its connector ("HDMI-A-1", "eDP-1") or
 * "make model serial" (survives moving the cable to another port). Read by the kiosk session
 * (kiosk/session.ts) and checked by the core with the rest of the file (core/devices/config.ts).
 */
import { z } from 'zod';

const output = z.string().trim().min(1).max(128);

export const ScreensSchema = z
  .object({
    /** The lane UI's output; when it is not connected: the built-in panel, else the first connector. */
    lane: output.optional(),
    /** The customer display: "auto" (the largest other output; the default), "off", or an output. */
    customer: output.optional(),
  })
  .strict();
export type Screens = z.infer<typeof ScreensSchema>;
