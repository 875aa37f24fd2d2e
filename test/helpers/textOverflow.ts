import type { Page } from 'playwright-core';

/** A visible piece of text the user cannot read whole: cut off by its own box or by a clipping ancestor. */
export interface ClippedText {
  /** The element's own text (its direct text nodes), shortened for the report. */
  text: string;
  /** A CSS-like path to the element (tag.class#id > …), to find it in the screenshot and the source. */
  where: string;
  /** 'own box' (ellipsis, overflow hidden, line clamp), 'ancestor' (a box with overflow hidden/clip cuts it) or 'window' (past its edges). */
  how: 'own box' | 'ancestor' | 'window';
  detail: string;
}

/**
 * Every visible element with text of its own (direct text nodes) whose text does not fit: its
 * scrollWidth/scrollHeight exceeds its box (by more than 1 px) while its overflow hides the rest
 * (hidden, clip, an ellipsis or a line clamp), or the text's rendered rectangle reaches outside an
 * ancestor whose overflow is hidden or clip, or past the window's left or right edge. Scrollable boxes (auto, scroll) are not clipping: the
 * rest is a scroll away. Text meant to be shortened can opt out with `data-clip-ok` on the element
 * or an ancestor (then the full text must be reachable another way, e.g. a title or a detail view).
 */
export async function findClippedText(page: Page): Promise<ClippedText[]> {
  return page.evaluate(() => {
    // Runs in the page: DOM types come from the page, not from this file's (node) compilation.
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const doc = (globalThis as any).document;
    const win = globalThis as any;
    const out: { text: string; where: string; how: 'own box' | 'ancestor' | 'window'; detail: string }[] = [];
    const TEXT_NODE = 3;
    const hides = (v: string) => v === 'hidden' || v === 'clip';
    const describe = (el: any): string => {
      const parts: string[] = [];
      for (let e = el; e && e !== doc.body && parts.length < 4; e = e.parentElement) {
        const cls = typeof e.className === 'string' ? e.className.trim().split(/\s+/).filter(Boolean).slice(0, 2).join('.') : '';
        parts.unshift(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${cls ? `.${cls}` : ''}`);
      }
      return parts.join(' > ');
    };
    const visible = (el: any): boolean => {
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) return false;
      for (let e = el; e; e = e.parentElement) {
        const cs = win.getComputedStyle(e);
        if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
        // Visually hidden text for screen readers (1 px boxes, clip rects) is not meant to be seen.
        if (cs.clip && cs.clip !== 'auto') return false;
        if (cs.clipPath && cs.clipPath !== 'none' && cs.position === 'absolute') return false;
        if (e.getAttribute && e.getAttribute('aria-hidden') === 'true') return false;
      }
      return true;
    };
    const elements = doc.body.querySelectorAll('*');
    for (const el of elements) {
      if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'svg', 'SVG'].includes(el.tagName)) continue;
      const textNodes = [...el.childNodes].filter((n: any) => n.nodeType === TEXT_NODE && n.textContent.trim() !== '');
      if (textNodes.length === 0) continue;
      if (el.closest('[data-clip-ok]')) continue;
      if (!visible(el)) continue;
      const text = textNodes.map((n: any) => n.textContent.trim()).join(' ').slice(0, 80);
      const cs = win.getComputedStyle(el);
      const clampsX = hides(cs.overflowX) || cs.textOverflow === 'ellipsis';
      const clampsY = hides(cs.overflowY) || (cs.webkitLineClamp && cs.webkitLineClamp !== 'none');
      if (clampsX && el.scrollWidth > el.clientWidth + 1) {
        out.push({ text, where: describe(el), how: 'own box', detail: `scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}` });
        continue;
      }
      if (clampsY && el.scrollHeight > el.clientHeight + 1) {
        out.push({ text, where: describe(el), how: 'own box', detail: `scrollHeight ${el.scrollHeight} > clientHeight ${el.clientHeight}` });
        continue;
      }
      // The text's own rectangle against every clipping ancestor's box.
      const range = doc.createRange();
      let rect: { left: number; right: number; top: number; bottom: number } | null = null;
      for (const n of textNodes) {
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) {
          if (r.width === 0 && r.height === 0) continue;
          rect = rect
            ? { left: Math.min(rect.left, r.left), right: Math.max(rect.right, r.right), top: Math.min(rect.top, r.top), bottom: Math.max(rect.bottom, r.bottom) }
            : { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }
      }
      if (!rect) continue;
      // Past the window's edges (an absolutely placed label, a row wider than the window).
      const vw = doc.documentElement.clientWidth;
      if (rect.right > vw + 1 || rect.left < -1) {
        out.push({ text, where: describe(el), how: 'window', detail: `text ${Math.round(rect.left)}–${Math.round(rect.right)} outside the window 0–${vw}` });
        continue;
      }
      for (let a = el.parentElement; a && a !== doc.documentElement; a = a.parentElement) {
        const acs = win.getComputedStyle(a);
        // Inside a scrolling box the rest is a scroll away (Mantine's ScrollArea: a scrolling viewport in a hidden root).
        if (['auto', 'scroll'].includes(acs.overflowX) || ['auto', 'scroll'].includes(acs.overflowY)) break;
        const hx = hides(acs.overflowX);
        const hy = hides(acs.overflowY);
        if (!hx && !hy) continue;
        const box = a.getBoundingClientRect();
        const left = box.left + a.clientLeft;
        const top = box.top + a.clientTop;
        const right = left + a.clientWidth;
        const bottom = top + a.clientHeight;
        const cutX = hx && (rect.left < left - 1 || rect.right > right + 1);
        const cutY = hy && (rect.top < top - 1 || rect.bottom > bottom + 1);
        if (cutX || cutY) {
          out.push({
            text,
            where: describe(el),
            how: 'ancestor',
            detail: `text ${Math.round(rect.left)}–${Math.round(rect.right)} × ${Math.round(rect.top)}–${Math.round(rect.bottom)} outside ${describe(a)} ${Math.round(left)}–${Math.round(right)} × ${Math.round(top)}–${Math.round(bottom)}`,
          });
          break;
        }
      }
    }
    return out;
  });
}

/** One line per offender, for a failing assertion's message. */
export function describeClipped(list: readonly ClippedText[]): string {
  return list.map((c) => `“${c.text}” (${c.how}: ${c.detail}) at ${c.where}`).join('\n');
}
