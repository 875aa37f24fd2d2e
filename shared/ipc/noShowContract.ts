import { z } from 'zod';
import { Id } from '../schemas/common';
import { StopBoothSettings, StopBoothSettingsFields } from '../schemas/noShow';

/** A stop's no-show and waitlist-offer rules (issue #19): read by every desk, set by the stop lead. */
export const noShowContract = {
  'noshow:settings': { input: z.object({ stopId: Id }), output: StopBoothSettings },
  'noshow:setSettings': { input: StopBoothSettingsFields.extend({ stopId: Id }), output: StopBoothSettings },
} as const;
