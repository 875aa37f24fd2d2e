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
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};
