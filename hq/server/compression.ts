import type { FastifyInstance } from 'fastify';
import { Transform } from 'node:stream';
import { promisify } from 'node:util';
import { constants, createGunzip, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const MIN_COMPRESS = 2048;

/**
 * Request bodies may be gzip (the laptop gzips pushes over real networks); the body limit applies
 * to the bytes after gunzip, so a zip bomb is a 413, not a full memory. Large JSON answers are
 * gzipped when the client accepts it.
 */
export function registerCompression(app: FastifyInstance): void {
  app.addHook('preParsing', async (req, _reply, payload) => {
    const enc = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (enc === 'identity') return payload;
    if (enc !== 'gzip') throw Object.assign(new Error(`Content-Encoding ${enc} is not supported; send gzip or identity.`), { statusCode: 415 });
    let encoded = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _e, cb) {
        encoded += chunk.length;
        cb(null, chunk);
      },
    });
    const gunzip = createGunzip();
    const out = payload.pipe(counter).pipe(gunzip) as typeof gunzip & { receivedEncodedLength?: number };
    Object.defineProperty(out, 'receivedEncodedLength', { get: () => encoded });
    payload.on('error', (err) => gunzip.destroy(err));
    return out;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (typeof payload !== 'string' || payload.length < MIN_COMPRESS) return payload;
    if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return payload;
    reply.header('content-encoding', 'gzip');
    reply.header('vary', 'accept-encoding');
    reply.removeHeader('content-length');
    return gzipAsync(payload, { level: constants.Z_BEST_SPEED });
  });
}
