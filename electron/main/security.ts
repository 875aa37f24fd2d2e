import path from 'node:path';

/**
 * The hardening rules of the desktop shell, free of `electron` imports so tests check them under
 * plain Node (test/electron/security.test.ts).
 */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://renderer`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export function webPreferencesFor(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
  } as const;
}

/** Only our own bundled pages may call the API or be navigated to. */
export function isTrustedUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'renderer';
  } catch {
    return false;
  }
}

/** Maps an app:// URL to a file inside the renderer folder; null for anything that escapes it. */
export function resolveAppFile(rendererDir: string, url: string): string | null {
  if (!isTrustedUrl(url)) return null;
  const pathname = decodeURIComponent(new URL(url).pathname);
  const rel = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

/** The one permission the renderer may get: the camera, for QR scanning, from our own origin. */
export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return permission === 'media' && isTrustedUrl(requestingUrl);
}

export const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

/** What an IPC event tells about its sender (a subset of Electron's IpcMainInvokeEvent). */
export interface IpcSenderLike {
  senderFrame: { url: string } | null | undefined;
  sender: { mainFrame: unknown };
}

/** Only our own top-level page may call the API: not a navigated-away frame, not a subframe, not another origin. */
export function isAllowedIpcSender(event: IpcSenderLike): boolean {
  const frame = event.senderFrame;
  return !!frame && frame === event.sender.mainFrame && isTrustedUrl(frame.url);
}

/**
 * The body of the single IPC handler: refuse an unexpected sender or a non-string channel,
 * otherwise hand the call to core/api's dispatch. Never throws across IPC.
 */
export async function handleApiInvoke<R>(
  event: IpcSenderLike,
  channel: unknown,
  input: unknown,
  dispatchFn: (channel: string, input: unknown) => Promise<R>,
): Promise<R | { ok: false; error: { code: 'FORBIDDEN_SENDER' | 'UNKNOWN_CHANNEL'; message: string } }> {
  if (!isAllowedIpcSender(event)) return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'Refused: unexpected sender' } };
  if (typeof channel !== 'string') return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Channel must be a string' } };
  return dispatchFn(channel, input);
}

/** The parts of Electron's WebContents the navigation guards use (so tests can pass a fake). */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (e: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (e: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** Every web contents: no navigation or redirect away from app://renderer, no webviews, no new windows. */
export function hardenWebContents(contents: WebContentsLike): void {
  contents.on('will-navigate', (e, url) => {
    if (!isTrustedUrl(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!isTrustedUrl(url)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
