import { useEffect } from 'react';

/** The shortcut that focuses the search box from anywhere on the desk (⌘F on a Mac). Documented in the README. */
export const SEARCH_SHORTCUT = { key: 'f', code: 'KeyF', aria: 'Control+F Meta+F' } as const;

/**
 * Elements that own the keys typed while they have focus: fields, buttons (Space presses them),
 * links, menus, tabs… A key typed while one of these has focus is left to it.
 */
const KEY_OWNERS = [
  'input',
  'textarea',
  'select',
  'button',
  'a[href]',
  'summary',
  '[contenteditable=""]',
  '[contenteditable="true"]',
  ...['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'combobox', 'textbox', 'slider', 'spinbutton', 'listbox', 'menu', 'grid', 'tree', 'dialog', 'alertdialog'].map(
    (r) => `[role="${r}"]`,
  ),
].join(', ');

function searchBox(): HTMLInputElement | null {
  const el = document.querySelector('input[data-scan-field]');
  return el instanceof HTMLInputElement && !el.disabled && !el.readOnly ? el : null;
}

/** No field, button or other control has the keyboard: the page itself does (or a plain element clicked on). */
function noKeyOwner(active: Element | null): boolean {
  if (!active || active === document.body || active === document.documentElement) return true;
  return active.closest(KEY_OWNERS) === null;
}

/**
 * Type-to-search for the check-in desk: a printable key typed while no field (or other control)
 * has focus goes into the search box (the box marked `data-scan-field`) instead of being lost;
 * Space no longer scrolls the page but puts the caret in the search box; Ctrl+F (⌘F) focuses the
 * search box from anywhere, its text selected. Scanner bursts keep working: `useWedgeScanner`
 * recognises them whether their keys land in the page or in the search box.
 *
 * The first key of a new search replaces a stale query (its text is selected when the box takes
 * the focus), as in a browser's address bar. The key is not re-typed by hand: the box is focused
 * during the keydown, so the browser delivers the character (and an IME its composition) to it.
 */
export function useTypeToSearch(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const box = searchBox();
    box?.setAttribute('aria-keyshortcuts', SEARCH_SHORTCUT.aria);
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.isComposing) return;
      const search = searchBox();
      if (!search) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key.toLowerCase() === SEARCH_SHORTCUT.key || e.code === SEARCH_SHORTCUT.code)) {
        // Also from another field of the screen; the browser's own find bar has nothing to find on a desk.
        e.preventDefault();
        search.focus();
        search.select();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const printable = [...e.key].length === 1;
      if (!printable || !noKeyOwner(document.activeElement)) return;
      if (e.key === ' ') {
        // Space would scroll the page: it only brings the caret to the search box.
        e.preventDefault();
        search.focus();
        const end = search.value.length;
        search.setSelectionRange(end, end);
        return;
      }
      search.focus();
      search.select();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
