/**
 * The plain batched floor for sync.bench.ts: the least a sync server over HTTP and SQLite does, in its
 * own process like our HQ. `POST /push {events:[…]}` (JSON batches) inserts each event's JSON into one
 * bare table in one transaction per batch; `POST /pull {after, limit}` answers the next rows in order
 * with the next cursor. No authentication, no validation, no projections, no sequence checks.
 * Same durability settings as the app's stores (WAL, synchronous = FULL), no encryption.
 * Usage: `node --import tsx test/bench/floorServer.ts <folder>`; prints `FLOOR_PORT <port>` when listening.
 */
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';

const dir = process.argv[2];
if (!dir) throw new Error('usage: floorServer.ts <folder>');
const db = new Database(path.join(dir, 'floor-server.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)');
const insert = db.prepare<[string, string]>('INSERT OR IGNORE INTO events (event_id, body) VALUES (?, ?)');
const page = db.prepare<[number, number], { seq: number; body: string }>('SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
const pushBatch = db.transaction((events: { eventId: string }[]) => {
  let added = 0;
  for (const e of events) added += insert.run(e.eventId, JSON.stringify(e)).changes;
  return added;
});

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { events?: { eventId: string }[]; after?: number; limit?: number };
    let out: string;
    if (req.url === '/push') out = JSON.stringify({ added: pushBatch(body.events ?? []) });
    else if (req.url === '/pull') {
      const limit = body.limit ?? 1000;
      const rows = page.all(body.after ?? 0, limit);
      const cursor = rows.length > 0 ? rows[rows.length - 1]!.seq : (body.after ?? 0);
      out = `{"events":[${rows.map((r) => r.body).join(',')}],"cursor":${cursor},"has_more":${rows.length === limit}}`;
    } else {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(out);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`FLOOR_PORT ${(server.address() as { port: number }).port}`));
process.on('SIGTERM', () => {
  server.close();
  db.close();
  process.exit(0);
});
