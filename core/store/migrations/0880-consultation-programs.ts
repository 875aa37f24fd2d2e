import type { Migration } from './migration';

/** Content as revisions store it, with `programIds: []` placed where the schema puts it (after `programs`). */
function withProgramIds(json: string): string {
  const c = JSON.parse(json) as Record<string, unknown>;
  if ('programIds' in c) return json;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    out[k] = v;
    if (k === 'programs') out.programIds = [];
  }
  if (!('programIds' in out)) out.programIds = [];
  return JSON.stringify(out);
}

/**
 * Issue #21: consultations name programmes (master data) by id. The ids live in each revision's content (JSON,
 * so an edit or a conflict resolution carries them like every other field); `consultation_current.program_ids`
 * holds the current revision's, for queries (per programme counts, filters). Content stored before gets
 * `programIds: []` in the very form a fresh fold of the same events writes, so a migrated laptop and one that
 * rebuilt its tables hash the same (convergence check).
 */
export const migration0880: Migration = {
  version: 880,
  name: 'consultation-programs',
  up(db) {
    db.exec(`ALTER TABLE consultation_current ADD COLUMN program_ids TEXT NOT NULL DEFAULT '[]';`);
    const revisions = db.prepare<[], { event_id: string; content: string }>('SELECT event_id, content FROM consultation_revisions').all();
    const setRevision = db.prepare('UPDATE consultation_revisions SET content = ? WHERE event_id = ?');
    for (const r of revisions) {
      const next = withProgramIds(r.content);
      if (next !== r.content) setRevision.run(next, r.event_id);
    }
    const current = db.prepare<[], { consultation_id: string; content: string }>('SELECT consultation_id, content FROM consultation_current').all();
    const setCurrent = db.prepare('UPDATE consultation_current SET content = ? WHERE consultation_id = ?');
    for (const r of current) {
      const next = withProgramIds(r.content);
      if (next !== r.content) setCurrent.run(next, r.consultation_id);
    }
  },
};
