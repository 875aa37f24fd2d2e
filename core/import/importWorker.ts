/**
 * The import worker: a thread with its own connection to the store's database, where the heavy
 * steps of an import run (decode and parse, validation report, the one-transaction commit), so the
 * host's thread keeps answering the desk while 100,000 rows go in. SQLite serialises its write
 * with the host's (WAL: the host keeps reading meanwhile); see core/import/importRunner.ts.
 * The same file runs as the session's writer thread (`role: 'writer'`), which stores the commit's
 * events while the session still prepares the next ones.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { openStore } from '../store/openStore';
import type { ImportReply, ImportRequest, ImportWorkerData, SearchIndexMessage, WriterLink } from './importProtocol';
import { ALL_ATTENDEES, type ImportSearchAhead, PREPARE_AFTER_IMPORT, prepareSearchIndex, searchScopesAfterImport } from '../store/searchCache';
import { ImportSession } from './importSession';
import { serveImportWrites } from './importWriter';
import { ImportProgress } from './importProgress';

const data = workerData as ImportWorkerData;
const store = openStore(data.file, { key: data.keyHex ? Buffer.from(data.keyHex, 'hex') : undefined });
// Waiting here blocks only this thread: a commit that finds the host writing (a sync round or a USB
// bundle ingesting thousands of events, a purge) waits for it rather than failing after 5 s.
store.db.pragma('busy_timeout = 120000');
const port = parentPort!;
// Counters the host reads for the desk's progress bar (shared memory: no message to a busy thread).
const progress = new ImportProgress(data.progress);
port.on('close', () => store.close());

if (data.role === 'writer') {
  // The writer of the session's commits (core/import/importWriter.ts): linked to it by the host.
  port.on('message', (m: WriterLink) => serveImportWrites(store, m.link.port, m.link.signal, undefined, progress));
} else {
  // Plans ahead after a parse, and makes a large commit's search index as its events are made: this
  // thread is the import's own, not the host's.
  const session = new ImportSession(store, { planAhead: true, progress, searchAhead: process.env.ROADSHOW_SEARCH_AHEAD !== '0' });

  const run = async (req: ImportRequest): Promise<unknown> => {
    switch (req.op) {
      case 'upload':
        return session.upload(req.input as ImportRequest<'upload'>['input']);
      case 'parse':
        return session.parse(req.input as ImportRequest<'parse'>['input']);
      case 'check':
        return session.check(req.input as ImportRequest<'check'>['input']);
      case 'commit': {
        const { actorId, searchScopes, ...target } = req.input as ImportRequest<'commit'>['input'];
        const outcome = await session.commit(target, actorId);
        // The stop's index made ahead from the commit's people (core/store/searchCache.ts `ImportSearchAhead`).
        const ahead = session.takeSearchAhead();
        if (outcome.created + outcome.updated + outcome.registered > PREPARE_AFTER_IMPORT) {
          // The upload (parsed table, plan) is done with: the host stops this thread a second after
          // the build anyway. Let it go before building, so the two are not in memory at once.
          session.discard(target.uploadId);
          const inUse = searchScopes ?? [];
          const scopes = searchScopesAfterImport(store.db, target.stopId, inUse);
          // Told before the reply: a search of these scopes on the host waits for them rather than building.
          port.postMessage({ searchPending: { scopes } } satisfies SearchIndexMessage);
          // Built once the reply is on its way: the desk sees the import done without waiting for them.
          afterReply = () => prepareSearch(scopes, inUse, ahead);
        }
        // Not used (a small import, or too little of it made before the commit: built instead): its rows go now.
        if (ahead && !(ahead.worthFinishing && afterReply)) ahead.drop();
        return outcome;
      }
      case 'discard':
        return session.discard((req.input as ImportRequest<'discard'>['input']).uploadId);
      case 'rejectedRows': {
        const { labels, ...target } = req.input as ImportRequest<'rejectedRows'>['input'];
        return session.rejectedRows(target, labels);
      }
    }
  };

  /** Work to do once the current request's reply is posted (a large commit's search indexes). */
  let afterReply: (() => void) | null = null;

  /**
   * After a large commit, the search indexes it changed are built here (this thread, its connection),
   * saved beside the store and handed to the host after the commit's reply: the desk's first search
   * after the import then takes them instead of building for seconds on the host's thread.
   */
  const prepareSearch = (scopes: string[], inUse: readonly string[], ahead: ImportSearchAhead | null): void => {
    // Its own ArrayBuffer, moved to the host rather than copied.
    const own = (b: Uint8Array): Uint8Array => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b));
    for (const scope of scopes) {
      try {
        // The stop's index made ahead while the desk read the report, when most of it was (else a build costs less).
        const saved = (ahead?.worthFinishing && ahead.stopId === scope ? ahead.finish(store.db) : null) ?? prepareSearchIndex(store.db, scope);
        // Every attendee's index not in use on the host is only saved beside the store: its first walk-in hint reads it there.
        if (!saved || (scope === ALL_ATTENDEES && !inUse.includes(scope))) continue;
        const data = own(saved.data);
        const names = saved.names ? own(saved.names) : undefined;
        const message: SearchIndexMessage = { searchIndex: { scope, seq: saved.seq, eventId: saved.eventId, data, ...(names ? { names } : {}) } };
        port.postMessage(message, names ? [data.buffer as ArrayBuffer, names.buffer as ArrayBuffer] : [data.buffer as ArrayBuffer]);
      } catch (err) {
        // A cache: the host builds it itself when this fails.
        console.warn('[import] search index not prepared:', err);
      }
    }
    port.postMessage({ searchDone: true } satisfies SearchIndexMessage);
  };

  // One request at a time, in arrival order: the host awaits each before the next of an upload.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (req: ImportRequest | WriterLink) => {
    if ('link' in req) {
      session.attachWriter(req.link.port, req.link.signal);
      return;
    }
    queue = queue.then(async () => {
      let reply: ImportReply;
      try {
        reply = { id: req.id, ok: true, value: await run(req) };
      } catch (err) {
        reply = { id: req.id, ok: false, error: err instanceof AppError ? err.toShape() : null, message: err instanceof Error ? err.message : String(err) };
      }
      port.postMessage(reply);
      const after = afterReply;
      afterReply = null;
      try {
        after?.();
      } catch (err) {
        console.warn('[import] after the reply:', err);
      }
    });
  });
}
port.postMessage({ ready: true });
