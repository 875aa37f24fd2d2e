import { randomUUID } from 'node:crypto';
import { Worker, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportedRow } from '../../../shared/events/attendeeEvents';
import { packCells, rowsToCells } from '../../../core/import/importedRowCells';
import { BlockingReceiver, BlockingSender, ChannelTimeoutError, createBlockingChannel } from '../../../core/import/blockingChannel';
import type { WriterMessage, WriterReply } from '../../../core/import/importProtocol';
import { ImportSession } from '../../../core/import/importSession';
import { ImportPlanner } from '../../../core/domain/importPlan';
import { serveImportWrites } from '../../../core/import/importWriter';
import { openStore, storeSource, type Store } from '../../../core/store/openStore';
import { HEADER } from '../../helpers/importUpload';
import { createTestStore, DEMO_STOP } from '../../helpers/testStore';

const ports: MessagePort[] = [];
const stores: Store[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const p of ports.splice(0)) p.close();
  for (const s of stores.splice(0)) s.close();
});

/** A demo store, a second connection to it for the writer, and a session linked to that writer (all in this thread). */
function linked(waitMs?: number, options: { planAhead?: boolean } = {}) {
  const host = createTestStore({ demo: true, attendees: 40 });
  const writerStore = openStore(storeSource(host).file);
  stores.push(writerStore, host);
  const { sender, receiver, signal } = createBlockingChannel();
  ports.push(sender, receiver);
  serveImportWrites(writerStore, receiver, signal, waitMs);
  const session = new ImportSession(host, options);
  session.attachWriter(sender, signal);
  return { host, writerStore, session, sender, signal };
}

/** Rows staged in the writer's memory (none before its first stage). */
const staged = (writer: Store): number => {
  const attached = (writer.db.prepare('PRAGMA database_list').all() as { name: string }[]).some((d) => d.name === 'import_stage');
  return attached ? count(writer, 'SELECT COUNT(*) AS n FROM import_stage.registrations') : 0;
};

/** `stopId`: the parse names the stop the dialog imports into, as the renderer's does. */
async function upload(session: ImportSession, n: number, prefix: string, stopId?: string) {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(`Park,${prefix}${i},박지우,${prefix.toLowerCase()}${i}@example.edu,KAIST,student,ai,${prefix}-${i}`);
  const uploadId = randomUUID();
  session.upload({ uploadId, fileName: 'people.csv', index: 0, count: 1, data: Buffer.from(lines.join('\r\n')) });
  const parsed = await session.parse({ uploadId, sheet: 0, ...(stopId ? { stopId } : {}) });
  return { uploadId, stopId: DEMO_STOP, mapping: parsed.mapping };
}

const count = (s: Store, sql: string): number => (s.db.prepare(sql).get() as { n: number }).n;

/** The projections as written equal a rebuild from the log. */
function expectRebuildEqual(s: Store): void {
  const hash = s.events.projectionHash();
  s.events.rebuildProjections();
  expect(s.events.projectionHash()).toBe(hash);
}

describe('blocking channel', () => {
  it('blocks the receiving thread until the other thread sends, keeps the order, and times out when nothing comes', () => {
    const { sender, receiver, signal } = createBlockingChannel();
    ports.push(receiver);
    // A plain-JS thread sending as BlockingSender does (post, then bump the counter), after a pause.
    const code = `
      const { workerData } = require('node:worker_threads');
      const { port, signal } = workerData;
      const count = new Int32Array(signal);
      setTimeout(() => {
        for (const m of ['one', 'two', 'three']) { port.postMessage(m); Atomics.add(count, 0, 1); Atomics.notify(count, 0); }
        port.close();
      }, 150);`;
    const w = new Worker(code, { eval: true, workerData: { port: sender, signal }, transferList: [sender] });
    const r = new BlockingReceiver(receiver, signal);
    expect(r.poll()).toBeUndefined();
    expect([r.receive(10_000), r.receive(10_000), r.receive(10_000)]).toEqual(['one', 'two', 'three']);
    expect(() => r.receive(50)).toThrow(ChannelTimeoutError);
    return w.terminate();
  });
});

describe('import writer (the commit stored by a second thread)', () => {
  it('stores what the session validated and sent: the same people, one transaction, projections equal to a rebuild', async () => {
    const { host, session } = linked();
    const target = await upload(session, 1_200, 'Writer');
    const before = count(host, 'SELECT COUNT(*) AS n FROM attendees');
    const outcome = await session.commit(target, null);
    expect(outcome).toMatchObject({ created: 1_200, events: 5, writtenBy: 'writer' });
    expect(Object.keys(outcome).sort()).toEqual(['consents', 'created', 'events', 'lastHlc', 'newCodes', 'notAttending', 'registered', 'skipped', 'unchanged', 'updated', 'writtenBy']);
    expect(count(host, 'SELECT COUNT(*) AS n FROM attendees')).toBe(before + 1_200);
    expect(count(host, `SELECT COUNT(*) AS n FROM registrations WHERE source = 'import' AND stop_id = '${DEMO_STOP}'`)).toBe(1_200);
    expectRebuildEqual(host);
    // The same file again: nothing to write.
    expect(await session.commit(target, null)).toMatchObject({ created: 0, unchanged: 1_200, events: 0 });
  });

  it('stages a large plan’s events on the writer while the report is read; the commit writes them, equal to a rebuild', async () => {
    const { host, writerStore, session } = linked();
    const target = await upload(session, 1_100, 'Staged');
    const before = count(host, 'SELECT COUNT(*) AS n FROM events');
    expect(session.check(target).toCreate).toBe(1_100);
    // Sent in turns after the report: all five slices end up bound in the writer's memory, nothing in the store.
    await expect.poll(() => staged(writerStore)).toBe(1_100);
    expect(count(host, 'SELECT COUNT(*) AS n FROM events')).toBe(before);
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE given_name LIKE 'Staged%'")).toBe(0);
    expect(await session.commit(target, null)).toMatchObject({ created: 1_100, registered: 0, events: 5, writtenBy: 'writer' });
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE given_name LIKE 'Staged%' AND field_hlcs = ''")).toBe(1_100);
    expect(count(host, `SELECT COUNT(*) AS n FROM registrations r JOIN attendees a ON a.id = r.attendee_id WHERE a.given_name LIKE 'Staged%' AND r.stop_id = '${DEMO_STOP}' AND r.source = 'import'`)).toBe(1_100);
    expect(staged(writerStore)).toBe(0);
    expectRebuildEqual(host);
  });

  it('commits at once after the report: the staged part first, the rest sent with the commit, each person once', async () => {
    const { host, writerStore, session } = linked();
    const target = await upload(session, 10_000, 'Quick');
    session.check(target);
    // The click comes while the first slices are staged and the others are not yet sent.
    while (staged(writerStore) === 0) await new Promise((r) => setImmediate(r));
    expect(staged(writerStore)).toBeLessThan(10_000);
    const outcome = await session.commit(target, null);
    expect(outcome).toMatchObject({ created: 10_000, events: 40, writtenBy: 'writer' });
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE given_name LIKE 'Quick%'")).toBe(10_000);
    expect(count(host, "SELECT COUNT(DISTINCT email) AS n FROM attendees WHERE given_name LIKE 'Quick%'")).toBe(10_000);
    expect(staged(writerStore)).toBe(0);
    expectRebuildEqual(host);
  });

  it('drops a stage the log moved past (plans again), one another check replaced, or one discarded', async () => {
    const { host, writerStore, session } = linked();
    const target = await upload(session, 800, 'Stale');
    session.check(target);
    await expect.poll(() => staged(writerStore)).toBe(800);
    // Someone of the file walks in at the door meanwhile: the staged plan would create them twice.
    host.events.append('attendee_registered', { attendeeId: randomUUID(), familyName: 'Park', givenName: 'Stale3', nameKo: '', email: 'stale3@example.edu', affiliation: 'KAIST', careerStage: 'student', fields: [] });
    expect(await session.commit(target, null)).toMatchObject({ created: 799, registered: 1, writtenBy: 'writer' });
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE email = 'stale3@example.edu'")).toBe(1);
    expect(staged(writerStore)).toBe(0);

    const other = await upload(session, 700, 'Other');
    session.check(other);
    await expect.poll(() => staged(writerStore)).toBe(700);
    session.check({ ...other, mapping: { ...other.mapping, scanToken: undefined } });
    await expect.poll(() => staged(writerStore)).toBe(700);
    session.discard(other.uploadId);
    await expect.poll(() => staged(writerStore)).toBe(0);
  });

  it('sends the events itself when the writer no longer holds the stage', async () => {
    const { host, writerStore, session, sender, signal } = linked();
    const target = await upload(session, 900, 'Lost');
    session.check(target);
    await expect.poll(() => staged(writerStore)).toBe(900);
    // As if the writer had lost it (staging ran out of memory): the commit is refused, then sent whole.
    new BlockingSender(sender, signal).send({ kind: 'unstage', stageId: 1 } satisfies WriterMessage);
    await expect.poll(() => staged(writerStore)).toBe(0);
    expect(await session.commit(target, null)).toMatchObject({ created: 900, events: 4, writtenBy: 'writer' });
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE given_name LIKE 'Lost%'")).toBe(900);
  });

  it('plans again when something was written between the plan and the write lock', async () => {
    const { host, session } = linked();
    const target = await upload(session, 300, 'Moved');
    expect(session.check(target).toCreate).toBe(300);
    const commit = session.commit(target, null);
    // Lands before the writer takes the lock (its turn comes on the next tick): a person of the file, by email.
    host.events.append('attendee_registered', { attendeeId: randomUUID(), familyName: 'Park', givenName: 'Moved7', nameKo: '', email: 'moved7@example.edu', affiliation: 'KAIST', careerStage: 'student', fields: [] });
    const outcome = await commit;
    expect(outcome).toMatchObject({ created: 299, registered: 1, writtenBy: 'writer' });
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE email = 'moved7@example.edu'")).toBe(1);
  });

  it('after two rounds overtaken by other writes, plans and writes the third under the write lock itself', async () => {
    const host = createTestStore({ demo: true, attendees: 40 });
    stores.push(host);
    const { sender, receiver, signal } = createBlockingChannel();
    ports.push(sender, receiver);
    // A writer that always finds the log moved (as at a door checking someone in every second), and
    // that lost what was staged: a lost stage is sent again without counting as a round.
    const begins: string[] = [];
    receiver.on('message', (m: WriterMessage) => {
      if (m.kind !== 'begin') return;
      begins.push(m.staged ? 'staged' : 'sent');
      const refusal = m.staged ? { moved: false, stageLost: true, message: 'the staged events are incomplete' } : { moved: true, message: 'the log moved since the plan' };
      receiver.postMessage({ commitId: m.commitId, ok: false, error: null, ...refusal } satisfies WriterReply);
    });
    const session = new ImportSession(host);
    session.attachWriter(sender, signal);
    const target = await upload(session, 600, 'Locked');
    session.check(target);
    await new Promise((r) => setTimeout(r, 50));
    expect(await session.commit(target, null)).toMatchObject({ created: 600, events: 3, writtenBy: 'session' });
    expect(begins).toEqual(['staged', 'sent', 'sent']);
    expectRebuildEqual(host);
  });

  it('rolls back and frees the write lock when the session aborts or stops sending', async () => {
    const { host, sender, signal } = linked(100);
    const session = new ImportSession(host);
    const target = await upload(session, 20, 'Abort');
    // The session's own events, but ended by an abort (as when a payload fails validation half-way).
    const s = new BlockingSender(sender, signal);
    const replies: WriterReply[] = [];
    sender.on('message', (r: WriterReply) => replies.push(r));
    const begin = (commitId: number): WriterMessage => ({ kind: 'begin', commitId, staged: null, stopId: DEMO_STOP, actorId: null, sourceKey: 'test', mapping: target.mapping, logPosition: count(host, 'SELECT MAX(local_seq) AS n FROM events'), large: false });
    const json = JSON.stringify({ stopId: DEMO_STOP, rows: [{ created: true, attendeeId: randomUUID(), set: { familyName: 'Kim', givenName: 'Aborted', nameKo: '', email: '', affiliation: '', careerStage: 'other', fields: [] }, registration: { registrationId: randomUUID(), scanToken: 'ABORTED-1' } }] });
    const events = count(host, 'SELECT COUNT(*) AS n FROM events');
    s.send(begin(1));
    s.send({ kind: 'event', commitId: 1, json, cells: packCells(rowsToCells((JSON.parse(json) as { rows: ImportedRow[] }).rows)) });
    s.send({ kind: 'abort', commitId: 1, message: 'invalid payload' });
    // Begun, then silence: rolled back after the writer's wait.
    s.send(begin(2));
    s.send({ kind: 'event', commitId: 2, json, cells: packCells(rowsToCells((JSON.parse(json) as { rows: ImportedRow[] }).rows)) });
    await expect.poll(() => replies.length).toBe(2);
    expect(replies.map((r) => r.ok)).toEqual([false, false]);
    expect(replies[0]).toMatchObject({ moved: false, message: expect.stringContaining('aborted'), error: { code: 'IMPORT_NOT_WRITTEN' } });
    expect(replies[1]).toMatchObject({ moved: false, message: expect.stringContaining('stopped coming'), error: { code: 'IMPORT_NOT_WRITTEN' } });
    expect(count(host, 'SELECT COUNT(*) AS n FROM events')).toBe(events);
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE given_name = 'Aborted'")).toBe(0);
    // The lock is free: the host writes at once.
    host.events.append('attendee_updated', { attendeeId: (host.db.prepare('SELECT id FROM attendees LIMIT 1').get() as { id: string }).id, affiliation: 'UNIST' });
  });

  it('reports a failure of the write (nothing kept), and the session writes alone once the writer is gone', async () => {
    const { host, session, sender } = linked();
    const target = await upload(session, 600, 'Fail');
    // The writer's insert of the last person fails (as a full disk would), after most of the commit was written.
    host.db.exec("CREATE TRIGGER refuse BEFORE INSERT ON registrations WHEN NEW.scan_token = 'Fail-599' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    await expect(session.commit(target, null)).rejects.toMatchObject({ code: 'IMPORT_NOT_WRITTEN', message: expect.stringContaining('refused by the test') });
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE given_name LIKE 'Fail%'")).toBe(0);
    host.db.exec('DROP TRIGGER refuse');
    sender.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(await session.commit(target, null)).toMatchObject({ created: 600, writtenBy: 'session' });
  });

  it('reports a conflict inside a many-row insert (the whole transaction rolled back by SQLite) as nothing imported', async () => {
    const { host, session } = linked();
    const target = await upload(session, 600, 'Clash');
    // A person the import's rows collide with under a unique index made for the test: the 50-row
    // `INSERT OR ROLLBACK` ends the writer's whole transaction, mid-commit.
    // Someone else in the plan's eyes (other affiliation and email), the same given name to the index.
    host.events.append('attendee_registered', { attendeeId: randomUUID(), familyName: 'Park', givenName: 'Clash577', nameKo: '', email: 'other577@example.org', affiliation: 'UNIST', careerStage: 'student', fields: [] });
    host.db.exec("CREATE UNIQUE INDEX test_clash ON attendees(given_name) WHERE given_name LIKE 'Clash%'");
    const events = count(host, 'SELECT COUNT(*) AS n FROM events');
    await expect(session.commit(target, null)).rejects.toMatchObject({ code: 'IMPORT_NOT_WRITTEN', message: expect.stringContaining('UNIQUE') });
    expect(count(host, 'SELECT COUNT(*) AS n FROM events')).toBe(events);
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE given_name LIKE 'Clash%' AND affiliation = 'KAIST'")).toBe(0);
    // The write lock is free and the store still takes writes.
    host.db.exec('DROP INDEX test_clash');
    expect(await session.commit(target, null)).toMatchObject({ created: 600, writtenBy: 'writer' });
    expectRebuildEqual(host);
  });

  it('says nothing was imported, translated, when the session writes alone and the write fails', async () => {
    const host = createTestStore({ demo: true, attendees: 40 });
    stores.push(host);
    const session = new ImportSession(host);
    const target = await upload(session, 300, 'Alone');
    host.db.exec("CREATE TRIGGER refuse BEFORE INSERT ON attendees WHEN NEW.given_name = 'Alone299' BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END");
    await expect(session.commit(target, null)).rejects.toMatchObject({ code: 'IMPORT_NOT_WRITTEN', message: expect.stringContaining('disk full (test)') });
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE given_name LIKE 'Alone%'")).toBe(0);
  });
});

describe('planned ahead (while the desk looks at the mapping)', () => {
  /** The planners at work: each distinct one is a plan made from scratch. */
  const planners = () => {
    const advance = vi.spyOn(ImportPlanner.prototype, 'advance');
    return () => new Set(advance.mock.contexts).size;
  };
  /** Event-loop turns until the plan made ahead has begun (its first turn reads the snapshot: slower on a loaded machine). */
  const begun = async (made: () => number) => {
    for (let i = 0; i < 10_000 && made() === 0; i++) await new Promise((r) => setImmediate(r));
  };
  /** Until the planner has stopped advancing (done) for a while. */
  const settled = async () => {
    const calls = () => vi.mocked(ImportPlanner.prototype.advance).mock.calls.length;
    for (let last = -1, i = 0; i < 200 && calls() !== last; i++) {
      last = calls();
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stagedTokens = (writer: Store, like: string): number => count(writer, `SELECT COUNT(*) AS n FROM import_stage.registrations WHERE scan_token LIKE '${like}'`);

  it('plans the suggested mapping after a parse that names its stop: the check finds the report ready, its events already staged', async () => {
    const { host, writerStore, session } = linked(undefined, { planAhead: true });
    const made = planners();
    const events = count(host, 'SELECT COUNT(*) AS n FROM events');
    const target = await upload(session, 1_100, 'Ahead', DEMO_STOP);
    // No check yet: planned in turns, then staged on the writer; nothing in the store.
    await expect.poll(() => staged(writerStore)).toBe(1_100);
    expect(made()).toBe(1);
    expect(count(host, 'SELECT COUNT(*) AS n FROM events')).toBe(events);
    const advanced = vi.mocked(ImportPlanner.prototype.advance).mock.calls.length;
    expect(session.check(target)).toMatchObject({ total: 1_100, valid: 1_100, toCreate: 1_100 });
    // The check read no row again.
    expect(vi.mocked(ImportPlanner.prototype.advance).mock.calls.length).toBe(advanced);
    // The commit names the stage and sends no event of its own.
    const sent = vi.spyOn(BlockingSender.prototype, 'send');
    expect(await session.commit(target, null)).toMatchObject({ created: 1_100, events: 5, writtenBy: 'writer' });
    expect(sent.mock.calls.map(([m]) => (m as WriterMessage).kind)).toEqual(['begin', 'end']);
    expect(sent.mock.calls[0]![0]).toMatchObject({ kind: 'begin', staged: { slices: 5 } });
    expect(count(host, "SELECT COUNT(*) AS n FROM registrations WHERE scan_token LIKE 'Ahead-%' AND source = 'import'")).toBe(1_100);
    expect(staged(writerStore)).toBe(0);
    expectRebuildEqual(host);
  });

  it('a check while the plan is under way finishes that plan rather than starting again', async () => {
    const { writerStore, session } = linked(undefined, { planAhead: true });
    const made = planners();
    const target = await upload(session, 20_000, 'Midway', DEMO_STOP);
    // Its first turns: the plan is begun, not done (nothing staged yet).
    await begun(made);
    expect(made()).toBe(1);
    expect(vi.mocked(ImportPlanner.prototype.advance).mock.calls.length).toBeGreaterThan(0);
    expect(staged(writerStore)).toBe(0);
    expect(session.check(target)).toMatchObject({ total: 20_000, valid: 20_000, toCreate: 20_000 });
    expect(made()).toBe(1);
  });

  it('a check of another mapping plans that mapping (the plan made ahead is dropped, none of its events staged)', async () => {
    const { host, writerStore, session } = linked(undefined, { planAhead: true });
    const target = await upload(session, 900, 'Remap', DEMO_STOP);
    // The desk leaves the token column out before the ahead plan is done: the import mints tokens instead.
    const remapped = { ...target, mapping: { ...target.mapping, scanToken: undefined } };
    expect(session.check(remapped)).toMatchObject({ toCreate: 900 });
    await expect.poll(() => staged(writerStore)).toBe(900);
    await new Promise((r) => setTimeout(r, 50));
    expect(stagedTokens(writerStore, 'Remap-%')).toBe(0);
    expect(await session.commit(remapped, null)).toMatchObject({ created: 900, writtenBy: 'writer' });
    expect(count(host, "SELECT COUNT(*) AS n FROM registrations r JOIN attendees a ON a.id = r.attendee_id WHERE a.given_name LIKE 'Remap%' AND r.scan_token NOT LIKE 'Remap-%'")).toBe(900);
  });

  it('a plan finished after a write meanwhile is not staged (the check plans again)', async () => {
    const { host, writerStore, session } = linked(undefined, { planAhead: true });
    const made = planners();
    const target = await upload(session, 20_000, 'Busy', DEMO_STOP);
    await begun(made);
    host.events.append('attendee_registered', { attendeeId: randomUUID(), familyName: 'Park', givenName: 'Busy9', nameKo: '', email: 'busy9@example.edu', affiliation: 'KAIST', careerStage: 'student', fields: [] });
    await settled();
    expect(staged(writerStore)).toBe(0);
    expect(session.check(target)).toMatchObject({ toCreate: 19_999, toRegister: 1 });
    expect(made()).toBe(2);
  });

  it('a plan made ahead is not used once the log moved: a person of the file who walked in meanwhile is not created twice', async () => {
    const { host, writerStore, session } = linked(undefined, { planAhead: true });
    const target = await upload(session, 700, 'Walked', DEMO_STOP);
    await expect.poll(() => staged(writerStore)).toBe(700);
    host.events.append('attendee_registered', { attendeeId: randomUUID(), familyName: 'Park', givenName: 'Walked5', nameKo: '', email: 'walked5@example.edu', affiliation: 'KAIST', careerStage: 'student', fields: [] });
    expect(session.check(target)).toMatchObject({ toCreate: 699, toRegister: 1 });
    expect(await session.commit(target, null)).toMatchObject({ created: 699, registered: 1, writtenBy: 'writer' });
    expect(count(host, "SELECT COUNT(*) AS n FROM attendees WHERE email = 'walked5@example.edu'")).toBe(1);
    expectRebuildEqual(host);
  });

  it('another file picked drops the plan under way of the last one', async () => {
    const { writerStore, session } = linked(undefined, { planAhead: true });
    await upload(session, 20_000, 'Replaced', DEMO_STOP);
    await new Promise((r) => setImmediate(r));
    session.upload({ uploadId: randomUUID(), fileName: 'next.csv', index: 0, count: 2, data: Buffer.from(`${HEADER}\r\n`) });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(staged(writerStore)).toBe(0);
  });

  it('plans nothing ahead without a stop, for a stop that does not exist, after a discard, or on the host’s own thread', async () => {
    const made = planners();
    const { writerStore, session } = linked(undefined, { planAhead: true });
    const target = await upload(session, 600, 'NoStop');
    const unknown = await upload(session, 600, 'Nowhere', 'stop-99-atlantis');
    const dropped = await upload(session, 600, 'Dropped', DEMO_STOP);
    session.discard(dropped.uploadId);
    const { session: onHost } = linked();
    await upload(onHost, 600, 'OnHost', DEMO_STOP);
    await new Promise((r) => setTimeout(r, 100));
    expect(made()).toBe(0);
    expect(staged(writerStore)).toBe(0);
    // The check still plans (and reports the unknown stop).
    expect(session.check(target)).toMatchObject({ toCreate: 600 });
    expect(() => session.check({ ...unknown, stopId: 'stop-99-atlantis' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
