/**
 * Electron main process: single instance, hardening, the app protocol, core supervision, the kiosk
 * windows. No business logic: the core owns all state, the windows only show it.
 *
 * Exiting: in kiosk mode the app ends only when the core says store IT asked for it (an IT PIN the
 * core verified: its exit line on stdout), or when the system stops it (SIGTERM/SIGINT: shutdown,
 * `systemctl stop`). Closing a window, Alt+F4 and any other quit are refused.
 */
import { app, Menu, powerSaveBlocker, protocol, screen, session, type BrowserWindow, type Display } from 'electron';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ConnectionInfo, CoreReady, CoreState } from '../../protocol/terminal/process';
import { loadAppFiles, respondToAppRequest, type AppFile } from './app-protocol';
import { CORE_STATE_CHANNEL } from './core-state';
import { customerDisplayUrl, pickCustomerDisplay } from './displays';
import { APP_SCHEME, APP_URL, contentSecurityPolicy, isAppUrl, isBlockedShortcut, isTrustedIpcPeer, withCsp } from './policy';
import { spawnUtilityProcess } from './spawn-utility';
import { CoreSupervisor, createChildProcessSpawner } from './supervisor';
import { coreArgsFromEnv, EXIT_BY_STORE_IT, profileFromEnv } from './supervisor-core';
import { startUpdates, type Updates } from './updates';
import { systemClock } from '../../core/clock';
import { createKioskWindow } from './window';

const DEV = process.env.KASSA_DEV === '1';

// Before the app is ready (Electron requires it). standard: an origin (kassa://app), relative URLs
// and web storage like http; secure: a secure context like https; supportFetchAPI: module scripts.
// Deliberately not bypassCSP (the page's CSP applies to it) and not corsEnabled (no other origin
// may read the app's files).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

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
  /** Set once the app is on its way out (store IT's exit, a signal); nothing restarts after that. */
  let quitting = false;
  /** Store IT closed the kiosk: exit with the status the systemd unit does not restart. */
  let byStoreIt = false;
  /** The built renderer, served at kassa://app/ (read once when the app is ready). */
  let appFiles: ReadonlyMap<string, AppFile> = new Map();

  const dataDir = app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });

  const supervisor = new CoreSupervisor({
    corePath: join(app.getAppPath(), 'dist', 'core', 'main.js'),
    db: join(dataDir, 'kassa.db'),
    profile: profileFromEnv(process.env.KASSA_PROFILE),
    demo: process.argv.includes('--demo') || process.env.KASSA_DEMO === '1',
    extraArgs: coreArgsFromEnv(process.env),
    // Unpackaged, native modules are built for the system Node, so run the core there.
    spawn: app.isPackaged ? spawnUtilityProcess : createChildProcessSpawner(process.env.KASSA_NODE || 'node'),
  });
  supervisor.on('log', (line) => console.log(`[core] ${line}`));
  supervisor.on('exit', (code, signal) => {
    if (!quitting) console.error(`kassa: core exited (code ${code ?? '-'}, signal ${signal ?? '-'})`);
  });
  // The windows keep their page while the core is down; the page shows "restarting" from this.
  supervisor.on('state', (state) => {
    for (const win of ourWindows()) sendCoreState(win, state);
  });
  supervisor.on('exitRequest', ({ operator }) => {
    byStoreIt = true;
    shutdown(`store IT (operator ${operator}) asked the kiosk to exit`);
  });
  supervisor.on('ready', (ready) => {
    const previous = core;
    core = ready;
    // Same port, same token: the page (served by us, not by the core) stays and reconnects its
    // WebSocket to the new core; it learns that the core is back from the 'ready' state.
    if (window && !window.isDestroyed() && previous?.port === ready.port) return;
    // First start, or the core came back on another port: the preload's connection and the page's
    // CSP are fixed per window, so replace the windows.
    const old = window;
    window = openWindow(APP_URL, ready);
    if (old && !old.isDestroyed()) old.destroy();
    syncCustomerWindow();
  });

  function ourWindows(): BrowserWindow[] {
    return [window, customerWindow].filter((w): w is BrowserWindow => w !== null && !w.isDestroyed());
  }

  /** Sends the core state to a window, only while it is one of ours showing the app. */
  function sendCoreState(win: BrowserWindow, state: CoreState): void {
    const contents = win.webContents;
    const frame = contents.mainFrame;
    const ours = new Set(ourWindows().map((w) => w.webContents.id));
    if (!isTrustedIpcPeer({ frameUrl: frame.url, isMainFrame: frame.parent === null, contentsId: contents.id }, ours)) return;
    contents.send(CORE_STATE_CHANNEL, state);
  }

  const connectionFor = (ready: CoreReady): ConnectionInfo => ({ url: `ws://127.0.0.1:${ready.port}/api`, token: ready.token });

  /** Opens, moves or closes the customer display window to match the screens plugged in. */
  function syncCustomerWindow(): void {
    const target = pickCustomerDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id, process.env.KASSA_CUSTOMER_DISPLAY);
    if (customerWindow && !customerWindow.isDestroyed()) {
      customerWindow.destroy();
      customerWindow = null;
    }
    if (!target || !core) return;
    customerWindow = openWindow(customerDisplayUrl(APP_URL), core, target);
  }

  function openWindow(url: string, ready: CoreReady, display?: Display): BrowserWindow {
    const win = createKioskWindow({
      url,
      connection: connectionFor(ready),
      kiosk: !DEV,
      ...(display ? { display } : {}),
      mayClose: () => quitting || DEV, // Alt+F4 does not end a kiosk
    });
    // A (re)loaded page gets the current state at once; later changes come from the supervisor.
    win.webContents.on('did-finish-load', () => sendCoreState(win, supervisor.state));
    // A crashed renderer is reloaded (the basket lives in the core); one that crashes again within
    // 10 s is reloaded after 2 s, so a page that cannot start does not spin.
    let lastGone = 0;
    win.webContents.on('render-process-gone', (_event, details) => {
      if (quitting || win.isDestroyed()) return;
      const now = performance.now();
      const delay = now - lastGone < 10_000 ? 2_000 : 0;
      lastGone = now;
      console.error(`kassa: renderer gone (${details.reason}); reloading${delay ? ` in ${delay} ms` : ''}`);
      setTimeout(() => {
        if (!quitting && !win.isDestroyed()) load(win, url);
      }, delay);
    });
    // A renderer that stops responding for 10 s is crashed, and so reloaded.
    let hung: NodeJS.Timeout | null = null;
    win.on('unresponsive', () => {
      hung ??= setTimeout(() => {
        hung = null;
        console.error('kassa: renderer not responding; reloading');
        if (!win.isDestroyed()) win.webContents.forcefullyCrashRenderer();
      }, 10_000);
    });
    win.on('responsive', () => {
      if (hung) clearTimeout(hung);
      hung = null;
    });
    win.on('closed', () => {
      if (hung) clearTimeout(hung);
    });
    return win;
  }

  function load(win: BrowserWindow, url: string): void {
    win.loadURL(url).catch((error: unknown) => {
      console.error(`kassa: loading ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  let updates: Updates | null = null;

  /** The one way out: stop the core cleanly, then end the app (app.exit: no before-quit, no 'close'). */
  function shutdown(reason: string): void {
    if (quitting) return;
    quitting = true;
    console.log(`kassa: ${reason}; stopping the core`);
    supervisor.stop().then(
      // A verified update is installed now, explicitly (the app quits into it); otherwise the app ends.
      async () => {
        if (await updates?.installNow()) return;
        app.exit(byStoreIt ? EXIT_BY_STORE_IT : 0);
      },
      (error: unknown) => {
        console.error('kassa: stopping the core failed', error);
        app.exit(1);
      },
    );
  }

  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    // Only the app's own pages: no navigation, redirect or frame elsewhere, no new windows, no webviews.
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('before-input-event', (event, input) => {
      if (!DEV && isBlockedShortcut(input)) event.preventDefault();
    });
  });

  // Kiosk: closing the last window does not quit (the windows refuse to close anyway).
  app.on('window-all-closed', () => {
    if (DEV) shutdown('last window closed (development)');
  });
  // Any quit not started by shutdown() (which uses app.exit and so never gets here) is refused in
  // kiosk mode; in development it goes through shutdown().
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    if (DEV) shutdown('quit (development)');
    else console.warn('kassa: quit refused: the kiosk exits only when store IT asks (IT PIN)');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => shutdown(signal));

  app.enableSandbox();
  app
    .whenReady()
    .then(() => {
      Menu.setApplicationMenu(null);
      // A till's screen never goes dark on its own.
      if (!DEV) powerSaveBlocker.start('prevent-display-sleep');

      const rendererDir = join(app.getAppPath(), 'dist', 'renderer');
      appFiles = loadAppFiles(rendererDir);
      if (appFiles.size === 0) console.error(`kassa: no lane UI in ${rendererDir} (run npm run build)`);
      protocol.handle(APP_SCHEME, (request) => {
        const { status, headers, body } = respondToAppRequest(appFiles, { url: request.url, method: request.method }, core?.port ?? null);
        return new Response(body, { status, headers });
      });

      const ses = session.defaultSession;
      ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
      ses.setPermissionCheckHandler(() => false);
      ses.setDevicePermissionHandler(() => false);
      // Defence in depth for anything served over http(s); the app's own responses carry the CSP already.
      ses.webRequest.onHeadersReceived((details, callback) => {
        callback({ responseHeaders: withCsp(details.responseHeaders, contentSecurityPolicy(core?.port ?? null)) });
      });

      supervisor.start();
      // Updates from HQ, installed only when signed by the release key (packaged builds only).
      if (app.isPackaged && !DEV) updates = startUpdates((line) => console.log(`[update] ${line}`), { version: app.getVersion(), channel: 'stable' }, systemClock);
      // A customer screen plugged in or out while the lane runs.
      screen.on('display-added', syncCustomerWindow);
      screen.on('display-removed', syncCustomerWindow);
    })
    .catch((error: unknown) => {
      console.error('kassa: startup failed', error);
      app.exit(1);
    });
}
