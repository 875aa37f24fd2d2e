import { afterEach, describe, expect, it } from 'vitest';
import { normalizeContent } from '../../../core/domain/consultationRevisions';
import { runMigrations } from '../../../core/store/migrations/index';
import type { Store } from '../../../core/store/openStore';
import { openSqlite } from '../../../core/store/sqlite';
import { ConsultationContent } from '../../../shared/schemas/consultations';
import { CURRENT_SCHEMA_VERSION } from '../../../shared/events/eventTypes';
import { encodeHlc } from '../../../core/sync/hlc';
import { createTestStore, disposeTestStore } from '../../helpers/testStore';

/** A consultation's content as revisions stored it before issue #21 (no programIds). */
const OLD = { staffName: 'Park Jiwoo', fields: ['ai'], otherFields: [], careerStage: 'postdoc', programs: ['brain_to_korea'], interestLevel: 'high', preferredStart: '', followUpAction: '', followUpOwner: '', followUpDue: '', followUpStatus: 'none', notes: 'n' };

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

describe('migration 0880 (consultations name programmes)', () => {
  it('adds program_ids and gives stored content programIds: [] in the form a fresh fold writes', () => {
    const db = openSqlite(':memory:');
    runMigrations(db, 850);
    const old = JSON.stringify(OLD);
    db.prepare(
      "INSERT INTO consultation_revisions (event_id, consultation_id, kind, base_ids, editor, content, device_id, desk, actor_id, hlc, at) VALUES ('e1', 'k1', 'logged', '[]', 'Park Jiwoo', ?, 'd', '', NULL, 'h', '2025-11-14T15:00:00.000Z')",
    ).run(old);
    db.prepare(
      "INSERT INTO consultation_current (consultation_id, current_revision_id, head_ids, conflict, revision_count, updated_at, interest_level, follow_up_status, fields, other_fields, programs, notes_search, content) VALUES ('k1', 'e1', '[\"e1\"]', 0, 1, '2025-11-14T15:00:00.000Z', 'high', 'none', '[\"ai\"]', '[]', '[\"brain_to_korea\"]', 'n', ?)",
    ).run(old);
    expect(runMigrations(db)).toBeGreaterThanOrEqual(880);
    const fresh = JSON.stringify(normalizeContent(ConsultationContent.parse(OLD)));
    expect((db.prepare('SELECT content FROM consultation_revisions').get() as { content: string }).content).toBe(fresh);
    expect(db.prepare('SELECT content, program_ids FROM consultation_current').get()).toEqual({ content: fresh, program_ids: '[]' });
    expect(JSON.parse(fresh)).toMatchObject({ programs: ['brain_to_korea'], programIds: [] });
    db.close();
  });

  it('folds an event written before programmes were master data (no programIds) as naming none', () => {
    const store = createTestStore();
    stores.push(store);
    const at = Date.parse('2025-11-14T15:00:00Z');
    store.events.ingest([
      {
        eventId: '0190a0a0-0000-7000-8000-000000000001',
        deviceId: 'old-laptop',
        deviceSeq: 1,
        hlc: encodeHlc(at, 0, 'old-laptop'),
        type: 'consultation_logged',
        schemaVersion: CURRENT_SCHEMA_VERSION,
        actorId: null,
        stopId: 's1',
        recordedAt: new Date(at).toISOString(),
        payload: { consultationId: 'k1', stopId: 's1', institutionId: 'i1', boothId: null, bookingId: null, attendeeId: null, registrationId: null, visitorLabel: 'PhD student', content: OLD },
      },
    ]);
    const row = store.db.prepare('SELECT content, program_ids FROM consultation_current').get() as { content: string; program_ids: string };
    expect(row.program_ids).toBe('[]');
    expect(JSON.parse(row.content)).toMatchObject({ programs: ['brain_to_korea'], programIds: [] });
  });
});
