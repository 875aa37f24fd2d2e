import type { importContract } from '../../shared/ipc/importContract';
import { TEMPLATE_FILE_NAME, templateCsv } from '../domain/importTemplate';
import { importRunner } from '../import/importRunner';
import type { HandlerMap } from './handler';

/**
 * A chunk's bytes in a buffer of their own, which then moves to the worker. Bytes that came as bytes are
 * copied (a 2 MB copy is a fraction of a millisecond): the caller's buffer may be a slice of a shared
 * pool (HTTP bodies), another realm's, or one its runtime will not let move (Electron's IPC). Decoded
 * base64 is kept when it has a buffer of its own (Buffer.from pools only small ones).
 */
function ownBytes(data: Uint8Array | string): Uint8Array {
  if (typeof data !== 'string') return new Uint8Array(data);
  const b = Buffer.from(data, 'base64');
  return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength ? b : new Uint8Array(b);
}

/**
 * The import of pre-registrations (core/import/importSession.ts). Every step runs in the store's import
 * worker (core/import/importRunner.ts), so the host keeps answering while a large file is parsed,
 * checked and written.
 */
export const importHandlers: HandlerMap<keyof typeof importContract> = {
  'import:upload': ({ data, ...rest }, ctx) => importRunner(ctx.store).call('upload', { ...rest, data: ownBytes(data) }),
  'import:parse': (input, ctx) => importRunner(ctx.store).call('parse', input),
  'import:check': (input, ctx) => importRunner(ctx.store).call('check', input),
  'import:commit': async (input, ctx) => {
    const { lastHlc: _, writtenBy: __, ...outcome } = await importRunner(ctx.store).call('commit', { ...input, actorId: ctx.actorId });
    return outcome;
  },
  'import:discard': (input, ctx) => importRunner(ctx.store).call('discard', input),
  'import:prepare': async (_input, ctx) => ({ mode: await importRunner(ctx.store).prepare() }),
  'import:template': () => ({ fileName: TEMPLATE_FILE_NAME, text: templateCsv() }),
};
