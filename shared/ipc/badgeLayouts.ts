// Without zod: the page's first code (the check-in screen) needs the sizes, not the schemas.

/** Badge and label sizes: A6 sheet (105 × 148 mm), 4 × 3 in badge insert, 62 mm continuous label roll (62 × 100 mm). */
export const BADGE_LAYOUTS = ['a6', 'badge_4x3', 'label_62mm'] as const;
export type BadgeLayout = (typeof BADGE_LAYOUTS)[number];
