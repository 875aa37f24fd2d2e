/**
 * The comparison for sync.bench.ts: a PouchDB server from npm (express-pouchdb on PouchDB's LevelDB
 * adapter, LevelDOWN, in the folder given), in its own process like our HQ. Prints `POUCH_PORT <port>`
 * when listening. Usage: `node --import tsx test/bench/pouchServer.ts <folder>`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import express from 'express';
import expressPouchDb from 'express-pouchdb';

const dir = process.argv[2];
if (!dir) throw new Error('usage: pouchServer.ts <folder>');
const require = createRequire(import.meta.url);
// The full `pouchdb` build: LevelDB (LevelDOWN) adapter, HTTP, map/reduce and replication.
const PouchDB = require('pouchdb') as { defaults(opts: { prefix: string }): unknown };
const ServerPouch = PouchDB.defaults({ prefix: `${dir}${path.sep}` });
const app = express();
app.use('/', expressPouchDb(ServerPouch, { mode: 'minimumForPouchDB', logPath: path.join(dir, 'pouch-server.log'), inMemoryConfig: true }));
const server = app.listen(0, '127.0.0.1', () => console.log(`POUCH_PORT ${server.address().port}`));
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
