import { z } from 'zod';
import { Id } from './common';

/** Minutes for a stop's booth timing settings: null switches the rule off. */
const Minutes = z.number().int().min(1).max(120).nullable();

/**
 * A stop's rules for no-shows and waitlist offers (issue #19). Off by default: without a setting a
 * booking is marked no-show only by hand and an offer waits until it is answered.
 */
export const StopBoothSettingsFields = z.object({
  /** Mark a booking no-show this many minutes into its slot when the person has not checked in at the stop. */
  autoNoShowMinutes: Minutes,
  /** A waitlist offer not answered within this many minutes expires and passes to the next person. */
  offerExpiryMinutes: Minutes,
});
export type StopBoothSettingsFields = z.infer<typeof StopBoothSettingsFields>;

export const StopBoothSettings = StopBoothSettingsFields.extend({
  stopId: Id,
  /** Who set them last and when (null: never set, the defaults). */
  setBy: z.string().nullable(),
  setAt: z.string().nullable(),
});
export type StopBoothSettings = z.infer<typeof StopBoothSettings>;

export const DEFAULT_STOP_BOOTH_SETTINGS: StopBoothSettingsFields = { autoNoShowMinutes: null, offerExpiryMinutes: null };
