import type { FieldChange } from '../../shared/events/attendeeCorrectionEvents';
import { CORRECTABLE_FIELD_NAMES } from '../../shared/events/attendeeCorrectionEvents';
import { AppError } from '../../shared/errors';
import type { attendeeCorrectionContract } from '../../shared/ipc/attendeeCorrectionContract';
import { hasAName, type Attendee } from '../../shared/schemas/attendees';
import { perDb } from '../store/perDb';
import { createAttendeeCorrectionQueries } from '../store/queries/attendeeCorrectionQueries';
import type { ApiContext } from './apiContext';
import { readSettings } from './appHandlers';
import type { HandlerMap } from './handler';

const q = perDb(createAttendeeCorrectionQueries);

type Values = Partial<Omit<Attendee, 'id'>>;

/** A set of research fields has no order: compare and store it sorted, without repeats. */
const canonical = (field: FieldChange['field'], v: FieldChange['after']): FieldChange['after'] =>
  field === 'fields' && Array.isArray(v) ? [...new Set(v)].sort() : v;
const same = (a: FieldChange['after'], b: FieldChange['after']): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The fields whose value in `values` differs from the person's (all given fields when `all`). */
function changesOf(current: Attendee, values: Values, all: boolean): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of CORRECTABLE_FIELD_NAMES) {
    const next = values[field];
    if (next === undefined) continue;
    const before = canonical(field, current[field]);
    const after = canonical(field, next);
    if (all || !same(before, after)) out.push({ field, before, after });
  }
  return out;
}

function requireAttendee(ctx: ApiContext, attendeeId: string): Attendee {
  const a = q(ctx.store.db).attendee(attendeeId);
  if (!a) throw new AppError('NOT_FOUND', `No attendee ${attendeeId}`, { attendeeId });
  return a;
}

/** A person keeps at least one name: a correction may not erase the last one. */
function requireName(current: Attendee, values: Values): void {
  if (!hasAName({ ...current, ...values })) throw new AppError('VALIDATION', 'A name in Latin script or Hangul is required', { field: 'name' });
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** The desk's stop when the person is registered there, so the event counts with that stop (sync digests, purge). */
function eventMeta(ctx: ApiContext) {
  return { actorId: ctx.actorId, stopId: readSettings(ctx).currentStopId };
}

function editState(ctx: ApiContext, attendeeId: string) {
  const s = q(ctx.store.db).editState(attendeeId);
  if (!s) throw new AppError('NOT_FOUND', `No attendee ${attendeeId}`, { attendeeId });
  return s;
}

export const attendeeCorrectionHandlers: HandlerMap<keyof typeof attendeeCorrectionContract> = {
  'attendees:get': ({ attendeeId }, ctx) => editState(ctx, attendeeId),
  'attendees:edit': ({ attendeeId, baseCorrectionIds, values }, ctx) =>
    ctx.store.events.transaction(() => {
      const current = requireAttendee(ctx, attendeeId);
      const state = q(ctx.store.db).state(attendeeId);
      // As for consultations: once two desks' changes clash, someone chooses before anyone edits on.
      if (state.conflicts.length > 0) throw new AppError('ATTENDEE_IN_CONFLICT', `Attendee ${attendeeId} has conflicting corrections`, { attendeeId });
      if (!sameSet(baseCorrectionIds, state.headIds)) throw new AppError('ATTENDEE_CHANGED', `Attendee ${attendeeId} was corrected since the form was opened`, { attendeeId });
      requireName(current, values);
      const changes = changesOf(current, values, false);
      if (changes.length > 0) {
        ctx.store.events.append('attendee_corrected', { attendeeId, baseCorrectionIds: state.headIds, changes, desk: readSettings(ctx).deskName }, eventMeta(ctx));
      }
      return editState(ctx, attendeeId);
    }),
  'attendees:resolve': ({ attendeeId, resolvedCorrectionIds, values }, ctx) =>
    ctx.store.events.transaction(() => {
      const current = requireAttendee(ctx, attendeeId);
      const state = q(ctx.store.db).state(attendeeId);
      if (state.conflicts.length === 0 || !sameSet(resolvedCorrectionIds, state.headIds)) {
        throw new AppError('ATTENDEE_CHANGED', `The corrections of ${attendeeId} changed since the conflict was shown`, { attendeeId });
      }
      const missing = state.conflicts.filter((c) => values[c.field] === undefined).map((c) => c.field);
      if (missing.length > 0) throw new AppError('VALIDATION', `Choose a value for ${missing.join(', ')}`, { fields: missing });
      requireName(current, values);
      // Every conflicting field is written again, even when the kept value is the one shown: the
      // resolution's newer HLC then wins that field wherever the two sides arrive later.
      const changes = changesOf(current, values, true);
      ctx.store.events.append('attendee_correction_resolved', { attendeeId, resolvedCorrectionIds: state.headIds, changes, desk: readSettings(ctx).deskName }, eventMeta(ctx));
      return editState(ctx, attendeeId);
    }),
  'attendees:history': ({ attendeeId }, ctx) => {
    requireAttendee(ctx, attendeeId);
    return q(ctx.store.db).history(attendeeId);
  },
  'attendees:flagged': ({ stopId }, ctx) => q(ctx.store.db).flagged(stopId),
};
