import { createHash } from 'node:crypto';
import type { EventPayload } from '../../shared/events/eventTypes';
import type { BoothBreak, BoothPlanFields } from '../../shared/schemas/booths';
import { Id, isEmail } from '../../shared/schemas/common';
import type { Booth, Institution, Stop, StopSession, Tour } from '../../shared/schemas/masterData';
import { STAFF_ROLES, type StaffRole, type StaffView } from '../../shared/schemas/staff';
import {
  TOUR_SHEETS,
  type TourSheetCounts,
  type TourSheetName,
  type TourSheetProblem,
  type TourSheetProblemCode,
} from '../../shared/schemas/tourSheet';
import { VOCAB_LABELS } from '../../shared/vocabLabels';
import {
  INSTITUTION_KINDS,
  RESEARCH_FIELDS,
  SESSION_KINDS,
  STOP_KINDS,
  type InstitutionKind,
  type Language,
  type ResearchField,
  type SessionKind,
  type StopKind,
} from '../../shared/vocab';
import { minutesOf, planProblem } from './boothSlots';
import {
  BOOLEAN_LABELS,
  INSTITUTION_KIND_LABELS,
  SESSION_KIND_LABELS,
  STAFF_ROLE_LABELS,
  STOP_KIND_LABELS,
} from './tourSheetText';

/**
 * The tour spreadsheet's rules (issue #18): rows of cell text in, every bad cell and the upserts that
 * differ from the current state out. Pure: the reader (core/export/tourSheetXlsx.ts) turns a workbook
 * into rows, the handler (core/api/tourSheetHandlers.ts) reads the state and writes the events.
 *
 * Why "only what differs": HQ re-uploads the same file after fixing one cell; writing every row again
 * would put hundreds of events in every desk's sync for nothing, and a last-writer-wins projection would
 * let a stale file silently undo a stop lead's change made in the meantime on rows nobody touched.
 */

// ---------------------------------------------------------------------------------------------------
// Columns

export type TourSheetCellType = 'text' | 'date' | 'time';
export interface TourSheetColumn {
  key: string;
  /** How the reader turns a typed Excel value (Date, number) into text. */
  type: TourSheetCellType;
  /** The column must be in the header row and its cells filled. */
  required: boolean;
}

const col = (key: string, required = false, type: TourSheetCellType = 'text'): TourSheetColumn => ({ key, type, required });

export const TOUR_SHEET_COLUMNS: Record<TourSheetName, readonly TourSheetColumn[]> = {
  Stops: [col('id'), col('round', true), col('city', true), col('cityKo'), col('venue'), col('campus'), col('date', true, 'date'), col('timeZone', true), col('kind', true)],
  Sessions: [
    col('id'),
    col('stop', true),
    col('kind', true),
    col('title', true),
    col('titleKo'),
    col('startTime', true, 'time'),
    col('endTime', true, 'time'),
    col('room'),
    col('capacity'),
    col('cancelled'),
  ],
  Institutions: [col('id'), col('shortName', true), col('name', true), col('nameKo'), col('kind', true), col('programs'), col('contactName'), col('contactEmail')],
  Booths: [
    col('id'),
    col('stop', true),
    col('institution', true),
    col('location'),
    col('staff'),
    col('startTime', false, 'time'),
    col('endTime', false, 'time'),
    col('slotMinutes'),
    col('capacity'),
    col('breaks'),
    col('fields'),
    col('removed'),
  ],
  Staff: [col('id'), col('name', true), col('role', true), col('institution'), col('stops')],
};

// ---------------------------------------------------------------------------------------------------
// Input, state, output

export interface TourSheetRow {
  /** The spreadsheet's row number (the header is row 1 in the template). */
  row: number;
  /** Cell text by column key, as read (the rules trim it). */
  cells: Readonly<Record<string, string>>;
}
export interface TourSheetData {
  /** Column key → column letter, for the columns the header row has. */
  columns: Readonly<Record<string, string>>;
  rows: readonly TourSheetRow[];
  /** The header row's number (1 unless rows above it were left blank). */
  headerRow?: number;
}
/** A sheet missing from the workbook is absent here. */
export type TourSheetInput = Partial<Record<TourSheetName, TourSheetData>>;

/** Deactivated people are in the state too (a row naming one updates them, it does not make a namesake); the export leaves them out. */
export type StaffProfile = Pick<StaffView, 'id' | 'name' | 'role' | 'institutionId' | 'stopIds' | 'active'>;
export type BoothWithPlan = Booth & { plan: BoothPlanFields | null };

/** The current state the sheet is compared with (the tour's stops, their sessions and booths; all institutions and staff). */
export interface TourSheetState {
  tour: Tour;
  stops: readonly Stop[];
  institutions: readonly Institution[];
  sessions: readonly StopSession[];
  booths: readonly BoothWithPlan[];
  staff: readonly StaffProfile[];
}

export type TourSheetChange =
  | { type: 'stop_upserted'; payload: EventPayload<'stop_upserted'>; stopId: string }
  | { type: 'institution_upserted'; payload: EventPayload<'institution_upserted'>; stopId: null }
  | { type: 'stop_session_upserted'; payload: EventPayload<'stop_session_upserted'>; stopId: string }
  | { type: 'booth_upserted'; payload: EventPayload<'booth_upserted'>; stopId: string }
  | { type: 'booth_plan_set'; payload: EventPayload<'booth_plan_set'>; stopId: string }
  | { type: 'staff_upserted'; payload: EventPayload<'staff_upserted'>; stopId: null };

export interface TourSheetPlan {
  problems: TourSheetProblem[];
  counts: Record<TourSheetName, TourSheetCounts>;
  /** Empty whenever a problem is listed: nothing is written from a sheet with a bad cell. */
  changes: TourSheetChange[];
}

// ---------------------------------------------------------------------------------------------------
// Cell rules

const normKey = (s: string): string => s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
/** Labels compare loosely: case, spaces, "_" and "-" do not matter (Joint briefing = joint_briefing). */
const normLabel = (s: string): string => s.normalize('NFKC').trim().toLowerCase().replace(/[\s_\-·]+/g, ' ').trim();

function labelLookup<K extends string>(keys: readonly K[], labels: (k: K) => readonly string[]): Map<string, K> {
  const m = new Map<string, K>();
  for (const k of keys) for (const l of [k, ...labels(k)]) m.set(normLabel(l), k);
  return m;
}
const bi = <K extends string>(table: Record<K, Record<Language, string>>) => (k: K) => [table[k].en, table[k].ko];
const STOP_KIND_LOOKUP = labelLookup(STOP_KINDS, bi(STOP_KIND_LABELS));
const SESSION_KIND_LOOKUP = labelLookup(SESSION_KINDS, bi(SESSION_KIND_LABELS));
const INSTITUTION_KIND_LOOKUP = labelLookup(INSTITUTION_KINDS, bi(INSTITUTION_KIND_LABELS));
const ROLE_LOOKUP = labelLookup(STAFF_ROLES, bi(STAFF_ROLE_LABELS));
const FIELD_LOOKUP = labelLookup(RESEARCH_FIELDS, (k) => [VOCAB_LABELS.en.field[k], VOCAB_LABELS.ko.field[k]]);
const BOOLEANS = new Map<string, boolean>([
  ...['yes', 'y', 'true', '1', 'x', '예', '네', 'o'].map((s) => [s, true] as const),
  ...['no', 'n', 'false', '0', '아니오', '아니요', ''].map((s) => [s, false] as const),
]);

const allowedOf = <K extends string>(keys: readonly K[], labels: Record<K, Record<Language, string>>): string =>
  keys.map((k) => `${k} / ${labels[k].en} / ${labels[k].ko}`).join(', ');

/** "2025-10-14", "2025/10/14", "2025. 10. 14." → "2025-10-14"; null when it is no calendar day. */
export function parseSheetDate(s: string): string | null {
  const m = /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\.?$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "9:00", "09:00", "14:30:00", "2:30 PM", "오후 2:30" → "HH:MM"; null otherwise. */
export function parseSheetTime(s: string): string | null {
  const m = /^(오전|오후|am|pm)?\s*(\d{1,2})[:시]\s*(\d{2})(?::(\d{2}))?\s*분?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(s.trim());
  if (!m) return null;
  let h = Number(m[2]);
  const min = Number(m[3]);
  const half = (m[1] ?? m[5] ?? '').toLowerCase().replace(/\./g, '');
  if (half) {
    if (h < 1 || h > 12) return null;
    const pm = half === 'pm' || half === '오후';
    h = (h % 12) + (pm ? 12 : 0);
  }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

export function isTimeZone(tz: string): boolean {
  // Intl accepts legacy aliases too (US/Eastern); an offset-only string ("+09:00") is refused, since
  // the slot rules need a zone with its daylight-saving calendar.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Items of a list cell: ";" or new lines (and "," where the items cannot contain one). */
const splitList = (s: string, commas = false): string[] =>
  s
    .split(commas ? /[;,\n\r]+/ : /[;\n\r]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

/**
 * A record made from a sheet gets a stable id: the same new row uploaded twice (or on two HQ laptops)
 * yields the same id, so the second upload finds it and writes nothing.
 */
export function deterministicId(prefix: string, parts: readonly string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u001f')).digest('hex').slice(0, 16)}`;
}

const cut = (s: string): string => (s.length > 200 ? s.slice(0, 200) : s);

// ---------------------------------------------------------------------------------------------------
// Reading one row

const LIMITS = {
  round: 10,
  city: 100,
  cityKo: 100,
  venue: 200,
  campus: 200,
  title: 200,
  titleKo: 200,
  room: 100,
  name: 200,
  nameKo: 200,
  shortName: 40,
  contactName: 100,
  location: 100,
  staffName: 100,
  program: 120,
  personName: 100,
} as const;

class Problems {
  readonly list: TourSheetProblem[] = [];
  add(sheet: TourSheetName, row: number | null, column: string | null, letter: string | null, code: TourSheetProblemCode, value: string, details: TourSheetProblem['details'] = {}): void {
    this.list.push({ sheet, row, column, cell: letter && row !== null ? `${letter}${row}` : null, code, value: cut(value), details });
  }
}

/** One row's cells, with the rules that read them; any problem marks the row failed. */
class RowReader {
  failed = false;
  constructor(
    readonly sheet: TourSheetName,
    private readonly data: TourSheetData,
    readonly row: TourSheetRow,
    private readonly problems: Problems,
  ) {}

  has(key: string): boolean {
    return key in this.data.columns;
  }
  raw(key: string): string {
    return (this.row.cells[key] ?? '').trim();
  }
  /** Records a problem of this row; answers undefined so a rule can `return this.problem(…)`. */
  problem(key: string | null, code: TourSheetProblemCode, details: TourSheetProblem['details'] = {}, value?: string): undefined {
    this.failed = true;
    const letter = key === null ? null : (this.data.columns[key] ?? null);
    this.problems.add(this.sheet, this.row.row, key, letter, code, value ?? (key === null ? '' : this.raw(key)), details);
    return undefined;
  }

  /** undefined: the column is absent (keep the current value), or the cell is bad (row failed). */
  text(key: string, max: number, required = false): string | undefined {
    if (!this.has(key)) return undefined;
    const v = this.raw(key);
    if (required && v === '') return this.problem(key, 'required');
    if (v.length > max) return this.problem(key, 'too_long', { max });
    return v;
  }
  id(): string | undefined {
    const v = this.has('id') ? this.raw('id') : '';
    if (v === '') return undefined;
    if (!Id.safeParse(v).success) return this.problem('id', 'bad_id');
    return v;
  }
  date(key: string, required: boolean): string | undefined {
    const v = this.text(key, 40, required);
    if (!v) return undefined;
    const d = parseSheetDate(v);
    if (!d) return this.problem(key, 'bad_date');
    return d;
  }
  time(key: string, required: boolean): string | undefined {
    const v = this.text(key, 40, required);
    if (!v) return undefined;
    const t = parseSheetTime(v);
    if (!t) return this.problem(key, 'bad_time');
    return t;
  }
  /** A whole number in range; null for an empty cell. */
  int(key: string, min: number, max: number, required = false): number | null | undefined {
    const v = this.text(key, 40, required);
    if (v === undefined) return undefined;
    if (v === '') return null;
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) return this.problem(key, 'bad_number', { min, max });
    return n;
  }
  bool(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const b = BOOLEANS.get(normLabel(this.raw(key)));
    if (b === undefined) return this.problem(key, 'unknown_kind', { allowed: 'yes / no / 예 / 아니오 / true / false / 1 / 0 / x' });
    return b;
  }
  kind<K extends string>(key: string, lookup: Map<string, K>, allowed: string, code: TourSheetProblemCode = 'unknown_kind'): K | undefined {
    const v = this.text(key, 100, true);
    if (!v) return undefined;
    const k = lookup.get(normLabel(v));
    if (!k) return this.problem(key, code, { allowed });
    return k;
  }
}

// ---------------------------------------------------------------------------------------------------
// Keys: explicit id, else the natural key, else a minted id

interface Keyed {
  reader: RowReader;
  /** The id cell, when filled and valid. */
  explicitId: string | undefined;
  /** Normalised natural key; undefined when a key cell was bad. */
  key: string | undefined;
  keyColumn: string;
  keyValue: string;
}

/**
 * Gives each row its record id and reports rows that would clash: two rows naming one record, or a
 * row whose natural key another record keeps (the key must stay unique, or the next upload without
 * ids could not tell them apart).
 */
function resolveIds(rows: readonly Keyed[], existing: readonly { id: string; key: string }[], mint: (key: string) => string): Map<RowReader, string> {
  const byKey = new Map<string, string[]>();
  for (const e of existing) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e.id]);
  const out = new Map<RowReader, string>();
  const keyRow = new Map<string, number>();
  const idRow = new Map<string, number>();
  for (const r of rows) {
    if (r.key !== undefined) {
      const first = keyRow.get(r.key);
      if (first !== undefined) {
        r.reader.problem(r.keyColumn, 'duplicate', { otherRow: first }, r.keyValue);
        continue;
      }
      keyRow.set(r.key, r.reader.row.row);
    }
    let id = r.explicitId;
    if (id === undefined) {
      if (r.key === undefined) continue;
      const owners = byKey.get(r.key) ?? [];
      if (owners.length > 1) {
        r.reader.problem(r.keyColumn, 'duplicate', { otherId: owners.join(', ') }, r.keyValue);
        continue;
      }
      id = owners[0] ?? mint(r.key);
    }
    const first = idRow.get(id);
    if (first !== undefined) {
      r.reader.problem(r.explicitId !== undefined ? 'id' : r.keyColumn, 'duplicate', { otherRow: first }, r.explicitId ?? r.keyValue);
      continue;
    }
    idRow.set(id, r.reader.row.row);
    out.set(r.reader, id);
  }
  const inSheet = new Set(out.values());
  for (const r of rows) {
    const id = out.get(r.reader);
    if (id === undefined || r.key === undefined) continue;
    const other = (byKey.get(r.key) ?? []).find((o) => o !== id && !inSheet.has(o));
    if (other === undefined) continue;
    r.reader.problem(r.keyColumn, 'duplicate', { otherId: other }, r.keyValue);
    // Left unresolved, so other sheets naming the key still find the record that keeps it.
    out.delete(r.reader);
  }
  return out;
}

/** Field by field, on the keys of the new payload (a stored view may carry more). */
function samePayload(next: object, current: object | undefined): boolean {
  if (!current) return false;
  const c = current as Record<string, unknown>;
  return Object.entries(next).every(([k, v]) => JSON.stringify(v) === JSON.stringify(c[k]));
}

function emptyCounts(): Record<TourSheetName, TourSheetCounts> {
  return Object.fromEntries(TOUR_SHEETS.map((s) => [s, { rows: 0, created: 0, changed: 0, unchanged: 0 }])) as Record<TourSheetName, TourSheetCounts>;
}

// ---------------------------------------------------------------------------------------------------
// The plan

export function planTourSheet(input: TourSheetInput, state: TourSheetState): TourSheetPlan {
  const problems = new Problems();
  const counts = emptyCounts();
  const changes: TourSheetChange[] = [];
  const tourId = state.tour.id;

  const readers = (sheet: TourSheetName): RowReader[] => {
    const data = input[sheet];
    if (!data) {
      problems.add(sheet, null, null, null, 'missing_sheet', sheet);
      return [];
    }
    const headerRow = data.headerRow ?? 1;
    for (const c of TOUR_SHEET_COLUMNS[sheet]) {
      if (c.required && !(c.key in data.columns)) problems.add(sheet, headerRow, c.key, null, 'missing_column', '', { header: c.key });
    }
    counts[sheet].rows = data.rows.length;
    return data.rows.map((r) => new RowReader(sheet, data, r, problems));
  };
  const tally = (sheet: TourSheetName, changed: boolean, existed: boolean): void => {
    const c = counts[sheet];
    if (!existed) c.created++;
    else if (changed) c.changed++;
    else c.unchanged++;
  };

  // --- Stops -----------------------------------------------------------------------------------
  const from = state.tour.startDate ?? `${state.tour.year}-01-01`;
  const to = state.tour.endDate ?? `${state.tour.year}-12-31`;
  const stopById = new Map(state.stops.map((s) => [s.id, s]));
  const stopRows = readers('Stops').map((reader): Keyed & { round?: string } => {
    const round = reader.text('round', LIMITS.round, true);
    return { reader, explicitId: reader.id(), key: round ? normKey(round) : undefined, keyColumn: 'round', keyValue: round ?? '', round };
  });
  const stopIds = resolveIds(
    stopRows,
    state.stops.map((s) => ({ id: s.id, key: normKey(s.round) })),
    (key) => deterministicId('stop', [tourId, 'Stops', key]),
  );
  /** Round → stop id, for the other sheets: the stops the sheet keeps or adds, and the tour's others. */
  const stopRefs = new Map<string, string>();
  const sheetStopIds = new Set(stopIds.values());
  for (const s of state.stops) if (!sheetStopIds.has(s.id)) stopRefs.set(normKey(s.round), s.id);
  const stopRoundById = new Map(state.stops.map((s) => [s.id, s.round]));
  for (const r of stopRows) {
    const id = stopIds.get(r.reader);
    if (id !== undefined && r.round !== undefined) {
      stopRefs.set(normKey(r.round), id);
      stopRoundById.set(id, r.round);
    }
  }
  for (const r of stopRows) {
    const rd = r.reader;
    const id = stopIds.get(rd);
    const current = id === undefined ? undefined : stopById.get(id);
    const city = rd.text('city', LIMITS.city, true);
    const cityKo = rd.text('cityKo', LIMITS.cityKo);
    const venue = rd.text('venue', LIMITS.venue);
    const campus = rd.text('campus', LIMITS.campus);
    const date = rd.date('date', true);
    if (date && (date < from || date > to)) rd.problem('date', 'date_outside_tour', { from, to }, date);
    const tz = rd.text('timeZone', 64, true);
    if (tz && !isTimeZone(tz)) rd.problem('timeZone', 'unknown_time_zone');
    const kind = rd.kind<StopKind>('kind', STOP_KIND_LOOKUP, allowedOf(STOP_KINDS, STOP_KIND_LABELS));
    if (rd.failed || id === undefined || r.round === undefined || city === undefined || date === undefined || tz === undefined || kind === undefined) continue;
    const stop: Stop = {
      id,
      tourId,
      round: r.round,
      city,
      cityKo: cityKo ?? current?.cityKo ?? '',
      venue: venue ?? current?.venue ?? '',
      campus: campus ?? current?.campus ?? '',
      date,
      timeZone: tz,
      kind,
    };
    const same = samePayload(stop, current);
    tally('Stops', !same, current !== undefined);
    if (!same) changes.push({ type: 'stop_upserted', payload: stop, stopId: id });
  }

  // --- Institutions ----------------------------------------------------------------------------
  const instById = new Map(state.institutions.map((i) => [i.id, i]));
  const instRows = readers('Institutions').map((reader): Keyed & { shortName?: string } => {
    const shortName = reader.text('shortName', LIMITS.shortName, true);
    return { reader, explicitId: reader.id(), key: shortName ? normKey(shortName) : undefined, keyColumn: 'shortName', keyValue: shortName ?? '', shortName };
  });
  // Institutions are shared by every tour: the minted id leaves the tour out, so two tours' sheets
  // naming a new "KAIST" (on two laptops, before a sync) make one institution, not two.
  const instIds = resolveIds(
    instRows,
    state.institutions.map((i) => ({ id: i.id, key: normKey(i.shortName) })),
    (key) => deterministicId('inst', ['Institutions', key]),
  );
  const instRefs = new Map<string, string>();
  const sheetInstIds = new Set(instIds.values());
  for (const i of state.institutions) if (!sheetInstIds.has(i.id)) instRefs.set(normKey(i.shortName), i.id);
  for (const r of instRows) {
    const id = instIds.get(r.reader);
    if (id !== undefined && r.shortName !== undefined) instRefs.set(normKey(r.shortName), id);
  }
  for (const r of instRows) {
    const rd = r.reader;
    const id = instIds.get(rd);
    const current = id === undefined ? undefined : instById.get(id);
    const name = rd.text('name', LIMITS.name, true);
    const nameKo = rd.text('nameKo', LIMITS.nameKo);
    const kind = rd.kind<InstitutionKind>('kind', INSTITUTION_KIND_LOOKUP, allowedOf(INSTITUTION_KINDS, INSTITUTION_KIND_LABELS));
    let programs: string[] | undefined;
    if (rd.has('programs')) {
      programs = splitList(rd.raw('programs'));
      const long = programs.find((p) => p.length > LIMITS.program);
      if (long !== undefined) rd.problem('programs', 'too_long', { max: LIMITS.program }, long);
      else if (programs.length > 30) rd.problem('programs', 'too_long', { max: 30 });
    }
    const contactName = rd.text('contactName', LIMITS.contactName);
    const contactEmail = rd.text('contactEmail', 254);
    if (contactEmail && !isEmail(contactEmail)) rd.problem('contactEmail', 'bad_email');
    if (rd.failed || id === undefined || r.shortName === undefined || name === undefined || kind === undefined) continue;
    const inst: Institution = {
      id,
      name,
      nameKo: nameKo ?? current?.nameKo ?? '',
      shortName: r.shortName,
      kind,
      programs: programs ?? current?.programs ?? [],
      contactName: contactName ?? current?.contactName ?? '',
      contactEmail: contactEmail ?? current?.contactEmail ?? '',
    };
    const same = samePayload(inst, current);
    tally('Institutions', !same, current !== undefined);
    if (!same) changes.push({ type: 'institution_upserted', payload: inst, stopId: null });
  }

  const stopRef = (rd: RowReader, key: string): string | undefined => {
    const v = rd.text(key, LIMITS.round, true);
    if (!v) return undefined;
    const id = stopRefs.get(normKey(v));
    if (id === undefined) rd.problem(key, 'unknown_stop');
    return id;
  };
  const instRef = (rd: RowReader, key: string, required: boolean): string | null | undefined => {
    const v = rd.text(key, LIMITS.shortName, required);
    if (v === undefined) return undefined;
    if (v === '') return null;
    const id = instRefs.get(normKey(v));
    if (id === undefined) rd.problem(key, 'unknown_institution');
    return id;
  };

  // --- Sessions --------------------------------------------------------------------------------
  const sessionById = new Map(state.sessions.map((s) => [s.id, s]));
  const sessionKey = (stopId: string, title: string, start: string) => `${stopId}|${normKey(title)}|${start}`;
  const sessionRows = readers('Sessions').map((reader) => {
    const stopId = stopRef(reader, 'stop');
    const title = reader.text('title', LIMITS.title, true);
    const startTime = reader.time('startTime', true);
    const key = stopId && title && startTime ? sessionKey(stopId, title, startTime) : undefined;
    const keyValue = `${reader.raw('stop')} / ${title ?? ''} / ${startTime ?? ''}`;
    return { reader, explicitId: reader.id(), key, keyColumn: 'title', keyValue, stopId, title, startTime };
  });
  const sessionIds = resolveIds(
    sessionRows,
    state.sessions.map((s) => ({ id: s.id, key: sessionKey(s.stopId, s.title, s.startTime) })),
    (key) => deterministicId('session', [tourId, 'Sessions', key]),
  );
  const plannedSessions: { session: StopSession; row: number | null }[] = [];
  for (const r of sessionRows) {
    const rd = r.reader;
    const id = sessionIds.get(rd);
    const current = id === undefined ? undefined : sessionById.get(id);
    const kind = rd.kind<SessionKind>('kind', SESSION_KIND_LOOKUP, allowedOf(SESSION_KINDS, SESSION_KIND_LABELS));
    const titleKo = rd.text('titleKo', LIMITS.titleKo);
    const endTime = rd.time('endTime', true);
    if (r.startTime && endTime && minutesOf(endTime) <= minutesOf(r.startTime)) rd.problem('endTime', 'end_before_start', { start: r.startTime }, endTime);
    const room = rd.text('room', LIMITS.room);
    const capacity = rd.int('capacity', 1, 100_000);
    const cancelled = rd.bool('cancelled');
    if (current && r.stopId !== undefined && current.stopId !== r.stopId) rd.problem('stop', 'stop_changed', { currentStop: stopRoundById.get(current.stopId) ?? current.stopId });
    if (rd.failed || id === undefined || r.stopId === undefined || r.title === undefined || r.startTime === undefined || endTime === undefined || kind === undefined) continue;
    const session: StopSession = {
      id,
      stopId: r.stopId,
      kind,
      title: r.title,
      titleKo: titleKo ?? current?.titleKo ?? '',
      startTime: r.startTime,
      endTime,
      room: room ?? current?.room ?? '',
      capacity: capacity === undefined ? (current?.capacity ?? null) : capacity,
      cancelled: cancelled ?? current?.cancelled ?? false,
    };
    plannedSessions.push({ session, row: rd.row.row });
    const same = samePayload(session, current);
    tally('Sessions', !same, current !== undefined);
    if (!same) changes.push({ type: 'stop_session_upserted', payload: session, stopId: r.stopId });
  }
  // Sessions the sheet does not name stay as they are, so they count in the room check too.
  const sheetSessionIds = new Set(sessionIds.values());
  const keptSessions = state.sessions.filter((s) => !sheetSessionIds.has(s.id)).map((session) => ({ session, row: null }));
  const readerOfRow = new Map(sessionRows.map((r) => [r.reader.row.row, r.reader]));
  const byRoom = new Map<string, { session: StopSession; row: number | null }[]>();
  for (const s of [...plannedSessions, ...keptSessions]) {
    if (s.session.cancelled || s.session.room.trim() === '') continue;
    const k = `${s.session.stopId}|${normKey(s.session.room)}`;
    byRoom.set(k, [...(byRoom.get(k) ?? []), s]);
  }
  for (const list of byRoom.values()) {
    // Sheet rows in row order first: the later row of a clash is the one named.
    list.sort((a, b) => (a.row ?? Infinity) - (b.row ?? Infinity));
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (a.row === null) continue;
      const rd = readerOfRow.get(a.row)!;
      const clash = list.find(
        (b, j) => j !== i && (b.row === null || j < i) && minutesOf(a.session.startTime) < minutesOf(b.session.endTime) && minutesOf(b.session.startTime) < minutesOf(a.session.endTime),
      );
      if (!clash) continue;
      rd.problem('startTime', 'sessions_overlap', {
        other: clash.session.title,
        otherStart: clash.session.startTime,
        otherEnd: clash.session.endTime,
        room: a.session.room,
        ...(clash.row !== null ? { otherRow: clash.row } : {}),
      }, a.session.startTime);
    }
  }

  // --- Booths ----------------------------------------------------------------------------------
  const boothById = new Map(state.booths.map((b) => [b.id, b]));
  const boothRows = readers('Booths').map((reader) => {
    const stopId = stopRef(reader, 'stop');
    const institutionId = instRef(reader, 'institution', true) ?? undefined;
    const key = stopId && institutionId ? `${stopId}|${institutionId}` : undefined;
    const keyValue = `${reader.raw('stop')} / ${reader.raw('institution')}`;
    return { reader, explicitId: reader.id(), key, keyColumn: 'institution', keyValue, stopId, institutionId };
  });
  const boothIds = resolveIds(
    boothRows,
    state.booths.map((b) => ({ id: b.id, key: `${b.stopId}|${b.institutionId}` })),
    (key) => deterministicId('booth', [tourId, 'Booths', key]),
  );
  for (const r of boothRows) {
    const rd = r.reader;
    const id = boothIds.get(rd);
    const current = id === undefined ? undefined : boothById.get(id);
    const location = rd.text('location', LIMITS.location);
    let staff: string[] | undefined;
    if (rd.has('staff')) {
      staff = splitList(rd.raw('staff'));
      const long = staff.find((p) => p.length > LIMITS.staffName);
      if (long !== undefined) rd.problem('staff', 'too_long', { max: LIMITS.staffName }, long);
      else if (staff.length > 50) rd.problem('staff', 'too_long', { max: 50 });
    }
    const removed = rd.bool('removed');
    const plan = readPlan(rd);
    if (current && r.stopId !== undefined && current.stopId !== r.stopId) rd.problem('stop', 'stop_changed', { currentStop: stopRoundById.get(current.stopId) ?? current.stopId });
    if (rd.failed || id === undefined || r.stopId === undefined || r.institutionId === undefined) continue;
    const booth: Booth = {
      id,
      stopId: r.stopId,
      institutionId: r.institutionId,
      location: location ?? current?.location ?? '',
      staff: staff ?? current?.staff ?? [],
      removed: removed ?? current?.removed ?? false,
    };
    const boothSame = samePayload(booth, current);
    const planSame = plan === undefined || (current?.plan != null && samePayload(plan, current.plan));
    tally('Booths', !(boothSame && planSame), current !== undefined);
    if (!boothSame) changes.push({ type: 'booth_upserted', payload: booth, stopId: r.stopId });
    if (!planSame) changes.push({ type: 'booth_plan_set', payload: { ...plan, boothId: id, stopId: r.stopId, copiedFromStopId: null }, stopId: r.stopId });
  }

  // --- Staff -----------------------------------------------------------------------------------
  const staffById = new Map(state.staff.map((s) => [s.id, s]));
  const staffRows = readers('Staff').map((reader) => {
    const name = reader.text('name', LIMITS.personName, true);
    return { reader, explicitId: reader.id(), key: name ? normKey(name) : undefined, keyColumn: 'name', keyValue: name ?? '', name };
  });
  // Staff, like institutions, are not one tour's: a person works several tours under one sign-in.
  const staffIds = resolveIds(
    staffRows,
    state.staff.map((s) => ({ id: s.id, key: normKey(s.name) })),
    (key) => deterministicId('staff', ['Staff', key]),
  );
  const tourStopIds = new Set([...state.stops.map((s) => s.id), ...stopRefs.values()]);
  for (const r of staffRows) {
    const rd = r.reader;
    const id = staffIds.get(rd);
    const current = id === undefined ? undefined : staffById.get(id);
    const role = rd.kind<StaffRole>('role', ROLE_LOOKUP, allowedOf(STAFF_ROLES, STAFF_ROLE_LABELS), 'unknown_role');
    const institutionId = instRef(rd, 'institution', false);
    // As staff:plan keeps it: only booth staff belong to an institution (it limits what they see).
    const finalInstitution = role !== 'booth_staff' ? null : institutionId === undefined ? (current?.institutionId ?? null) : institutionId;
    // Only an empty cell (or no column and none on record) lacks an institution; a bad one is reported already.
    if (role === 'booth_staff' && finalInstitution === null && (institutionId === null || !rd.has('institution'))) {
      rd.problem(rd.has('institution') ? 'institution' : null, 'needs_institution');
    }
    let listed: string[] | undefined;
    if (rd.has('stops')) {
      listed = [];
      for (const round of splitList(rd.raw('stops'), true)) {
        const sid = stopRefs.get(normKey(round));
        if (sid === undefined) rd.problem('stops', 'unknown_stop', {}, round);
        else if (!listed.includes(sid)) listed.push(sid);
      }
    }
    if (rd.failed || id === undefined || r.name === undefined || role === undefined) continue;
    // The sheet speaks for this tour's stops only: the person's stops in other tours are kept.
    const others = (current?.stopIds ?? []).filter((s) => !tourStopIds.has(s));
    const stopIdsOut = listed === undefined ? [...(current?.stopIds ?? [])] : [...others, ...listed];
    stopIdsOut.sort();
    const profile: EventPayload<'staff_upserted'> = { staffId: id, name: r.name, role, institutionId: finalInstitution, stopIds: stopIdsOut };
    const same =
      current !== undefined &&
      current.name === profile.name &&
      current.role === profile.role &&
      current.institutionId === profile.institutionId &&
      JSON.stringify([...current.stopIds].sort()) === JSON.stringify(stopIdsOut);
    tally('Staff', !same, current !== undefined);
    if (!same) changes.push({ type: 'staff_upserted', payload: profile, stopId: null });
  }

  const list = problems.list;
  return { problems: list, counts, changes: list.length === 0 ? changes : [] };
}

/** A booth row's plan; undefined when its plan cells are all empty (the current plan stays). */
function readPlan(rd: RowReader): BoothPlanFields | undefined {
  const planKeys = ['startTime', 'endTime', 'slotMinutes', 'capacity'] as const;
  const filled = planKeys.filter((k) => rd.has(k) && rd.raw(k) !== '');
  const extras = (['breaks', 'fields'] as const).filter((k) => rd.has(k) && rd.raw(k) !== '');
  if (filled.length === 0 && extras.length === 0) return undefined;
  if (filled.length < planKeys.length) {
    const missing = planKeys.find((k) => !filled.includes(k))!;
    rd.problem(rd.has(missing) ? missing : null, 'bad_plan', { reason: 'incomplete' });
    return undefined;
  }
  const startTime = rd.time('startTime', true);
  const endTime = rd.time('endTime', true);
  const slotMinutes = rd.int('slotMinutes', 5, 240, true);
  const capacity = rd.int('capacity', 1, 50, true);
  const breaks: BoothBreak[] = [];
  if (rd.has('breaks')) {
    for (const item of splitList(rd.raw('breaks'), true)) {
      const m = /^(.+?)\s*(?:-|–|—|~|to)\s*(.+)$/.exec(item);
      const s = m ? parseSheetTime(m[1]!) : null;
      const e = m ? parseSheetTime(m[2]!) : null;
      if (!s || !e) {
        rd.problem('breaks', 'bad_plan', { reason: 'bad_break' }, item);
        return undefined;
      }
      breaks.push({ start: s, end: e });
    }
    if (breaks.length > 12) return rd.problem('breaks', 'too_long', { max: 12 });
  }
  const fields: ResearchField[] = [];
  if (rd.has('fields')) {
    for (const item of splitList(rd.raw('fields'), true)) {
      const f = FIELD_LOOKUP.get(normLabel(item));
      if (!f) {
        rd.problem('fields', 'unknown_kind', { allowed: RESEARCH_FIELDS.map((k) => `${k} / ${VOCAB_LABELS.en.field[k]} / ${VOCAB_LABELS.ko.field[k]}`).join(', ') }, item);
        return undefined;
      }
      if (!fields.includes(f)) fields.push(f);
    }
  }
  if (startTime === undefined || endTime === undefined || typeof slotMinutes !== 'number' || typeof capacity !== 'number') return undefined;
  const plan: BoothPlanFields = { startTime, endTime, slotMinutes, capacity, breaks, fields };
  const why = planProblem(plan);
  if (why === 'end_before_start') rd.problem('endTime', 'end_before_start', { start: startTime }, endTime);
  else if (why === 'no_slots') rd.problem('slotMinutes', 'bad_plan', { reason: why });
  else if (why !== null) rd.problem('breaks', 'bad_plan', { reason: why });
  return why === null ? plan : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Export: the current tour as rows of the same sheets (uploading them back changes nothing)

export type TourSheetRowsOut = Record<TourSheetName, Record<string, string>[]>;

export function tourSheetRows(state: TourSheetState, language: Language): TourSheetRowsOut {
  const yesNo = (b: boolean) => BOOLEAN_LABELS[b ? 'yes' : 'no'][language];
  const stops = [...state.stops].sort((a, b) => a.date.localeCompare(b.date) || a.round.localeCompare(b.round, 'en', { numeric: true }));
  const stopOrder = new Map(stops.map((s, i) => [s.id, i]));
  const roundOf = new Map(stops.map((s) => [s.id, s.round]));
  const instById = new Map(state.institutions.map((i) => [i.id, i]));
  const byStop = (a: string, b: string) => (stopOrder.get(a) ?? 0) - (stopOrder.get(b) ?? 0);
  const tourStops = new Set(stops.map((s) => s.id));
  return {
    Stops: stops.map((s) => ({
      id: s.id,
      round: s.round,
      city: s.city,
      cityKo: s.cityKo,
      venue: s.venue,
      campus: s.campus,
      date: s.date,
      timeZone: s.timeZone,
      kind: STOP_KIND_LABELS[s.kind][language],
    })),
    Sessions: state.sessions
      .filter((s) => tourStops.has(s.stopId))
      .sort((a, b) => byStop(a.stopId, b.stopId) || a.startTime.localeCompare(b.startTime) || a.title.localeCompare(b.title))
      .map((s) => ({
        id: s.id,
        stop: roundOf.get(s.stopId) ?? '',
        kind: SESSION_KIND_LABELS[s.kind][language],
        title: s.title,
        titleKo: s.titleKo,
        startTime: s.startTime,
        endTime: s.endTime,
        room: s.room,
        capacity: s.capacity === null ? '' : String(s.capacity),
        cancelled: yesNo(s.cancelled),
      })),
    Institutions: [...state.institutions]
      .sort((a, b) => a.shortName.localeCompare(b.shortName))
      .map((i) => ({
        id: i.id,
        shortName: i.shortName,
        name: i.name,
        nameKo: i.nameKo,
        kind: INSTITUTION_KIND_LABELS[i.kind][language],
        programs: i.programs.join('; '),
        contactName: i.contactName,
        contactEmail: i.contactEmail,
      })),
    Booths: state.booths
      .filter((b) => tourStops.has(b.stopId))
      .sort((a, b) => byStop(a.stopId, b.stopId) || (instById.get(a.institutionId)?.shortName ?? '').localeCompare(instById.get(b.institutionId)?.shortName ?? ''))
      .map((b) => ({
        id: b.id,
        stop: roundOf.get(b.stopId) ?? '',
        institution: instById.get(b.institutionId)?.shortName ?? '',
        location: b.location,
        staff: b.staff.join('; '),
        startTime: b.plan?.startTime ?? '',
        endTime: b.plan?.endTime ?? '',
        slotMinutes: b.plan ? String(b.plan.slotMinutes) : '',
        capacity: b.plan ? String(b.plan.capacity) : '',
        breaks: (b.plan?.breaks ?? []).map((x) => `${x.start}-${x.end}`).join('; '),
        fields: (b.plan?.fields ?? []).map((f) => VOCAB_LABELS[language].field[f]).join('; '),
        removed: yesNo(b.removed),
      })),
    // A person limited to other tours' stops is not this tour's; one not limited to any works everywhere.
    Staff: state.staff
      .filter((s) => s.active)
      .filter((s) => s.stopIds.length === 0 || s.stopIds.some((id) => tourStops.has(id)))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => ({
        id: s.id,
        name: s.name,
        role: STAFF_ROLE_LABELS[s.role][language],
        institution: s.institutionId ? (instById.get(s.institutionId)?.shortName ?? '') : '',
        stops: s.stopIds
          .filter((id) => tourStops.has(id))
          .sort(byStop)
          .map((id) => roundOf.get(id) ?? '')
          .join('; '),
      })),
  };
}
