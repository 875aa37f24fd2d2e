// The PouchDB stack used only as the comparison in sync.bench.ts ships no types.
declare module 'express';
declare module 'express-pouchdb';
