import type { WebContents } from 'electron';
import type { BadgeLayout } from '../../shared/ipc/badgeContract';
import type { Result } from '../../shared/result';

/** Badge page sizes for Electron's printer dialog, in microns (A6, 4 × 3 in insert, 62 × 100 mm label). */
export const BADGE_PAGE_MICRONS: Record<BadgeLayout, { width: number; height: number }> = {
  a6: { width: 105_000, height: 148_000 },
  badge_4x3: { width: 101_600, height: 76_200 },
  label_62mm: { width: 62_000, height: 100_000 },
};

/**
 * Wraps the API dispatch of one window: `badges:print` goes through core first (input schema and
 * sign-in/role rules), then prints the page (its print stylesheet shows only the badges) with
 * webContents.print. Every other channel goes straight to core.
 */
export function withPrinting(sender: WebContents, dispatchFn: (channel: string, input: unknown) => Promise<Result<unknown>>) {
  return async (channel: string, input: unknown): Promise<Result<unknown>> => {
    const checked = await dispatchFn(channel, input);
    if (channel !== 'badges:print' || !checked.ok) return checked;
    const { layout, silent } = input as { layout: BadgeLayout; silent?: boolean };
    const pageSize = BADGE_PAGE_MICRONS[layout] ?? BADGE_PAGE_MICRONS.a6;
    return new Promise<Result<unknown>>((resolve) => {
      sender.print({ silent: silent === true, printBackground: true, pageSize, margins: { marginType: 'none' } }, (success, failureReason) => {
        // A cancelled dialog is not an error: nothing was printed.
        if (success || failureReason === 'cancelled' || failureReason === 'Print job canceled') resolve({ ok: true, value: { printed: success } });
        else resolve({ ok: false, error: { code: 'INTERNAL', message: `Printing failed: ${failureReason}` } });
      });
    });
  };
}
