import { useEffect, useRef } from 'react';
import { WedgeDetector } from './wedgeDetector';

/** Marks the page's own performance timeline: scanner Enter → confirmation on screen (read by the e2e test). */
export const SCAN_ENTER_MARK = 'scan:enter';
export const SCAN_SHOWN_MARK = 'scan:shown';
export const SCAN_MEASURE = 'scan:enter-to-confirmation';

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'number', 'password', 'tel', 'url', 'date', 'time', 'datetime-local']);

/**
 * Listens for a keyboard-wedge scanner anywhere on the screen, without a focused field: fast key
 * bursts ending in Enter. Keys typed into other inputs (forms, dialogs) are left alone, except
 * fields marked `data-scan-field` (the search box), where a scan is taken over too.
 */
export function useWedgeScanner(onScan: (code: string, fromField: boolean) => void, enabled: boolean): void {
  const detector = useRef(new WedgeDetector());
  /** Whether the burst in progress began outside the search box (its keys then land in the box: see useTypeToSearch). */
  const startedOutside = useRef(false);
  const handler = useRef(onScan);
  handler.current = onScan;

  useEffect(() => {
    if (!enabled) return;
    const d = detector.current;
    const onKeyDown = (e: KeyboardEvent): void => {
      const target = e.target instanceof HTMLElement ? e.target : null;
      // Fields a person types into are theirs; radios, checkboxes and buttons do not stop a scan.
      const editable =
        target !== null &&
        (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || (target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type)));
      const scanField = target !== null && target.closest('[data-scan-field]') !== null;
      if (editable && !scanField) {
        d.reset();
        return;
      }
      if (e.ctrlKey || e.altKey || e.metaKey) {
        d.reset();
        return;
      }
      if (d.pending === 0) startedOutside.current = !scanField;
      const code = d.key({ key: e.key, code: e.code, shiftKey: e.shiftKey, time: e.timeStamp });
      if (code === null) return;
      // Typed in the search box, a fast typist's "kim minjun⏎" must stay a search: codes have digits, names do not.
      // A burst that began outside any field is a scanner's, even when its keys were sent on to the search box.
      if (scanField && (/\s/.test(code) || (!startedOutside.current && !/\d/.test(code)))) return;
      e.preventDefault();
      e.stopPropagation();
      performance.clearMarks(SCAN_ENTER_MARK);
      performance.clearMarks(SCAN_SHOWN_MARK);
      performance.mark(SCAN_ENTER_MARK);
      handler.current(code, scanField);
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      d.reset();
    };
  }, [enabled]);
}

/** Called when the confirmation of a scan is on screen: closes the measure the e2e test reads. */
export function markScanShown(): void {
  if (performance.getEntriesByName(SCAN_ENTER_MARK, 'mark').length === 0) return;
  performance.mark(SCAN_SHOWN_MARK);
  performance.measure(SCAN_MEASURE, SCAN_ENTER_MARK, SCAN_SHOWN_MARK);
  performance.clearMarks(SCAN_ENTER_MARK);
}
