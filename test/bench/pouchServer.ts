/**
 * The comparison for sync.bench.ts: a PouchDB server from npm (express-pouchdb on PouchDB's
 * in-memory adapter), in its own process like our HQ. Prints `POUCH_PORT <port>` when listening.
 */
import express from 'express';
import expressPouchDb from 'express-pouchdb';
import PouchDB from 'pouchdb-core';
import memory from 'pouchdb-adapter-memory';
import mapreduce from 'pouchdb-mapreduce';
import replication from 'pouchdb-replication';
import http from 'pouchdb-adapter-http';
import os from 'node:os';
import path from 'node:path';

PouchDB.plugin(http).plugin(memory).plugin(mapreduce).plugin(replication);
const ServerPouch = PouchDB.defaults({ adapter: 'memory' });
const app = express();
app.use('/', expressPouchDb(ServerPouch, { mode: 'minimumForPouchDB', logPath: path.join(os.tmpdir(), `pouch-bench-${process.pid}.log`), inMemoryConfig: true }));
const server = app.listen(0, '127.0.0.1', () => console.log(`POUCH_PORT ${server.address().port}`));
