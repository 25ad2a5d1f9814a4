/** The window factory: the only place in the codebase that creates a BrowserWindow. */
import { app, BrowserWindow, type Display } from 'electron';
import { join } from 'node:path';
import type { ConnectionInfo } from '../../protocol/terminal/process';
import { encodeConnectionArg } from './connection';
import { isAppUrl } from './policy';

export interface KioskWindowOptions {
  /** Page to load: on the app origin, kassa://app/ (the customer display: kassa://app/?view=customer). */
  url: string;
  /** Handed to the preload, which exposes it as window.kassa.connection. */
  connection: ConnectionInfo;
  /** Kiosk + fullscreen (false only for development). */
  kiosk: boolean;
  /** Screen to open on; the primary display when omitted. */
  display?: Display;
  /**
   * Asked on every 'close' (Alt+F4, the window manager, window.close()): false keeps the window
   * open. A kiosk window closes only when the app exits.
   */
  mayClose: () => boolean;
}

export const BACKGROUND_COLOR = '#101418';

export function preloadPath(): string {
  return join(app.getAppPath(), 'dist', 'electron', 'preload.cjs');
}

export function createKioskWindow({ url, connection, kiosk, display, mayClose }: KioskWindowOptions): BrowserWindow {
  if (!isAppUrl(url)) throw new Error(`kassa: a window may only show the app (kassa://app), not ${url}`);
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
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
      preload: preloadPath(),
      additionalArguments: [encodeConnectionArg(connection)],
    },
  });
  win.on('close', (event) => {
    if (!mayClose()) event.preventDefault();
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
