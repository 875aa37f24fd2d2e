import type { ConsentHistoryEntry } from '../../../shared/ipc/consentContract';
import type { ConsentScope } from '../../../shared/vocab';
import { effectiveConsent } from '../../domain/consentFilter';
import type { Db } from '../sqlite';

interface Row {
  id: string;
  scope: ConsentScope;
  institution_id: string | null;
  short_name: string | null;
  text_version: string;
  wording: string | null;
  given_at: string;
  hlc: string;
}

/** A person's consents (issue #22): every one they gave, the latest by HLC the one that applies. */
export function createConsentQueries(db: Db) {
  const ofAttendee = db.prepare<[string], Row>(`
    SELECT c.id, c.scope, c.institution_id, i.short_name, c.text_version, c.wording, c.given_at, c.hlc
    FROM consents c LEFT JOIN institutions i ON i.id = c.institution_id
    WHERE c.attendee_id = ? ORDER BY c.hlc DESC, c.id`);
  return {
    history(attendeeId: string): ConsentHistoryEntry[] {
      const rows = ofAttendee.all(attendeeId);
      const latest = effectiveConsent(rows.map((r) => ({ scope: r.scope, institutionId: r.institution_id, hlc: r.hlc, id: r.id })));
      return rows.map((r) => ({
        consentId: r.id,
        scope: r.scope,
        institutionId: r.institution_id,
        institutionShortName: r.short_name,
        textVersion: r.text_version,
        wording: r.wording,
        givenAt: r.given_at,
        effective: r.id === latest?.id,
      }));
    },
  };
}
