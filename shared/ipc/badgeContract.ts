import { z } from 'zod';
import { Id } from '../schemas/common';
import { BADGE_LAYOUTS } from './badgeLayouts';

export { BADGE_LAYOUTS, type BadgeLayout } from './badgeLayouts';

const BadgeTarget = z
  .object({
    stopId: Id,
    layout: z.enum(BADGE_LAYOUTS),
    /** Badges of these registrations; or, with `allPreregistered`, of everyone pre-registered or imported for the stop. */
    registrationIds: z.array(Id).max(5000).default([]),
    allPreregistered: z.boolean().default(false),
  })
  .refine((v) => v.allPreregistered || v.registrationIds.length > 0, { message: 'choose at least one badge', path: ['registrationIds'] });

export const BadgeData = z.object({
  registrationId: z.string(),
  latinName: z.string(),
  nameKo: z.string(),
  affiliation: z.string(),
  scanToken: z.string(),
  /** The QR code of the scan token: modules per side and an SVG path of the dark modules (same on screen, in print and in the PDF). */
  qrSize: z.number().int(),
  qrPath: z.string(),
});
export type BadgeData = z.infer<typeof BadgeData>;

export const badgeContract = {
  /** A PDF of the badges (base64), with an embedded font that has Hangul. */
  'badges:pdf': { input: BadgeTarget, output: z.object({ fileName: z.string(), base64: z.string(), count: z.number().int() }) },
  /** The badges' contents and QR codes, for the print view. */
  'badges:data': { input: BadgeTarget, output: z.object({ stopLabel: z.string(), badges: z.array(BadgeData) }) },
  /**
   * Prints the page (the print view of the badges is on screen). The desktop app prints through
   * Electron (electron/main/printing.ts); in browser mode this answers printed: false and the
   * page opens the browser's print dialog itself.
   */
  'badges:print': { input: z.object({ layout: z.enum(BADGE_LAYOUTS), silent: z.boolean().default(false) }), output: z.object({ printed: z.boolean() }) },
} as const;
