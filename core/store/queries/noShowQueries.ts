import { DEFAULT_STOP_BOOTH_SETTINGS, type StopBoothSettings } from '../../../shared/schemas/noShow';
import type { Db } from '../sqlite';

interface SettingsRow {
  stop_id: string;
  auto_no_show_minutes: number | null;
  offer_expiry_minutes: number | null;
  set_by: string | null;
  set_at: string | null;
}

/** The person has an effective check-in at the booking's stop (same rule as the booth schedule's badge). */
const CHECKED_IN = `EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = b.registration_id
  AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id))`;

/** What the no-show rules of issue #19 read: each stop's settings and the bookings due for an automatic no-show. */
export function createNoShowQueries(db: Db) {
  const settings = db.prepare<[string], SettingsRow>('SELECT * FROM stop_booth_settings WHERE stop_id = ?');
  const withRules = db.prepare<[], { stop_id: string }>(
    'SELECT stop_id FROM stop_booth_settings WHERE auto_no_show_minutes IS NOT NULL OR offer_expiry_minutes IS NOT NULL ORDER BY stop_id',
  );
  // Slot times are stored as canonical ISO strings (boothProjection), so they compare as text.
  const due = db.prepare<[{ stopId: string; startedBy: string; now: string }], { booking_id: string }>(`
    SELECT b.booking_id FROM bookings b
    WHERE b.stop_id = @stopId AND b.made_hlc IS NOT NULL AND b.cancelled_hlc IS NULL AND b.attendance = 'pending'
      AND b.source <> 'walk_up' AND b.slot_start <= @startedBy AND b.slot_end > @now AND NOT ${CHECKED_IN}
    ORDER BY b.slot_start, b.booking_id`);
  return {
    settings(stopId: string): StopBoothSettings {
      const r = settings.get(stopId);
      if (!r) return { stopId, ...DEFAULT_STOP_BOOTH_SETTINGS, setBy: null, setAt: null };
      return { stopId, autoNoShowMinutes: r.auto_no_show_minutes, offerExpiryMinutes: r.offer_expiry_minutes, setBy: r.set_by, setAt: r.set_at };
    },
    /** Stops with at least one rule switched on. */
    stopsWithRules: (): string[] => withRules.all().map((r) => r.stop_id),
    /**
     * Bookings still pending `minutes` into their slot (and the slot not over) whose person has not
     * checked in at the stop: what the automatic no-show marks.
     */
    dueNoShows(stopId: string, nowMs: number, minutes: number): string[] {
      return due.all({ stopId, startedBy: new Date(nowMs - minutes * 60_000).toISOString(), now: new Date(nowMs).toISOString() }).map((r) => r.booking_id);
    },
  };
}
