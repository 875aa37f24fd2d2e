import { app, BrowserWindow, ipcMain, protocol, safeStorage, session } from 'electron';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiContext } from '../../core/api/apiContext';
import { dispatch } from '../../core/api/dispatch';
import { bootstrap } from '../../core/host/bootstrap';
import { lazyHubHost } from '../../core/host/lazyHubHost';
import { SECURITY_HEADERS } from '../../core/host/securityHeaders';
import { API_CHANNEL } from '../preload/apiChannel';
import { loadStoreKey } from './keyStore';
import { startUpdater } from './updater';
import { withPrinting } from './printing';
import { APP_ENTRY, APP_SCHEME, MIME_TYPES, handleApiInvoke, hardenWebContents, isPermissionAllowed, resolveAppFile, webPreferencesFor } from './security';
import { loadWindowState, saveWindowState } from './windowState';

/** The desktop shell: lifecycle, one hardened window, IPC wired to core/api. Logic lives in core/. */
const appRoot = app.getAppPath();
const rendererDir = path.join(appRoot, 'dist', 'renderer');
let win: BrowserWindow | null = null;
let shutdownStore: (() => void) | null = null;

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  void app.whenReady().then(start);
}

function start(): void {
  const userData = app.getPath('userData');
  // The store key lives in the OS key store (Keychain, DPAPI, libsecret) via safeStorage.
  const { key } = loadStoreKey(userData, safeStorage);
  // The venue hub, when the stop lead starts it from the Sync screen: the HQ server program, its log encrypted with the store's key.
  // Loaded when first started (core/host/lazyHubHost.ts), as in browser mode: a desk that never serves a hub
  // does not load the HQ server's code (Fastify, TLS, its admin store) while the window opens.
  const hubHost = lazyHubHost(async () => {
    const { EmbeddedHub } = await import('../../hq/server/hub/embeddedHub');
    return new EmbeddedHub({ dir: path.join(userData, 'hub'), key });
  });
  const boot = bootstrap({ dataDir: userData, resourcesDir: path.join(appRoot, 'resources'), mode: 'electron', version: app.getVersion(), key, hubHost });
  const ctx: ApiContext = boot.ctx;
  // Updates (core/update): checked in the background, announced in the window, installed on restart.
  const updater = startUpdater();
  ctx.updates = updater;
  shutdownStore = () => {
    updater.stop();
    boot.shutdown();
  };

  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, { headers: { 'content-type': MIME_TYPES[path.extname(file)] ?? 'application/octet-stream', ...SECURITY_HEADERS } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });

  session.defaultSession.setPermissionRequestHandler((wc, permission, callback) => callback(isPermissionAllowed(permission, wc.getURL())));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [SECURITY_HEADERS['Content-Security-Policy']!] } });
  });

  // Only our own top-level page may call the API (rules and tests in ./security.ts).
  ipcMain.handle(API_CHANNEL, (event, channel: unknown, input: unknown) =>
    handleApiInvoke(event, channel, input, withPrinting(event.sender, (c, i) => dispatch(c, i, ctx))),
  );

  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));

  createWindow(userData);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(userData);
  });
}

function createWindow(userData: string): void {
  const state = loadWindowState(userData);
  win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 900,
    minHeight: 600,
    title: 'Roadshow Desk',
    show: false,
    webPreferences: webPreferencesFor(path.join(appRoot, 'dist', 'electron', 'preload.cjs')),
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win?.show());
  const persist = (): void => {
    if (!win || win.isDestroyed()) return;
    saveWindowState(userData, { ...win.getNormalBounds(), maximized: win.isMaximized() });
  };
  win.on('close', persist);
  void win.loadURL(APP_ENTRY);
}

app.on('window-all-closed', () => {
  shutdownStore?.();
  shutdownStore = null;
  if (process.platform !== 'darwin') app.quit();
});
