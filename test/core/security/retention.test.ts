import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrap } from '../../../core/host/bootstrap';
import { backupDir, listBackups } from '../../../core/store/backup';
import { stopDigestOf } from '../../../core/sync/stopDigest';
import { callApi, callApiError } from '../../helpers/callApi';
import { hqHolds } from '../../helpers/hqHolds';
import { startHttpHq, type HttpHq } from '../../helpers/hqHttp';
import { createTestStore, DEMO_STOP, RESOURCES_DIR, tempDir } from '../../helpers/testStore';

const hqs: HttpHq[] = [];
afterEach(async () => {
  for (const h of hqs.splice(0)) await h.close();
});

type Row = { id: string; email: string; family_name: string };

describe('retention: purge a stop once HQ holds it', () => {
  it('removes the stop’s personal data here after a matching HQ digest, records it as an event, and HQ keeps everything', async () => {
    const dataDir = tempDir();
    const boot = bootstrap({ dataDir, resourcesDir: RESOURCES_DIR, mode: 'browser', version: 'test', key: randomBytes(32), signInDemoLead: true });
    const { ctx } = boot;
    const db = ctx.store.db;
    await callApi(ctx, 'backup:create', {});
    const walkIn = await callApi(ctx, 'checkin:registerWalkIn', {
      stopId: DEMO_STOP, familyName: 'Purgeable', givenName: 'Walker', email: 'walker.purgeable@example.edu', consentScope: 'hq_stats', consentTextVersion: '2025-10-v1',
    });
    const onlyHere = db.prepare(`SELECT a.id, a.email, a.family_name FROM attendees a WHERE a.email <> '' AND a.family_name <> ''
      AND EXISTS (SELECT 1 FROM registrations r WHERE r.attendee_id = a.id AND r.stop_id = ?)
      AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.attendee_id = a.id AND r.stop_id <> ?)`).all(DEMO_STOP, DEMO_STOP) as Row[];
    const onlyHereAll = (db.prepare(`SELECT COUNT(*) AS n FROM attendees a
      WHERE EXISTS (SELECT 1 FROM registrations r WHERE r.attendee_id = a.id AND r.stop_id = ?)
      AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.attendee_id = a.id AND r.stop_id <> ?)`).get(DEMO_STOP, DEMO_STOP) as { n: number }).n;
    const alsoElsewhere = db.prepare(`SELECT a.id, a.email, a.family_name FROM attendees a
      WHERE EXISTS (SELECT 1 FROM registrations r WHERE r.attendee_id = a.id AND r.stop_id = ?)
      AND EXISTS (SELECT 1 FROM registrations r WHERE r.attendee_id = a.id AND r.stop_id <> ?)`).all(DEMO_STOP, DEMO_STOP) as Row[];
    expect(onlyHere.length).toBeGreaterThan(5);
    // HQ: another store holding the same events (as after a sync).
    const hq = createTestStore();
    for (const { device_id } of db.prepare('SELECT DISTINCT device_id FROM events').all() as { device_id: string }[]) {
      hq.events.ingest(ctx.store.events.eventsOfDevice(device_id, 0, 1_000_000));
    }
    const hqIds = (hq.db.prepare('SELECT event_id FROM events WHERE stop_id = ?').all(DEMO_STOP) as { event_id: string }[]).map((r) => r.event_id);
    const hqConfirmation = { stopId: DEMO_STOP, ...stopDigestOf(hqIds) };
    expect(await callApi(ctx, 'retention:stopDigest', { stopId: DEMO_STOP })).toEqual(hqConfirmation);
    const attendeesBefore = (db.prepare('SELECT COUNT(*) AS n FROM attendees').get() as { n: number }).n;

    // Without HQ there is nothing to compare with: the laptop's own digest passed as "HQ's" is no proof.
    expect(await callApiError(ctx, 'retention:purgeStop', { stopId: DEMO_STOP, hqConfirmation })).toMatchObject({ code: 'SYNC_NOT_CONFIGURED' });
    expect(await callApi(ctx, 'retention:check', { stopId: DEMO_STOP })).toMatchObject({ state: 'not_connected', remote: null });
    // A real HQ that lacks the stop's last event: refused, with the counts of both sides.
    const http = await startHttpHq();
    hqs.push(http);
    {
      await callApi(ctx, 'sync:configure', { url: http.url });
      await callApi(ctx, 'sync:enroll', { code: await http.newCode({ deviceId: ctx.store.deviceId }), label: 'Desk test' });
      const last = hqIds.length - 1;
      const lastId = (db.prepare('SELECT event_id FROM events WHERE stop_id = ? ORDER BY rowid DESC LIMIT 1').get(DEMO_STOP) as { event_id: string }).event_id;
      await hqHolds(http.storage, ctx.store, { except: (e) => e.eventId === lastId });
      const behind = await callApi(ctx, 'retention:check', { stopId: DEMO_STOP });
      expect(behind).toMatchObject({ state: 'laptop_has_more', local: { eventCount: hqIds.length }, remote: { eventCount: last, source: 'hq' } });
      expect(await callApiError(ctx, 'retention:purgeStop', { stopId: DEMO_STOP, hqConfirmation })).toMatchObject({ code: 'DIGEST_MISMATCH', details: { localCount: hqIds.length, hqCount: last } });
      expect((db.prepare('SELECT COUNT(*) AS n FROM attendees').get() as { n: number }).n).toBe(attendeesBefore);
      // HQ gets the rest: both digests agree.
      await hqHolds(http.storage, ctx.store);
      expect(await callApi(ctx, 'retention:check', { stopId: DEMO_STOP })).toMatchObject({ state: 'equal', remote: { eventCount: hqIds.length, digest: hqConfirmation.digest } });
    }

    // Desk staff may not purge.
    await callApi(ctx, 'auth:lock', {});
    await callApi(ctx, 'auth:signIn', { staffId: 'staff-demo-desk', pin: '222222' });
    expect(await callApiError(ctx, 'retention:purgeStop', { stopId: DEMO_STOP })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'retention:check', { stopId: DEMO_STOP })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await callApi(ctx, 'auth:lock', {});
    await callApi(ctx, 'auth:signIn', { staffId: 'staff-demo-lead', pin: '111111' });

    const consultationsBefore = db.prepare('SELECT COUNT(*) AS n FROM consultations WHERE stop_id = ?').get(DEMO_STOP) as { n: number };
    const consultationIds = (db.prepare('SELECT id FROM consultations WHERE stop_id = ?').all(DEMO_STOP) as { id: string }[]).map((r) => r.id);
    const res = await callApi(ctx, 'retention:purgeStop', { stopId: DEMO_STOP });
    expect(res.attendeesPurged).toBe(onlyHereAll);
    expect(onlyHereAll).toBeGreaterThan(onlyHere.length);
    expect(res.eventsRedacted).toBeGreaterThan(onlyHere.length * 2);
    expect(res.backupsRemoved).toBeGreaterThanOrEqual(1);

    const left = db.prepare('SELECT id FROM attendees WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(onlyHere.map((a) => a.id)));
    expect(left).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM registrations WHERE stop_id = ?').get(DEMO_STOP)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM check_ins WHERE stop_id = ?').get(DEMO_STOP)).toEqual({ n: 0 });
    // Consultations of the stop (the demo booth laptop logged some) go with their revisions and notes.
    expect(consultationsBefore.n).toBeGreaterThan(0);
    expect(db.prepare('SELECT COUNT(*) AS n FROM consultations WHERE stop_id = ?').get(DEMO_STOP)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM consultation_revisions WHERE consultation_id IN (SELECT value FROM json_each(?))').get(JSON.stringify(consultationIds))).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM consultation_current WHERE consultation_id IN (SELECT value FROM json_each(?))').get(JSON.stringify(consultationIds))).toEqual({ n: 0 });
    // Master data of the stop stays.
    expect((db.prepare('SELECT COUNT(*) AS n FROM booths WHERE stop_id = ?').get(DEMO_STOP) as { n: number }).n).toBeGreaterThan(0);
    // People also registered at other stops keep their record here.
    for (const a of alsoElsewhere) expect(db.prepare('SELECT id FROM attendees WHERE id = ?').get(a.id)).toEqual({ id: a.id });
    // No trace of the purged people in the log's payloads, and the purge is an attributed event.
    const payloads = (db.prepare('SELECT payload FROM events').all() as { payload: string }[]).map((r) => r.payload).join('\n');
    for (const a of [...onlyHere.slice(0, 20), { email: 'walker.purgeable@example.edu', family_name: 'Purgeable' }]) {
      expect(payloads).not.toContain(a.email);
    }
    const ev = db.prepare("SELECT actor_id, payload FROM events WHERE type = 'stop_personal_data_purged'").get() as { actor_id: string; payload: string };
    expect(ev.actor_id).toBe('staff-demo-lead');
    expect(JSON.parse(ev.payload)).toMatchObject({ stopId: DEMO_STOP, digest: hqConfirmation.digest });
    // A rebuild of the projections does not bring them back.
    ctx.store.events.rebuildProjections();
    expect(db.prepare('SELECT COUNT(*) AS n FROM registrations WHERE stop_id = ?').get(DEMO_STOP)).toEqual({ n: 0 });
    // Only the fresh post-purge backup is left.
    expect(listBackups(backupDir(dataDir)).map((b) => b.reason)).toEqual(['purge']);
    // HQ applies the purge event as a record only and keeps the data.
    // (a push sends only events HQ has not acknowledged: here, the purge record.)
    const acked = (hq.db.prepare('SELECT MAX(device_seq) AS s FROM events WHERE device_id = ?').get(ctx.store.deviceId) as { s: number }).s;
    hq.events.ingest(ctx.store.events.eventsOfDevice(ctx.store.deviceId, acked, 100_000));
    expect(hq.db.prepare('SELECT COUNT(*) AS n FROM stop_purges').get()).toEqual({ n: 1 });
    expect(hq.db.prepare('SELECT email FROM attendees WHERE id = ?').get(walkIn.attendee.id)).toEqual({ email: 'walker.purgeable@example.edu' });
    expect(hq.db.prepare('SELECT COUNT(*) AS n FROM registrations WHERE stop_id = ?').get(DEMO_STOP)).not.toEqual({ n: 0 });
    boot.shutdown();
    // And the file itself holds nothing of them (it is encrypted anyway; this checks the log after VACUUM too).
    expect(readFileSync(`${dataDir}/roadshow.sqlite`).includes(Buffer.from('walker.purgeable'))).toBe(false);
  });
});

describe('retention: purge a stop whose people came in through an import (registrations_imported)', () => {
  it('redacts the import slices of the stop, removes the people only there, keeps the one also at another stop, and a rebuild agrees', async () => {
    const dataDir = tempDir();
    const boot = bootstrap({ dataDir, resourcesDir: RESOURCES_DIR, mode: 'browser', version: 'test', key: randomBytes(32), signInDemoLead: true });
    const { ctx } = boot;
    const db = ctx.store.db;
    // A demo person registered at another stop but not (yet) at this one: the import registers them here too.
    const other = db.prepare(`SELECT a.id, a.email, a.family_name, a.given_name, a.affiliation, r.stop_id FROM attendees a JOIN registrations r ON r.attendee_id = a.id
      WHERE a.email <> '' AND a.family_name <> '' AND a.given_name <> '' AND r.stop_id <> ?
      AND NOT EXISTS (SELECT 1 FROM registrations x WHERE x.attendee_id = a.id AND x.stop_id = ?) LIMIT 1`).get(DEMO_STOP, DEMO_STOP) as
      { id: string; email: string; family_name: string; given_name: string; affiliation: string; stop_id: string };
    expect(other).toBeDefined();
    const otherRegistrations = db.prepare('SELECT * FROM registrations WHERE attendee_id = ? ORDER BY id').all(other.id);
    const people = [
      ['Importa', 'Alpha', '가나다', 'alpha.importa@example.edu', 'Imported University', 'postdoc', 'ai', ''],
      ['Importa', 'Bravo', '', 'bravo.importa@example.edu', 'Imported University', 'student', 'quantum', 'IMP-BRAVO-1'],
      ['Importa', 'Charlie', '', 'charlie.importa@example.edu', 'Imported Institute', 'faculty', '', ''],
      [other.family_name, other.given_name, '', other.email, other.affiliation, '', '', ''],
    ];
    const text = ['family_name,given_name,name_ko,email,affiliation,career_stage,fields,scan_token', ...people.map((r) => r.join(','))].join('\r\n') + '\r\n';
    const uploadId = '0195f0c0-0000-7000-8000-00000000ab01';
    await callApi(ctx, 'import:upload', { uploadId, fileName: 'purge.csv', index: 0, count: 1, data: Buffer.from(text).toString('base64') });
    const parsed = await callApi(ctx, 'import:parse', { uploadId });
    const out = await callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping: parsed.mapping });
    expect(out).toMatchObject({ created: 3, registered: 1 });
    const slices = db.prepare("SELECT event_id, payload FROM events WHERE type = 'registrations_imported' AND stop_id = ?").all(DEMO_STOP) as { event_id: string; payload: string }[];
    expect(slices.length).toBe(1);
    const importedIds = db.prepare("SELECT id FROM attendees WHERE email LIKE '%.importa@example.edu' ORDER BY id").all() as { id: string }[];
    expect(importedIds.length).toBe(3);
    expect(db.prepare('SELECT COUNT(*) AS n FROM registrations WHERE attendee_id = ? AND stop_id = ?').get(other.id, DEMO_STOP)).toEqual({ n: 1 });

    const hq = createTestStore();
    for (const { device_id } of db.prepare('SELECT DISTINCT device_id FROM events').all() as { device_id: string }[]) {
      hq.events.ingest(ctx.store.events.eventsOfDevice(device_id, 0, 1_000_000));
    }
    const http = await startHttpHq();
    hqs.push(http);
    await callApi(ctx, 'sync:configure', { url: http.url });
    await callApi(ctx, 'sync:enroll', { code: await http.newCode({ deviceId: ctx.store.deviceId }), label: 'Desk test' });
    await hqHolds(http.storage, ctx.store);
    const otherRowBefore = db.prepare('SELECT * FROM attendees WHERE id = ?').get(other.id);
    await callApi(ctx, 'retention:purgeStop', { stopId: DEMO_STOP });

    // The import slice keeps no name or email of anyone, and is left out of rebuilds.
    for (const s of slices) {
      const after = db.prepare('SELECT payload, projected FROM events WHERE event_id = ?').get(s.event_id) as { payload: string; projected: number };
      expect(after.projected).toBe(2);
      expect(JSON.parse(after.payload)).not.toHaveProperty('rows');
      for (const p of people) for (const value of [p[0]!, p[1]!, p[3]!]) expect(after.payload).not.toContain(value);
    }
    const payloads = (db.prepare('SELECT payload FROM events').all() as { payload: string }[]).map((r) => r.payload).join('\n');
    for (const p of people.slice(0, 3)) {
      expect(payloads).not.toContain(p[3]);
      expect(payloads).not.toContain(p[1]);
    }
    // The people only at this stop are gone from every projection table.
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('events', 'stop_purges')").all() as { name: string }[]).map((t) => t.name);
    const dump = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
    for (const { id } of importedIds) expect(dump).not.toContain(id);
    for (const p of people.slice(0, 3)) expect(dump).not.toContain(p[3]);
    // The person also at another stop keeps their record and that registration; only this stop's is gone.
    expect(db.prepare('SELECT * FROM attendees WHERE id = ?').get(other.id)).toEqual(otherRowBefore);
    expect(db.prepare('SELECT * FROM registrations WHERE attendee_id = ? ORDER BY id').all(other.id)).toEqual(otherRegistrations);
    // Rebuilding the projections from the (redacted) log gives the same tables.
    const hash = ctx.store.events.projectionHash();
    ctx.store.events.rebuildProjections();
    expect(ctx.store.events.projectionHash()).toBe(hash);
    boot.shutdown();
    hq.close();
  });
});
