/** The window factory: the only place in the codebase that creates a BrowserWindow. */
import { app, BrowserWindow, type Display } from 'electron';
import { join } from 'node:path';
import type { ConnectionInfo } from '../protocol/terminal';
import { encodeConnectionArg } from './connection';

export interface KioskWindowOptions {
  /** Page to load: the core's UI origin, http://127.0.0.1:<port>/. */
  url: string;
  /** Handed to the preload, which exposes it as window.kassa.connection. */
  connection: ConnectionInfo;
  /** Kiosk + fullscreen (false only for development). */
  kiosk: boolean;
  /** Screen to open on; the primary display when omitted. */
  display?: Display;
}

export const BACKGROUND_COLOR = '#101418';

export function preloadPath(): string {
  return join(app.getAppPath(), 'dist', 'electron', 'preload.cjs');
}

export function createKioskWindow({ url, connection, kiosk, display }: KioskWindowOptions): BrowserWindow {
  const devTools = process.env.KASSA_DEV === '1';
  const win = new BrowserWindow({
    ...(display ? display.bounds : {}),
    show: false,
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: true,
    backgroundColor: BACKGROUND_COLOR,
    title: 'Kassa',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools,
      preload: preloadPath(),
      additionalArguments: [encodeConnectionArg(connection)],
    },
  });
  win.once('ready-to-show', () => {
    win.show();
    win.focus();
  });
  // Touch screens: no pinch zoom.
  win.webContents.setVisualZoomLevelLimits(1, 1).catch(() => {});
  win.loadURL(url).catch((error: unknown) => {
    console.error(`kassa: loading ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  return win;
}
