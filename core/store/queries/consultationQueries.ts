import type { z } from 'zod';
import type { ListConsultationsInput } from '../../../shared/ipc/consultationsContract';
import type {
  ConsentView,
  ConsultationContent,
  ConsultationDetail,
  ConsultationPerson,
  ConsultationSummary,
  RevisionView,
} from '../../../shared/schemas/consultations';
import type { ConsentScope } from '../../../shared/vocab';
import { consentCovers, effectiveConsent } from '../../domain/consentFilter';
import { changedKeys } from '../../domain/consultationRevisions';
import type { ExportConsent, FollowUpSource } from '../../domain/followUpExport';
import { normalizeQuery } from '../../domain/searchText';
import type { Db } from '../sqlite';
import { mergedGroupOf } from './mergedGroupSql';

type ListFilters = z.output<typeof ListConsultationsInput>;

interface SummaryRow {
  id: string;
  stop_id: string;
  institution_id: string;
  booth_id: string | null;
  booking_id: string | null;
  attendee_id: string | null;
  registration_id: string | null;
  visitor_label: string;
  at: string;
  current_revision_id: string;
  head_ids: string;
  conflict: number;
  revision_count: number;
  updated_at: string;
  content: string;
  short_name: string | null;
  family_name: string | null;
  given_name: string | null;
  name_ko: string | null;
  email: string | null;
  affiliation: string | null;
}
interface RevisionRow {
  event_id: string;
  kind: RevisionView['kind'];
  base_ids: string;
  editor: string;
  content: string;
  device_id: string;
  desk: string;
  actor_id: string | null;
  at: string;
}
interface ConsentRow {
  id: string;
  scope: ConsentScope;
  institution_id: string | null;
  text_version: string;
  given_at: string;
  hlc: string;
}

const SELECT_SUMMARY = `
  SELECT c.id, c.stop_id, c.institution_id, c.booth_id, c.booking_id, c.attendee_id, c.registration_id, c.visitor_label, c.at,
         cur.current_revision_id, cur.head_ids, cur.conflict, cur.revision_count, cur.updated_at, cur.content,
         i.short_name, a.family_name, a.given_name, a.name_ko, a.email, a.affiliation
  FROM consultations c
  JOIN consultation_current cur ON cur.consultation_id = c.id
  LEFT JOIN institutions i ON i.id = c.institution_id
  LEFT JOIN attendees a ON a.id = c.attendee_id`;

const SCOPE_WHERE = `(@stopId IS NULL OR c.stop_id = @stopId) AND (@institutionId IS NULL OR c.institution_id = @institutionId)`;

/**
 * The WHERE clause of a list call, with only the conditions the filters use, so SQLite can use the
 * stop / institution indexes (an `@x IS NULL OR …` condition would make it scan every row).
 */
function filterWhere(f: ListFilters, words: number): { key: string; sql: string } {
  const parts: string[] = [];
  if (f.stopId !== null) parts.push('c.stop_id = @stopId');
  if (f.institutionId !== null) parts.push('c.institution_id = @institutionId');
  if (f.interestLevel !== null) parts.push('cur.interest_level = @interestLevel');
  if (f.followUpStatus !== null) parts.push('cur.follow_up_status = @followUpStatus');
  if (f.program !== null) parts.push('EXISTS (SELECT 1 FROM json_each(cur.programs) WHERE value = @program)');
  if (f.field !== '') {
    parts.push(`(EXISTS (SELECT 1 FROM json_each(cur.fields) WHERE value = @field)
      OR EXISTS (SELECT 1 FROM json_each(cur.other_fields) WHERE value = @fieldLower))`);
  }
  for (let i = 0; i < words; i++) parts.push(`instr(cur.notes_search, @w${i}) > 0`);
  const sql = parts.length ? parts.join(' AND ') : '1';
  return { key: sql, sql };
}

function toPerson(r: SummaryRow): ConsultationPerson | null {
  if (!r.attendee_id) return null;
  return {
    attendeeId: r.attendee_id,
    familyName: r.family_name ?? '',
    givenName: r.given_name ?? '',
    nameKo: r.name_ko ?? '',
    email: r.email ?? '',
    affiliation: r.affiliation ?? '',
  };
}

function toSummary(r: SummaryRow): ConsultationSummary {
  return {
    consultationId: r.id,
    stopId: r.stop_id,
    institutionId: r.institution_id,
    institutionShortName: r.short_name ?? r.institution_id,
    person: toPerson(r),
    visitorLabel: r.visitor_label,
    bookingId: r.booking_id,
    loggedAt: r.at,
    updatedAt: r.updated_at,
    content: JSON.parse(r.content) as ConsultationContent,
    revisionCount: r.revision_count,
    conflict: r.conflict === 1,
  };
}

const toConsentView = (c: ConsentRow): ConsentView => ({
  consentId: c.id,
  scope: c.scope,
  institutionId: c.institution_id,
  textVersion: c.text_version,
  givenAt: c.given_at,
});

export function createConsultationQueries(db: Db) {
  const byId = db.prepare<[string], SummaryRow>(`${SELECT_SUMMARY} WHERE c.id = ?`);
  const revisions = db.prepare<[string], RevisionRow>(
    'SELECT event_id, kind, base_ids, editor, content, device_id, desk, actor_id, at FROM consultation_revisions WHERE consultation_id = ? ORDER BY hlc',
  );
  // A person's consent is the latest over every record of their merged group (core/domain/consentFilter.ts; the
  // portal and LeadOutcomes apply the same rule): a withdrawal on one record counts for the person.
  const consents = db.prepare<{ a: string }, ConsentRow>(
    `SELECT id, scope, institution_id, text_version, given_at, hlc FROM consents WHERE attendee_id IN ${mergedGroupOf('@a')}`,
  );
  const otherFields = db.prepare<{ stopId: string | null; institutionId: string | null }, { value: string }>(`
    SELECT DISTINCT f.value FROM consultations c JOIN consultation_current cur ON cur.consultation_id = c.id,
      json_each(cur.content, '$.otherFields') f
    WHERE ${SCOPE_WHERE} ORDER BY f.value COLLATE NOCASE`);
  const exportRows = db.prepare<{ stopId: string | null; institutionId: string }, SummaryRow & { round: string | null; city: string | null; city_ko: string | null; time_zone: string | null }>(`
    SELECT s.round, s.city, s.city_ko, s.time_zone, x.* FROM (${SELECT_SUMMARY} WHERE c.institution_id = @institutionId AND (@stopId IS NULL OR c.stop_id = @stopId)) x
    LEFT JOIN stops s ON s.id = x.stop_id`);
  // One pair of statements per combination of filters in use, prepared once.
  const listStmts = new Map<string, { items: ReturnType<Db['prepare']>; count: ReturnType<Db['prepare']> }>();

  function statementsFor(f: ListFilters, words: number) {
    const where = filterWhere(f, words);
    let s = listStmts.get(where.key);
    if (!s) {
      s = {
        items: db.prepare(`${SELECT_SUMMARY} WHERE ${where.sql} ORDER BY c.at DESC, c.id LIMIT @limit`),
        count: db.prepare(`SELECT COUNT(*) AS n FROM consultations c JOIN consultation_current cur ON cur.consultation_id = c.id WHERE ${where.sql}`),
      };
      listStmts.set(where.key, s);
    }
    return s;
  }

  function consentsOf(attendeeId: string): (ExportConsent & { row: ConsentRow })[] {
    return consents.all({ a: attendeeId }).map((c) => ({ scope: c.scope, institutionId: c.institution_id, hlc: c.hlc, textVersion: c.text_version, givenAt: c.given_at, row: c }));
  }

  return {
    list(f: ListFilters): { items: ConsultationSummary[]; total: number; otherFields: string[] } {
      const words = normalizeQuery(f.notesQuery).split(/\s+/).filter(Boolean).slice(0, 8);
      const s = statementsFor(f, words.length);
      // better-sqlite3 refuses named parameters the statement does not use: pass only those in use.
      const params: Record<string, unknown> = { limit: f.limit };
      if (f.stopId !== null) params.stopId = f.stopId;
      if (f.institutionId !== null) params.institutionId = f.institutionId;
      if (f.interestLevel !== null) params.interestLevel = f.interestLevel;
      if (f.followUpStatus !== null) params.followUpStatus = f.followUpStatus;
      if (f.program !== null) params.program = f.program;
      if (f.field !== '') {
        params.field = f.field;
        params.fieldLower = f.field.toLocaleLowerCase();
      }
      words.forEach((w, i) => (params[`w${i}`] = w));
      const countParams = { ...params };
      delete countParams.limit;
      const items = (s.items.all(params) as SummaryRow[]).map(toSummary);
      const total = (s.count.get(countParams) as { n: number }).n;
      return { items, total, otherFields: otherFields.all({ stopId: f.stopId, institutionId: f.institutionId }).map((r) => r.value) };
    },

    detail(consultationId: string): ConsultationDetail | null {
      const r = byId.get(consultationId);
      if (!r) return null;
      const heads = JSON.parse(r.head_ids) as string[];
      const headSet = new Set(heads);
      const revs = revisions.all(consultationId);
      const contentById = new Map(revs.map((v) => [v.event_id, JSON.parse(v.content) as ConsultationContent]));
      const history: RevisionView[] = revs.map((v) => {
        const bases = JSON.parse(v.base_ids) as string[];
        const content = contentById.get(v.event_id)!;
        // A resolution is compared with the newest version it resolved (the one that was shown).
        const known = bases.filter((b) => contentById.has(b));
        const base = known.length ? contentById.get(revs.filter((x) => known.includes(x.event_id)).at(-1)!.event_id)! : null;
        return {
          revisionId: v.event_id,
          kind: v.kind,
          baseRevisionIds: bases,
          editor: v.editor,
          deviceId: v.device_id,
          desk: v.desk,
          actorId: v.actor_id,
          at: v.at,
          content,
          changed: v.kind === 'logged' ? [] : changedKeys(base, content),
          head: headSet.has(v.event_id),
        };
      });
      const consent = r.attendee_id ? effectiveConsent(consentsOf(r.attendee_id)) : null;
      return {
        ...toSummary(r),
        boothId: r.booth_id,
        registrationId: r.registration_id,
        currentRevisionId: r.current_revision_id,
        headRevisionIds: heads,
        history,
        consent: consent ? toConsentView(consent.row) : null,
        consentCoversInstitution: consentCovers(consent, r.institution_id),
      };
    },

    /** Ids of this consultation's revisions (to check that an edit names one of them). */
    hasRevision(consultationId: string, revisionId: string): boolean {
      return revisions.all(consultationId).some((v) => v.event_id === revisionId);
    },

    attendeeConsent(attendeeId: string): ConsentView | null {
      const c = effectiveConsent(consentsOf(attendeeId));
      return c ? toConsentView(c.row) : null;
    },

    /** Everything the export rules need for one institution (all stops, or one). */
    exportSources(institutionId: string, stopId: string | null): FollowUpSource[] {
      return exportRows.all({ institutionId, stopId }).map((r) => {
        const s = toSummary(r);
        const cs: ExportConsent[] = r.attendee_id ? consentsOf(r.attendee_id) : [];
        return {
          consultationId: s.consultationId,
          institutionId: s.institutionId,
          stopLabel: r.city ? { en: `${r.round} ${r.city}`, ko: `${r.round} ${r.city_ko || r.city}` } : { en: s.stopId, ko: s.stopId },
          stopTimeZone: r.time_zone ?? 'UTC',
          loggedAt: s.loggedAt,
          person: s.person,
          consents: cs,
          content: s.content,
          conflict: s.conflict,
        };
      });
    },
  };
}
export type ConsultationQueries = ReturnType<typeof createConsultationQueries>;
