import type { z } from 'zod';
import type { PlanProblem } from '../../../core/domain/boothSlots';
import { contract, type ApiInput, type Channel } from '../../../shared/contract';
import type { ApiErrorShape } from '../../../shared/errors';
import type { BoothView } from '../../../shared/ipc/masterDataContract';
import type { BoothBreak, BoothPlan } from '../../../shared/schemas/booths';
import type { Institution, Stop, StopSession, Tour } from '../../../shared/schemas/masterData';
import type { Program } from '../../../shared/schemas/programs';
import type { StaffView } from '../../../shared/schemas/staff';
import { fill, type DashboardText } from './dashboardText';

/**
 * The tour-planning forms (issue #18) as plain functions: form fields (strings, as posted) to the input of
 * a core API channel, records back to form fields for editing, and a refusal (a local schema check or the
 * handler's AppError) to a translated message next to the field that caused it. Kept apart from the pages
 * and routes so the CLI reads its refusals with the same words.
 */
export type FormValues = Record<string, string>;
/** Field name → translated message; `_form` for what belongs to no field. */
export type FieldErrors = Record<string, string>;

export const FORM_IDS = ['tour-new', 'tour', 'stop-new', 'stop', 'institution', 'staff', 'session', 'booth', 'copy', 'program'] as const;
export type FormId = (typeof FORM_IDS)[number];

/** A form the handler refused: re-rendered with what the admin typed and the messages beside its fields. */
export interface FailedForm {
  form: FormId;
  values: FormValues;
  errors: FieldErrors;
}

const text = (v: FormValues, k: string): string => (v[k] ?? '').trim();
/** '' stays undefined (the schema says "required"); anything else becomes a number, NaN included (the schema says so). */
const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s.trim()));
const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const optionalId = (v: FormValues): { id?: string } => (text(v, 'id') ? { id: text(v, 'id') } : {});

/** "15:00-15:15, 16:30-16:45" → breaks; a piece without two times keeps its text so the schema names it. */
export function parseBreaks(s: string): BoothBreak[] {
  return list(s).map((piece) => {
    const [start = '', end = '', ...rest] = piece.split(/\s*[-–~]\s*/);
    return rest.length > 0 ? { start: piece, end: '' } : { start, end };
  });
}
export const formatBreaks = (breaks: readonly BoothBreak[]): string => breaks.map((b) => `${b.start}-${b.end}`).join(', ');

// ---- form fields → channel input (unchecked: `checkInput` runs the channel's own schema) ----

export const tourInput = (v: FormValues): unknown => ({
  ...optionalId(v),
  name: text(v, 'name'),
  nameKo: text(v, 'nameKo'),
  year: num(text(v, 'year')),
  startDate: text(v, 'startDate') || null,
  endDate: text(v, 'endDate') || null,
});

export const stopInput = (v: FormValues, tourId: string): unknown => ({
  ...optionalId(v),
  tourId,
  round: text(v, 'round'),
  city: text(v, 'city'),
  cityKo: text(v, 'cityKo'),
  venue: text(v, 'venue'),
  campus: text(v, 'campus'),
  date: text(v, 'date'),
  timeZone: text(v, 'timeZone'),
  kind: text(v, 'kind'),
});

export const sessionInput = (v: FormValues, stopId: string): unknown => ({
  ...optionalId(v),
  stopId,
  kind: text(v, 'kind'),
  title: text(v, 'title'),
  titleKo: text(v, 'titleKo'),
  startTime: text(v, 'startTime'),
  endTime: text(v, 'endTime'),
  room: text(v, 'room'),
  capacity: text(v, 'capacity') === '' ? null : num(text(v, 'capacity')),
  cancelled: v.cancelled === '1',
});

export const institutionInput = (v: FormValues): unknown => ({
  ...optionalId(v),
  name: text(v, 'name'),
  nameKo: text(v, 'nameKo'),
  shortName: text(v, 'shortName'),
  kind: text(v, 'kind'),
  programs: list(v.programs ?? ''),
  contactName: text(v, 'contactName'),
  contactEmail: text(v, 'contactEmail'),
});

/** A programme (issue #21): no institution = a national one; the box "offered" unticked = retired. */
export const programInput = (v: FormValues): unknown => ({
  ...optionalId(v),
  institutionId: text(v, 'institutionId') || null,
  name: text(v, 'name'),
  nameKo: text(v, 'nameKo'),
  kind: text(v, 'kind'),
  places: text(v, 'places') === '' ? null : num(text(v, 'places')),
  active: v.active === '1',
});

/**
 * A booth and its plan. The consultation hours (and breaks) all empty: a booth without a plan; slot length
 * and people per slot alone make no plan (the form fills them in with defaults). `keepFields`: the plan's
 * research fields, which the form does not show.
 */
export const boothInput = (v: FormValues, stopId: string, keepFields: readonly string[] = []): unknown => ({
  ...optionalId(v),
  stopId,
  institutionId: text(v, 'institutionId'),
  location: text(v, 'location'),
  staff: list(v.staff ?? ''),
  plan: ['startTime', 'endTime', 'breaks'].every((k) => text(v, k) === '')
    ? null
    : { startTime: text(v, 'startTime'), endTime: text(v, 'endTime'), slotMinutes: num(text(v, 'slotMinutes')), capacity: num(text(v, 'capacity')), breaks: parseBreaks(v.breaks ?? ''), fields: [...keepFields] },
});

/** Stops are checkboxes named `stop_<id>` (the form parser keeps one value per name); stops of other tours are kept. */
export const staffInput = (v: FormValues, tourStops: readonly Stop[], keptStopIds: readonly string[] = []): unknown => ({
  ...(text(v, 'id') ? { staffId: text(v, 'id') } : {}),
  name: text(v, 'name'),
  role: text(v, 'role'),
  institutionId: text(v, 'institutionId') || null,
  stopIds: [...keptStopIds, ...tourStops.filter((s) => v[`stop_${s.id}`] === '1').map((s) => s.id)],
  issueSetupCode: true,
});

// ---- records → form fields (editing) ----

export const tourValues = (t: Tour): FormValues => ({ id: t.id, name: t.name, nameKo: t.nameKo, year: String(t.year), startDate: t.startDate ?? '', endDate: t.endDate ?? '' });
export const stopValues = (s: Stop): FormValues => ({ id: s.id, round: s.round, city: s.city, cityKo: s.cityKo, venue: s.venue, campus: s.campus, date: s.date, timeZone: s.timeZone, kind: s.kind });
export const sessionValues = (s: StopSession): FormValues => ({
  id: s.id,
  kind: s.kind,
  title: s.title,
  titleKo: s.titleKo,
  startTime: s.startTime,
  endTime: s.endTime,
  room: s.room,
  capacity: s.capacity === null ? '' : String(s.capacity),
  cancelled: s.cancelled ? '1' : '',
});
export const institutionValues = (i: Institution): FormValues => ({
  id: i.id,
  name: i.name,
  nameKo: i.nameKo,
  shortName: i.shortName,
  kind: i.kind,
  programs: i.programs.join(', '),
  contactName: i.contactName,
  contactEmail: i.contactEmail,
});
export const programValues = (p: Program): FormValues => ({
  id: p.id,
  institutionId: p.institutionId ?? '',
  name: p.name,
  nameKo: p.nameKo,
  kind: p.kind,
  places: p.places === null ? '' : String(p.places),
  active: p.active ? '1' : '',
});
export const boothValues = (b: BoothView, plan: BoothPlan | null): FormValues => ({
  id: b.id,
  institutionId: b.institutionId,
  location: b.location,
  staff: b.staff.join(', '),
  startTime: plan?.startTime ?? '',
  endTime: plan?.endTime ?? '',
  slotMinutes: plan ? String(plan.slotMinutes) : '',
  capacity: plan ? String(plan.capacity) : '',
  breaks: plan ? formatBreaks(plan.breaks) : '',
});
export const staffValues = (s: StaffView): FormValues => ({
  id: s.id,
  name: s.name,
  role: s.role,
  institutionId: s.institutionId ?? '',
  ...Object.fromEntries(s.stopIds.map((id) => [`stop_${id}`, '1'])),
});

// ---- refusals → messages beside fields ----

/** The form field an issue's path names: the plan's fields sit on the booth form itself; list items on their list. */
function fieldOf(path: readonly PropertyKey[] | string): string {
  const parts = (typeof path === 'string' ? path.split('.') : path.map(String)).filter((p) => p !== 'plan');
  const first = parts[0] ?? '_form';
  if (first === 'stopIds') return 'stops';
  if (first === 'staffId') return '_form';
  return first;
}

/** Number fields' bounds (the schemas'), for a message that says which numbers are allowed. */
const RANGES: Partial<Record<`${FormId}.${string}`, [number, number]>> = {
  'tour-new.year': [2000, 2100],
  'tour.year': [2000, 2100],
  'session.capacity': [1, 100_000],
  'booth.slotMinutes': [5, 240],
  'booth.capacity': [1, 50],
  'program.places': [1, 100_000],
};

function issueMessage(issue: z.core.$ZodIssue, form: FormId, field: string, values: FormValues, fe: DashboardText['fieldErrors']): string {
  if (field === 'breaks') return fe.breaks;
  // An empty field is "required" whatever the schema's wording.
  if (field in values && text(values, field) === '' && issue.code !== 'custom') return fe.required;
  const range = RANGES[`${form}.${field}`];
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      if (issue.origin === 'number') return range ? fill(fe.range, { min: range[0], max: range[1] }) : fe.number;
      if (issue.origin === 'string') return issue.code === 'too_small' ? fe.required : fill(fe.tooLong, { max: Number(issue.maximum) });
      return fe.invalid;
    case 'invalid_type':
      if (issue.expected === 'number') return range ? fill(fe.range, { min: range[0], max: range[1] }) : fe.number;
      return fe.required;
    case 'invalid_format':
      if (issue.format === 'date') return fe.date;
      if (issue.format === 'email') return fe.email;
      if (field === 'startTime' || field === 'endTime') return fe.time;
      return fe.invalid;
    case 'invalid_value':
      return fe.choice;
    case 'invalid_union':
      return field === 'contactEmail' ? fe.email : fe.invalid;
    case 'custom':
      return field === 'timeZone' ? fe.timeZone : fe.invalid;
    default:
      return fe.invalid;
  }
}

/** Runs the channel's own schema on what the form gave: full zod issues (bounds, formats) for the messages. */
export function checkInput<C extends Channel>(channel: C, raw: unknown, form: FormId, values: FormValues, t: DashboardText): { ok: true; input: ApiInput<C> } | { ok: false; errors: FieldErrors } {
  const parsed = contract[channel].input.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data as ApiInput<C> };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path);
    errors[field] ??= issueMessage(issue, form, field, values, t.fieldErrors);
  }
  return { ok: false, errors };
}

const PLAN_PROBLEM_FIELD: Record<PlanProblem, string> = {
  end_before_start: 'endTime',
  break_end_before_start: 'breaks',
  break_outside_hours: 'breaks',
  breaks_overlap: 'breaks',
  no_slots: 'slotMinutes',
};

const str = (x: unknown): string => (typeof x === 'string' || typeof x === 'number' ? String(x) : '');

/**
 * A handler's refusal as messages beside fields: VALIDATION names its field in `details.issues[0].path`
 * (with the values the message needs beside it in `details`), INVALID_BOOTH_PLAN its problem, NOT_FOUND the
 * record's id key. Anything else is said once, above the form.
 */
export function refusalErrors(error: ApiErrorShape, form: FormId, t: DashboardText): FieldErrors {
  const fe = t.fieldErrors;
  const d = (error.details ?? {}) as Record<string, unknown>;
  if (error.code === 'VALIDATION') {
    const issues = Array.isArray(d.issues) ? (d.issues as { path?: unknown; code?: unknown }[]) : [];
    const path = str(issues[0]?.path);
    const field = fieldOf(path);
    const vars = { other: str(d.other), from: str(d.from), to: str(d.to), start: str(d.start), end: str(d.end) };
    const custom: Record<string, string> = {
      endDate: fe.endBeforeStart,
      endTime: fe.endBeforeStart,
      date: fill(fe.dateOutsideTour, vars),
      round: fill(fe.roundTaken, vars),
      startTime: fill(fe.roomTaken, vars),
      shortName: fill(fe.shortNameTaken, vars),
      ...(form === 'program' ? { name: t.programs.nameTaken } : {}),
      institutionId: form === 'staff' ? fe.needsInstitution : form === 'program' ? fe.notFound : fe.boothExists,
      stopId: fe.staysAtStop,
      fromStopId: fe.pickAnotherStop,
    };
    if (issues[0]?.code === 'custom' && custom[field]) return { [field]: custom[field] };
    return { [field]: fill(t.errors.failed, { message: error.message }) };
  }
  if (error.code === 'INVALID_BOOTH_PLAN') {
    const problem = str(d.problem) as PlanProblem;
    const field = PLAN_PROBLEM_FIELD[problem];
    return field ? { [field]: fe.plan[problem] } : { _form: fill(t.errors.failed, { message: error.message }) };
  }
  if (error.code === 'NOT_FOUND') {
    const key = ['institutionId', 'stopId', 'tourId', 'boothId'].find((k) => k in d);
    if (key === 'institutionId') return { institutionId: fe.notFound };
    if (key === 'stopId' && form === 'staff') return { stops: fe.notFound };
    if (key === 'stopId' && form === 'copy') return { fromStopId: fe.notFound };
    return { _form: fe.notFound };
  }
  return { _form: fill(t.errors.failed, { message: error.message }) };
}
