/**
 * The plain floor for hqPush.bench.ts: the same push and pull without any of HQ's rules, in its own
 * process like HQ: a bare node:http server that JSON-parses each batch and inserts its events into one
 * bare SQLite table (one transaction per batch, a prepared INSERT, WAL, synchronous FULL like HQ), and
 * answers pulls with pages of 1,000 rows written as JSON around the stored payload text.
 * No auth, no validation, no sequence rules, no projections. Prints `FLOOR_PORT <port>`.
 */
import http from 'node:http';
import path from 'node:path';
import { openSqlite } from '../../core/store/sqlite';

const db = openSqlite(path.join(process.argv[2] ?? '.', 'floor.sqlite'));
db.exec(`CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, device_id TEXT NOT NULL, device_seq INTEGER NOT NULL,
  hlc TEXT NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, actor_id TEXT, stop_id TEXT, recorded_at TEXT NOT NULL, payload TEXT NOT NULL)`);
const insert = db.prepare('INSERT INTO events (event_id, device_id, device_seq, hlc, type, schema_version, actor_id, stop_id, recorded_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
const page = db.prepare<[number], { seq: number; event_id: string; device_id: string; device_seq: number; hlc: string; type: string; schema_version: number; actor_id: string | null; stop_id: string | null; recorded_at: string; payload: string }>(
  'SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT 1000',
);
type Ev = { eventId: string; deviceId: string; deviceSeq: number; hlc: string; type: string; schemaVersion: number; actorId: string | null; stopId: string | null; recordedAt: string; payload: unknown };
const store = db.transaction((events: Ev[]) => {
  for (const e of events) insert.run(e.eventId, e.deviceId, e.deviceSeq, e.hlc, e.type, e.schemaVersion, e.actorId, e.stopId, e.recordedAt, JSON.stringify(e.payload));
});

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events?: Ev[]; cursor?: string };
    let answer: string;
    if (req.url === '/push') {
      store(body.events!);
      answer = JSON.stringify({ n: body.events!.length });
    } else {
      const rows = page.all(Number(body.cursor ?? 0));
      const events = rows.map(
        (r) =>
          `{"eventId":${JSON.stringify(r.event_id)},"deviceId":${JSON.stringify(r.device_id)},"deviceSeq":${r.device_seq},"hlc":${JSON.stringify(r.hlc)},"type":${JSON.stringify(r.type)},"schemaVersion":${r.schema_version},"actorId":${JSON.stringify(r.actor_id)},"stopId":${JSON.stringify(r.stop_id)},"recordedAt":${JSON.stringify(r.recorded_at)},"payload":${r.payload}}`,
      );
      const last = rows[rows.length - 1];
      answer = `{"events":[${events.join(',')}],"cursor":"${last ? last.seq : (body.cursor ?? '0')}","has_more":${rows.length === 1000}}`;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  console.log(`FLOOR_PORT ${typeof addr === 'object' && addr ? addr.port : 0}`);
});
process.on('SIGTERM', () => {
  server.close();
  db.close();
  process.exit(0);
});
