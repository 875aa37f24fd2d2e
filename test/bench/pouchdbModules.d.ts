// The PouchDB stack used only as the comparison in sync.bench.ts ships no types.
declare module 'express';
declare module 'express-pouchdb';
declare module 'pouchdb-core';
declare module 'pouchdb-adapter-http';
declare module 'pouchdb-adapter-memory';
declare module 'pouchdb-mapreduce';
declare module 'pouchdb-replication';
