import { Id } from '../schemas/common';
import { StopBoothSettingsFields } from '../schemas/noShow';

/**
 * No-shows and expiring waitlist offers (issue #19). The no-show itself is an ordinary
 * `attendance_marked` (with `source: 'auto'` when the host's timer wrote it) and the pass to the next
 * person an ordinary `waitlist_offered`; only the stop's settings are new.
 */
export const noShowEvents = {
  /** Both settings of a stop together; the last writer by HLC wins, so every desk of the stop agrees. */
  stop_booth_settings_set: StopBoothSettingsFields.extend({ stopId: Id }),
} as const;
