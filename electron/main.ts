/**
 * Electron main process: single instance, hardening, core supervision, the kiosk window.
 * No business logic: the core owns all state, the window only shows it.
 */
import { app, Menu, powerSaveBlocker, screen, session, type BrowserWindow } from 'electron';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CoreReady } from '../protocol/terminal';
import { contentSecurityPolicy, coreOrigin, isBlockedShortcut, isCoreUrl, withCsp } from './policy';
import { spawnUtilityProcess } from './spawn-utility';
import { CoreSupervisor, createChildProcessSpawner } from './supervisor';
import { createKioskWindow } from './window';
import { customerDisplayUrl, pickCustomerDisplay } from './displays';
import { startUpdates } from './updates';

const DEV = process.env.KASSA_DEV === '1';

// One data dir = one database = one instance (the single-instance lock is per userData dir).
if (process.env.KASSA_DATA_DIR) app.setPath('userData', resolve(process.env.KASSA_DATA_DIR));

if (app.requestSingleInstanceLock()) {
  main();
} else {
  app.quit(); // the first instance gets 'second-instance' and comes to the front
}

function main(): void {
  let window: BrowserWindow | null = null;
  /** The customer-facing window on a second screen, when there is one. */
  let customerWindow: BrowserWindow | null = null;
  let core: CoreReady | null = null;
  let quitting = false;
  let coreStopped = false;

  const dataDir = app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });

  const supervisor = new CoreSupervisor({
    corePath: join(app.getAppPath(), 'dist', 'core', 'main.js'),
    db: join(dataDir, 'kassa.db'),
    profile: process.env.KASSA_PROFILE === 'DE' ? 'DE' : 'SE',
    demo: process.argv.includes('--demo') || process.env.KASSA_DEMO === '1',
    // Unpackaged, native modules are built for the system Node, so run the core there.
    spawn: app.isPackaged ? spawnUtilityProcess : createChildProcessSpawner(process.env.KASSA_NODE || 'node'),
  });
  supervisor.on('log', (line) => console.log(`[core] ${line}`));
  supervisor.on('exit', (code, signal) => {
    if (!quitting) console.error(`kassa: core exited (code ${code ?? '-'}, signal ${signal ?? '-'})`);
  });
  supervisor.on('ready', (ready) => {
    const previous = core;
    core = ready;
    const url = `${coreOrigin(ready.port)}/`;
    if (window && !window.isDestroyed() && previous?.port === ready.port) {
      // Same origin, same token: the UI restores everything from the new core.
      load(window, url);
      return;
    }
    // First start, or the core came back on another port: the preload's connection is fixed
    // per window, so replace the window.
    const old = window;
    window = openWindow(url, ready);
    if (old && !old.isDestroyed()) old.destroy();
    syncCustomerWindow();
  });

  /** Opens, moves or closes the customer display window to match the screens plugged in. */
  function syncCustomerWindow(): void {
    const target = pickCustomerDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id, process.env.KASSA_CUSTOMER_DISPLAY);
    if (customerWindow && !customerWindow.isDestroyed()) {
      customerWindow.destroy();
      customerWindow = null;
    }
    if (!target || !core) return;
    customerWindow = createKioskWindow({
      url: customerDisplayUrl(`${coreOrigin(core.port)}/`),
      connection: { url: `ws://127.0.0.1:${core.port}/api`, token: core.token },
      kiosk: !DEV,
      display: target,
    });
    const cw = customerWindow;
    cw.webContents.on('render-process-gone', () => {
      if (cw === customerWindow && !cw.isDestroyed() && core) load(cw, customerDisplayUrl(`${coreOrigin(core.port)}/`));
    });
  }

  function openWindow(url: string, ready: CoreReady): BrowserWindow {
    const win = createKioskWindow({
      url,
      connection: { url: `ws://127.0.0.1:${ready.port}/api`, token: ready.token },
      kiosk: !DEV,
    });
    win.on('close', (event) => {
      if (!quitting && !DEV) event.preventDefault(); // Alt+F4 does not end a kiosk
    });
    win.webContents.on('render-process-gone', (_event, details) => {
      console.error(`kassa: renderer gone (${details.reason}); reloading`);
      if (win === window && !win.isDestroyed() && core) load(win, `${coreOrigin(core.port)}/`);
    });
    // A renderer that stops responding for 10 s is reloaded (the basket lives in the core).
    let hung: NodeJS.Timeout | null = null;
    win.on('unresponsive', () => {
      hung ??= setTimeout(() => {
        hung = null;
        console.error('kassa: renderer not responding; reloading');
        if (win === window && !win.isDestroyed()) win.webContents.forcefullyCrashRenderer();
      }, 10_000);
    });
    win.on('responsive', () => {
      if (hung) clearTimeout(hung);
      hung = null;
    });
    return win;
  }

  function load(win: BrowserWindow, url: string): void {
    win.loadURL(url).catch((error: unknown) => {
      console.error(`kassa: loading ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isCoreUrl(url, core?.port ?? null)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('before-input-event', (event, input) => {
      if (!DEV && isBlockedShortcut(input)) event.preventDefault();
    });
  });

  // Kiosk: closing the last window does not quit. Quitting is app.quit() only.
  app.on('window-all-closed', () => {
    if (DEV) app.quit();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  // Stop the core gracefully first, then let the quit go through.
  app.on('before-quit', (event) => {
    if (coreStopped) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    void supervisor.stop().finally(() => {
      coreStopped = true;
      app.quit();
    });
  });

  app.enableSandbox();
  app
    .whenReady()
    .then(() => {
      Menu.setApplicationMenu(null);
      // A till's screen never goes dark on its own.
      if (!DEV) powerSaveBlocker.start('prevent-display-sleep');
      const ses = session.defaultSession;
      ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
      ses.setPermissionCheckHandler(() => false);
      ses.webRequest.onHeadersReceived((details, callback) => {
        callback({ responseHeaders: withCsp(details.responseHeaders, contentSecurityPolicy(core?.port ?? null)) });
      });
      supervisor.start();
      // Updates from HQ, installed only when signed by the release key (packaged builds only).
      if (app.isPackaged && !DEV) startUpdates((line) => console.log(`[update] ${line}`));
      // A customer screen plugged in or out while the lane runs.
      screen.on('display-added', syncCustomerWindow);
      screen.on('display-removed', syncCustomerWindow);
    })
    .catch((error: unknown) => {
      console.error('kassa: startup failed', error);
      app.exit(1);
    });
}
