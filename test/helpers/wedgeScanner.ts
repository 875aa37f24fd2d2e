import type { Page } from 'playwright-core';

/**
 * A USB keyboard-wedge scanner: the code's keys a few milliseconds apart, then Enter, with no field
 * focused. The key events carry their own hardware-like timestamps (CDP `Input.dispatchKeyEvent`
 * `timestamp`), as a real scanner's do: the page tells a scan from typing by those, not by how fast
 * a busy test machine happens to deliver them (Playwright's keyboard.type waits for each key's work).
 */
export async function scanWithWedge(page: Page, code: string, gapMs = 8): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document.activeElement?.blur?.());
  const cdp = await page.context().newCDPSession(page);
  try {
    const t0 = Date.now() / 1000;
    const chars = [...code, '\r'];
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      const at = t0 + (i * gapMs) / 1000;
      const key = c === '\r' ? 'Enter' : c;
      const keyCode = c === '\r' ? 13 : c === '-' ? 189 : c.toUpperCase().charCodeAt(0);
      const physical = c === '\r' ? 'Enter' : /[a-z]/i.test(c) ? `Key${c.toUpperCase()}` : /\d/.test(c) ? `Digit${c}` : c === '-' ? 'Minus' : '';
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code: physical, text: c, unmodifiedText: c, windowsVirtualKeyCode: keyCode, timestamp: at });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code: physical, windowsVirtualKeyCode: keyCode, timestamp: at + 0.002 });
    }
  } finally {
    await cdp.detach();
  }
}
