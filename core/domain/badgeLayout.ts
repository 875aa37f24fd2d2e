import type { BadgeLayout } from '../../shared/ipc/badgeContract';

const MM = 72 / 25.4;

/** Page sizes in PDF points (1/72 in), portrait unless noted. */
export const BADGE_PAGE: Record<BadgeLayout, { width: number; height: number; margin: number }> = {
  a6: { width: 105 * MM, height: 148 * MM, margin: 10 * MM },
  badge_4x3: { width: 4 * 72, height: 3 * 72, margin: 0.2 * 72 },
  label_62mm: { width: 62 * MM, height: 100 * MM, margin: 4 * MM },
};

/** The same sizes for the print stylesheet (CSS @page). */
export const BADGE_CSS_PAGE: Record<BadgeLayout, string> = {
  a6: '105mm 148mm',
  badge_4x3: '4in 3in',
  label_62mm: '62mm 100mm',
};
