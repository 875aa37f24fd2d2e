import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../core/host/securityHeaders';
import { APP_ENTRY, handleApiInvoke, hardenWebContents, isAllowedIpcSender, webPreferencesFor, type WebContentsLike } from '../../electron/main/security';

class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' }) {
    this.openHandler = h;
  }
  /** Fires an event like Electron does and says whether a listener prevented it. */
  attempt(event: string, url?: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

describe('Electron hardening', () => {
  it('the window runs sandboxed, isolated, without Node, webviews or insecure content', () => {
    expect(webPreferencesFor('/p.cjs')).toEqual({
      preload: '/p.cjs',
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
    });
  });

  it('blocks navigation and redirects away from the app, webviews and every new window', () => {
    const c = new FakeContents();
    hardenWebContents(c as unknown as WebContentsLike);
    expect(c.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.attempt('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(c.attempt('will-navigate', 'app://renderer/index.html')).toBe(false);
    expect(c.attempt('will-attach-webview')).toBe(true);
    expect(c.openHandler?.({ url: 'app://renderer/index.html' })).toEqual({ action: 'deny' });
    expect(c.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('refuses IPC from a subframe, a navigated-away page or a missing frame, and never dispatches it', async () => {
    const main = { url: APP_ENTRY };
    let dispatched = 0;
    const dispatchFn = async () => {
      dispatched++;
      return { ok: true as const, value: 1 };
    };
    const ok = { senderFrame: main, sender: { mainFrame: main } };
    expect(isAllowedIpcSender(ok)).toBe(true);
    expect(await handleApiInvoke(ok, 'app:info', {}, dispatchFn)).toEqual({ ok: true, value: 1 });
    const subframe = { senderFrame: { url: APP_ENTRY }, sender: { mainFrame: main } };
    const foreign = { senderFrame: { url: 'https://evil.example/' }, sender: { mainFrame: { url: 'https://evil.example/' } } };
    foreign.sender.mainFrame = foreign.senderFrame;
    for (const bad of [subframe, foreign, { senderFrame: null, sender: { mainFrame: main } }]) {
      expect(await handleApiInvoke(bad, 'app:info', {}, dispatchFn)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    }
    expect(await handleApiInvoke(ok, 42, {}, dispatchFn)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(dispatched).toBe(1);
  });

  it('the CSP allows nothing remote: no inline or eval script, no framing, no plugins', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });
});
