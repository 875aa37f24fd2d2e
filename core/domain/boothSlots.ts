import type { BoothPlanFields } from '../../shared/schemas/booths';

/**
 * Slot rules of a booth plan. Pure functions of (plan, stop date, stop time zone): times are the
 * stop's wall clock, instants are UTC. Slots are laid out on real elapsed time, so on a
 * daylight-saving day a 15-minute slot lasts 15 minutes even when the wall clock jumps: the
 * repeated hour of a fall-back day gets its slots twice, the skipped hour of a spring-forward
 * day gets none.
 */
export interface Slot {
  /** UTC instants, ISO-8601 with milliseconds and Z. */
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  /** Wall-clock labels in the stop's time zone. */
  localStart: string;
  localEnd: string;
}

export type PlanProblem =
  | 'end_before_start'
  | 'break_outside_hours'
  | 'break_end_before_start'
  | 'breaks_overlap'
  | 'no_slots';

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function wallParts(ms: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

/** The zone's offset from UTC at an instant, in ms (New York in summer: -4 h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = wallParts(ms, timeZone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The UTC instant of a wall-clock time on a date in a zone. A time that occurs twice (fall back)
 * is its first occurrence; a time that does not exist (spring forward) is moved forward by the
 * gap (02:30 → 03:30), as a wall clock would show it.
 */
export function zonedToUtcMs(date: string, hhmm: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d) + minutesOf(hhmm) * 60_000;
  const before = zoneOffsetMs(naive - 36 * 3600_000, timeZone);
  const after = zoneOffsetMs(naive + 36 * 3600_000, timeZone);
  const candidates = [...new Set([before, after, zoneOffsetMs(naive, timeZone)])]
    .map((off) => naive - off)
    .filter((t) => zoneOffsetMs(t, timeZone) === naive - t);
  if (candidates.length > 0) return Math.min(...candidates);
  return naive - before;
}

/** "HH:MM" of an instant in a zone. */
export function localTimeOf(ms: number, timeZone: string): string {
  const p = wallParts(ms, timeZone);
  return `${String(p.hour! % 24).padStart(2, '0')}:${String(p.minute!).padStart(2, '0')}`;
}

/** The local calendar date ("YYYY-MM-DD") of an instant in a zone. */
export function localDateOf(ms: number, timeZone: string): string {
  const p = wallParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

type PlanShape = Pick<BoothPlanFields, 'startTime' | 'endTime' | 'slotMinutes' | 'breaks'>;

/** What is wrong with a plan, if anything (hours, breaks, at least one slot). */
export function planProblem(plan: PlanShape): PlanProblem | null {
  const start = minutesOf(plan.startTime);
  const end = minutesOf(plan.endTime);
  if (end <= start) return 'end_before_start';
  const breaks = [...plan.breaks].map((b) => ({ s: minutesOf(b.start), e: minutesOf(b.end) })).sort((a, b) => a.s - b.s);
  for (const b of breaks) {
    if (b.e <= b.s) return 'break_end_before_start';
    if (b.s < start || b.e > end) return 'break_outside_hours';
  }
  for (let i = 1; i < breaks.length; i++) if (breaks[i]!.s < breaks[i - 1]!.e) return 'breaks_overlap';
  // Checked on wall minutes: the time zone only shifts instants, it never creates a plan problem.
  if (generateSlotsUtc(plan, (mm) => Date.UTC(2001, 0, 1) + mm * 60_000).length === 0) return 'no_slots';
  return null;
}

function generateSlotsUtc(plan: PlanShape, toUtc: (minutes: number) => number): { s: number; e: number }[] {
  const start = toUtc(minutesOf(plan.startTime));
  const end = toUtc(minutesOf(plan.endTime));
  const breaks = plan.breaks
    .map((b) => ({ s: toUtc(minutesOf(b.start)), e: toUtc(minutesOf(b.end)) }))
    .filter((b) => b.e > b.s)
    .sort((a, b) => a.s - b.s);
  const len = plan.slotMinutes * 60_000;
  const out: { s: number; e: number }[] = [];
  let cursor = start;
  while (cursor + len <= end) {
    const hit = breaks.find((b) => cursor < b.e && b.s < cursor + len);
    if (hit) {
      // Slots resume at the end of the break, aligned to it.
      cursor = Math.max(cursor + 1, hit.e);
      continue;
    }
    out.push({ s: cursor, e: cursor + len });
    cursor += len;
  }
  return out;
}

/** The slots of a plan on the stop's date, in its time zone. */
export function generateSlots(plan: PlanShape, date: string, timeZone: string): Slot[] {
  const cache = new Map<number, number>();
  const toUtc = (minutes: number): number => {
    let v = cache.get(minutes);
    if (v === undefined) {
      const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      v = zonedToUtcMs(date, hhmm, timeZone);
      cache.set(minutes, v);
    }
    return v;
  };
  return generateSlotsUtc(plan, toUtc).map(({ s, e }) => ({
    start: new Date(s).toISOString(),
    end: new Date(e).toISOString(),
    startMs: s,
    endMs: e,
    localStart: localTimeOf(s, timeZone),
    localEnd: localTimeOf(e, timeZone),
  }));
}

/** Two half-open intervals [aStart, aEnd) and [bStart, bEnd) share time. ISO strings compare as instants. */
export const overlaps = (aStart: string, aEnd: string, bStart: string, bEnd: string): boolean => aStart < bEnd && bStart < aEnd;

/**
 * Booth locations like "B03" or "Hall A-12": booths in different rows (letter prefix) or more than
 * `near` numbers apart are "distant" — back-to-back bookings there deserve a warning.
 */
export function boothsAreDistant(a: string, b: string, near = 4): boolean {
  const parse = (s: string) => {
    const m = /^\s*(.*?)[\s-]*(\d+)\s*$/.exec(s);
    return m ? { row: m[1]!.trim().toUpperCase(), n: Number(m[2]) } : null;
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return a.trim() !== '' && b.trim() !== '' && a.trim().toUpperCase() !== b.trim().toUpperCase();
  return pa.row !== pb.row || Math.abs(pa.n - pb.n) > near;
}
