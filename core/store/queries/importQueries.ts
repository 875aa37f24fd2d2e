import type { ImportMapping } from '../../../shared/ipc/importContract';
import { ImportMapping as ImportMappingSchema } from '../../../shared/ipc/importContract';
import type { AttendeeFields } from '../../../shared/schemas/attendees';
import type { ConsentScope } from '../../../shared/vocab';
import type { ImportSnapshot } from '../../domain/importPlan';
import { personNameKey } from '../../domain/importRows';
import type { Db } from '../sqlite';

interface AttendeeRow {
  id: string;
  family_name: string;
  given_name: string;
  name_ko: string;
  email: string;
  affiliation: string;
  career_stage: AttendeeFields['careerStage'];
  fields: string;
}

const MAPPING_KEY = (sourceKey: string) => `import.mapping.${sourceKey}`;

/** Reads what an import is planned against, and the mappings remembered per source (local settings). */
export function createImportQueries(db: Db) {
  const attendees = db.prepare<[], AttendeeRow>('SELECT id, family_name, given_name, name_ko, email, affiliation, career_stage, fields FROM attendees');
  const regs = db.prepare<[string], { id: string; attendee_id: string; scan_token: string }>('SELECT id, attendee_id, scan_token FROM registrations WHERE stop_id = ? ORDER BY hlc');
  const tokens = db.prepare<[], { scan_token: string; attendee_id: string }>('SELECT scan_token, attendee_id FROM registrations');
  const getSetting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const setSetting = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const consents = db.prepare<[], { attendee_id: string; scope: ConsentScope; text_version: string; hlc: string }>('SELECT attendee_id, scope, text_version, hlc FROM consents');
  const position = db.prepare<[], { s: number }>('SELECT COALESCE(MAX(local_seq), 0) AS s FROM events');

  return {
    /** Grows with every event stored (local or synced): a plan made at the same position is still valid. */
    logPosition: (): number => position.get()!.s,
    /** `consents`: also each person's effective consent (the latest by HLC), for a file with a consent column. */
    snapshot(stopId: string, options: { consents?: boolean } = {}): ImportSnapshot {
      const snap: ImportSnapshot = { attendees: new Map(), byEmail: new Map(), byName: new Map(), regAtStop: new Map(), tokenOwner: new Map() };
      for (const r of attendees.iterate()) {
        const a: AttendeeFields = {
          familyName: r.family_name,
          givenName: r.given_name,
          nameKo: r.name_ko,
          email: r.email,
          affiliation: r.affiliation,
          careerStage: r.career_stage,
          fields: JSON.parse(r.fields) as AttendeeFields['fields'],
        };
        snap.attendees.set(r.id, a);
        if (a.email) snap.byEmail.set(a.email.toLowerCase(), r.id);
        const key = personNameKey(a);
        const list = snap.byName.get(key);
        if (list) list.push(r.id);
        else snap.byName.set(key, [r.id]);
      }
      for (const r of regs.iterate(stopId)) if (!snap.regAtStop.has(r.attendee_id)) snap.regAtStop.set(r.attendee_id, { id: r.id, scanToken: r.scan_token });
      for (const r of tokens.iterate()) snap.tokenOwner.set(r.scan_token.toUpperCase(), r.attendee_id);
      if (options.consents) {
        const latest = new Map<string, { scope: ConsentScope; textVersion: string; hlc: string }>();
        for (const r of consents.iterate()) {
          const known = latest.get(r.attendee_id);
          if (!known || r.hlc > known.hlc) latest.set(r.attendee_id, { scope: r.scope, textVersion: r.text_version, hlc: r.hlc });
        }
        snap.consentOf = latest;
      }
      return snap;
    },
    rememberedMapping(sourceKey: string): ImportMapping | null {
      const raw = getSetting.get(MAPPING_KEY(sourceKey))?.value;
      if (!raw) return null;
      try {
        const parsed = ImportMappingSchema.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    rememberMapping(sourceKey: string, mapping: ImportMapping): void {
      setSetting.run(MAPPING_KEY(sourceKey), JSON.stringify(mapping));
    },
  };
}
