import { z } from 'zod';

/** The sheets of the tour spreadsheet (download the template at HQ, fill it, upload it). */
export const TOUR_SHEETS = ['Stops', 'Sessions', 'Institutions', 'Booths', 'Staff'] as const;
export type TourSheetName = (typeof TOUR_SHEETS)[number];

/** Why a cell was refused; each has a message in Korean and English (core/domain/tourSheetText.ts). */
export const TOUR_SHEET_PROBLEMS = [
  'unreadable',
  'missing_sheet',
  'missing_column',
  'required',
  'too_long',
  'unknown_time_zone',
  'bad_date',
  'date_outside_tour',
  'bad_time',
  'end_before_start',
  'unknown_kind',
  'unknown_stop',
  'unknown_institution',
  'duplicate',
  'sessions_overlap',
  'bad_number',
  'bad_email',
  'unknown_role',
  'needs_institution',
  'bad_plan',
  'bad_id',
  /** A row with the id of a session or booth of another stop: both stay at their stop (as the planning screens keep them). */
  'stop_changed',
] as const;
export type TourSheetProblemCode = (typeof TOUR_SHEET_PROBLEMS)[number];

export const TourSheetProblem = z.object({
  sheet: z.enum(TOUR_SHEETS),
  /** The spreadsheet's own row number (1 = header row), null for a problem of the whole sheet. */
  row: z.number().int().nullable(),
  /** The column's key (`timeZone`) and its letter (`F`), null for a problem of the whole row or sheet. */
  column: z.string().nullable(),
  cell: z.string().nullable(),
  code: z.enum(TOUR_SHEET_PROBLEMS),
  /** The cell's text as read (cut to 200 characters). */
  value: z.string(),
  /** Values the message names (the other row of a clash, the tour's dates, the allowed kinds…). */
  details: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type TourSheetProblem = z.infer<typeof TourSheetProblem>;

export const TourSheetCounts = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
});
export type TourSheetCounts = z.infer<typeof TourSheetCounts>;

/** What an upload would do (check) or did (apply): nothing is written while any problem is listed. */
export const TourSheetReport = z.object({
  ok: z.boolean(),
  tourId: z.string(),
  counts: z.record(z.enum(TOUR_SHEETS), TourSheetCounts),
  problems: z.array(TourSheetProblem),
  /** Events written (apply only; 0 for a re-upload of the same file). */
  written: z.number().int(),
});
export type TourSheetReport = z.infer<typeof TourSheetReport>;
