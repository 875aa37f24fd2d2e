import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY, isPermissionAllowed, isTrustedUrl, resolveAppFile, webPreferencesFor } from '../../electron/main/security';

describe('Electron hardening rules', () => {
  it('isolates the renderer: context isolation, sandbox, no Node', () => {
    const prefs = webPreferencesFor('/app/preload.cjs');
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
  });

  it('trusts only the bundled app:// pages', () => {
    expect(isTrustedUrl(APP_ENTRY)).toBe(true);
    expect(isTrustedUrl('app://renderer/assets/x.js')).toBe(true);
    for (const url of ['https://example.com', 'file:///etc/passwd', 'app://evil/index.html', 'http://127.0.0.1:3000/', 'javascript:alert(1)', '', null]) {
      expect(isTrustedUrl(url)).toBe(false);
    }
  });

  it('never serves a file outside the renderer folder', () => {
    const root = path.resolve('/srv/renderer');
    expect(resolveAppFile(root, 'app://renderer/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://renderer/')).toBe(path.join(root, 'index.html'));
    // The URL parser folds dot segments first, so a climb stays inside the folder…
    expect(resolveAppFile(root, 'app://renderer/%2e%2e/%2e%2e/etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    // …and an encoded slash that would climb after decoding is refused.
    expect(resolveAppFile(root, 'app://renderer/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
  });

  it('grants the camera to our own page only, and nothing else', () => {
    expect(isPermissionAllowed('media', APP_ENTRY)).toBe(true);
    expect(isPermissionAllowed('media', 'https://example.com')).toBe(false);
    expect(isPermissionAllowed('geolocation', APP_ENTRY)).toBe(false);
    expect(isPermissionAllowed('notifications', APP_ENTRY)).toBe(false);
  });
});
