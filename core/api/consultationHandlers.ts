import { readSettings } from './appHandlers';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { consultationsContract } from '../../shared/ipc/consultationsContract';
import type { ConsentInput, ConsultationContent, ConsultationDetail } from '../../shared/schemas/consultations';
import { changedKeys, normalizeContent } from '../domain/consultationRevisions';
import { followUpExportFile } from '../export/followUpExportFile';
import { perDb } from '../store/perDb';
import { createConsultationQueries } from '../store/queries/consultationQueries';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createProgramQueries } from '../store/queries/programQueries';
import { createRegistrationQueries } from '../store/queries/registrationQueries';
import type { ApiContext } from './apiContext';
import { assertInstitutionVisible, institutionScope } from './authorization';
import type { HandlerMap } from './handler';

const consQ = perDb(createConsultationQueries);
const masterQ = perDb(createMasterDataQueries);
const regQ = perDb(createRegistrationQueries);
const programQ = perDb(createProgramQueries);

/**
 * The programmes a consultation names (issue #21): each one of the consultation's institution or a national one,
 * and offered (active) unless the consultation named it already (`kept`: an edit keeps a programme retired since).
 */
function checkProgramIds(ctx: ApiContext, institutionId: string, programIds: readonly string[], kept: ReadonlySet<string> = new Set()): void {
  const q = programQ(ctx.store.db);
  for (const id of programIds) {
    const program = q.get(id);
    const refuse = (message: string) => {
      throw new AppError('VALIDATION', message, { issues: [{ path: 'content.programIds', message, code: 'custom' }], programId: id });
    };
    if (!program) refuse(`No programme ${id}`);
    else if (program.institutionId !== null && program.institutionId !== institutionId) refuse(`Programme ${program.name} belongs to another institution`);
    else if (!program.active && !kept.has(id)) refuse(`Programme ${program.name} is no longer offered`);
  }
}

function requireDetail(ctx: ApiContext, consultationId: string): ConsultationDetail {
  const d = consQ(ctx.store.db).detail(consultationId);
  if (!d) throw new AppError('NOT_FOUND', `No consultation ${consultationId}`, { consultationId });
  // Booth staff see only their own institution's consultations.
  assertInstitutionVisible(ctx, d.institutionId);
  return d;
}

function requireInstitution(ctx: ApiContext, institutionId: string) {
  const inst = masterQ(ctx.store.db).institutions().find((i) => i.id === institutionId);
  if (!inst) throw new AppError('NOT_FOUND', `No institution ${institutionId}`, { institutionId });
  return inst;
}

function appendConsent(ctx: ApiContext, attendeeId: string, institutionId: string, stopId: string, consent: ConsentInput): void {
  ctx.store.events.append(
    'consent_recorded',
    {
      consentId: randomUUID(),
      attendeeId,
      scope: consent.scope,
      // Scope "this institution only" names the institution the person talked to.
      institutionId: consent.scope === 'institution' ? institutionId : null,
      textVersion: consent.textVersion,
    },
    { actorId: ctx.actorId, stopId },
  );
}

const sameContent = (a: ConsultationContent, b: ConsultationContent) => changedKeys(a, b).length === 0;

export const consultationHandlers: HandlerMap<keyof typeof consultationsContract> = {
  'consultations:log': (input, ctx) => {
    const master = masterQ(ctx.store.db);
    const stop = master.stop(input.stopId);
    if (!stop) throw new AppError('NOT_FOUND', `No stop ${input.stopId}`, { stopId: input.stopId });
    requireInstitution(ctx, input.institutionId);
    checkProgramIds(ctx, input.institutionId, input.content.programIds);
    if (input.boothId !== null) {
      const booth = master.booths(input.stopId).find((b) => b.id === input.boothId);
      if (!booth || booth.institutionId !== input.institutionId) {
        throw new AppError('VALIDATION', `Booth ${input.boothId} is not ${input.institutionId}'s booth at this stop`, {
          issues: [{ path: 'boothId', message: 'booth not at this stop or of another institution', code: 'custom' }],
        });
      }
    }
    let attendeeId: string | null = null;
    if (input.registrationId !== null) {
      const reg = regQ(ctx.store.db).byId(input.registrationId);
      if (!reg) throw new AppError('NOT_FOUND', `No registration ${input.registrationId}`, { registrationId: input.registrationId });
      if (reg.stopId !== input.stopId) {
        throw new AppError('VALIDATION', 'The registration belongs to another stop', {
          issues: [{ path: 'registrationId', message: 'registration of another stop', code: 'custom' }],
        });
      }
      attendeeId = reg.attendee.id;
    }
    if (input.consent && !attendeeId) {
      throw new AppError('VALIDATION', 'Consent needs a known person (not an anonymous visitor)', {
        issues: [{ path: 'consent', message: 'consent needs a person', code: 'custom' }],
      });
    }
    const consultationId = randomUUID();
    const meta = { actorId: ctx.actorId, stopId: input.stopId };
    ctx.store.events.transaction(() => {
      if (input.consent && attendeeId) appendConsent(ctx, attendeeId, input.institutionId, input.stopId, input.consent);
      ctx.store.events.append(
        'consultation_logged',
        {
          consultationId,
          stopId: input.stopId,
          institutionId: input.institutionId,
          boothId: input.boothId,
          bookingId: input.bookingId,
          attendeeId,
          registrationId: input.registrationId,
          visitorLabel: attendeeId ? '' : input.visitorLabel,
          content: normalizeContent(input.content),
          desk: readSettings(ctx).deskName,
        },
        meta,
      );
    });
    return requireDetail(ctx, consultationId);
  },

  'consultations:get': ({ consultationId }, ctx) => requireDetail(ctx, consultationId),

  'consultations:edit': ({ consultationId, baseRevisionId, editor, content }, ctx) =>
    ctx.store.events.transaction(() => {
      const d = requireDetail(ctx, consultationId);
      if (!d.history.some((r) => r.revisionId === baseRevisionId)) {
        throw new AppError('NOT_FOUND', `No revision ${baseRevisionId} of ${consultationId}`, { baseRevisionId });
      }
      if (d.conflict) {
        throw new AppError('CONFLICT', 'Concurrent edits wait for a person to resolve them first', { headRevisionIds: d.headRevisionIds });
      }
      if (baseRevisionId !== d.currentRevisionId) {
        throw new AppError('STALE_REVISION', 'The consultation changed since it was opened', { currentRevisionId: d.currentRevisionId });
      }
      const next = normalizeContent(content);
      if (sameContent(d.content, next)) return d; // nothing changed: nothing written
      checkProgramIds(ctx, d.institutionId, next.programIds, new Set(d.content.programIds));
      ctx.store.events.append('consultation_edited', { consultationId, baseRevisionId, editor, content: next, desk: readSettings(ctx).deskName }, { actorId: ctx.actorId, stopId: d.stopId });
      return requireDetail(ctx, consultationId);
    }),

  'consultations:resolve': ({ consultationId, revisionIds, editor, content }, ctx) =>
    ctx.store.events.transaction(() => {
      const d = requireDetail(ctx, consultationId);
      const seen = [...new Set(revisionIds)].sort();
      const heads = [...d.headRevisionIds].sort();
      if (!d.conflict || seen.length !== heads.length || seen.some((id, i) => id !== heads[i])) {
        throw new AppError('STALE_REVISION', 'The versions to resolve are no longer the open ones', { headRevisionIds: d.headRevisionIds });
      }
      const named = new Set(d.history.filter((h) => d.headRevisionIds.includes(h.revisionId)).flatMap((h) => h.content.programIds));
      checkProgramIds(ctx, d.institutionId, content.programIds, named);
      ctx.store.events.append(
        'consultation_conflict_resolved',
        { consultationId, resolvedRevisionIds: seen, editor, content: normalizeContent(content), desk: readSettings(ctx).deskName },
        { actorId: ctx.actorId, stopId: d.stopId },
      );
      return requireDetail(ctx, consultationId);
    }),

  'consultations:list': (input, ctx) => {
    const scope = institutionScope(ctx);
    return consQ(ctx.store.db).list(scope === null ? input : { ...input, institutionId: scope });
  },

  'consultations:recordConsent': ({ consultationId, consent }, ctx) =>
    ctx.store.events.transaction(() => {
      const d = requireDetail(ctx, consultationId);
      if (!d.person) {
        throw new AppError('VALIDATION', 'Consent needs a known person (not an anonymous visitor)', {
          issues: [{ path: 'consent', message: 'consent needs a person', code: 'custom' }],
        });
      }
      appendConsent(ctx, d.person.attendeeId, d.institutionId, d.stopId, consent);
      return requireDetail(ctx, consultationId);
    }),

  'consultations:attendeeConsent': ({ attendeeId }, ctx) => {
    const consent = consQ(ctx.store.db).attendeeConsent(attendeeId);
    // Booth staff learn only whether the person shares data with their own institution (issue #17): a
    // consent for another institution or for HQ's statistics is none of their business.
    const scope = institutionScope(ctx);
    if (scope === null || !consent) return consent;
    return consent.scope === 'all_institutions' || (consent.scope === 'institution' && consent.institutionId === scope) ? consent : null;
  },

  'consultations:exportFollowUps': async (input, ctx) => {
    requireInstitution(ctx, input.institutionId);
    const { bytes, ...file } = await followUpExportFile(ctx.store.db, input);
    return { ...file, base64: bytes.toString('base64') };
  },
};
