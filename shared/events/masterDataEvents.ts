import { Booth, Institution, Stop, StopSession, Tour } from '../schemas/masterData';

/** Master data is written by HQ (or imported at a desk) and reaches laptops by pull. Last writer by HLC wins. */
export const masterDataEvents = {
  tour_upserted: Tour,
  stop_upserted: Stop,
  institution_upserted: Institution,
  booth_upserted: Booth,
  /** A session of a stop's programme; cancelling is an upsert with `cancelled: true`. */
  stop_session_upserted: StopSession,
} as const;
