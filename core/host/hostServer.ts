import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { BINARY_FIELD_HEADER, BINARY_REST_HEADER } from '../../shared/ipc/binaryBody';
import { MAX_CHUNK_BYTES } from '../../shared/ipc/importFields';
import type { Result } from '../../shared/result';
import type { ApiContext } from '../api/apiContext';
import { isCanonicalTarget } from './requestTarget';
import { SECURITY_HEADERS } from './securityHeaders';
import { startMark } from './startTrace';

export interface HostOptions {
  /**
   * The API's context; or its promise (browser mode's start: the server listens, and the browser opens the
   * page, while the store opens and the API's code loads; API calls wait for it).
   */
  ctx: ApiContext | Promise<ApiContext>;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  /** Fixed token for tests; otherwise a fresh random one per launch. */
  token?: string;
  /** How long `pageCodeSent` waits for the page: after listening, and again after each of the page's requests (default 1,000 ms). */
  pageWaitMs?: number;
}

export interface RunningHost {
  url: string;
  /**
   * Settles when the page's own code has been sent (the first `/assets/*.js` answer finished), when an API call
   * comes from a client that asked for no page code (a script, a test), or `pageWaitMs` after listening or after
   * the page's last request (its document, a font…: a page still loading is waited for): browser
   * mode's start loads the store's code then (core/host/main.ts), so that loading it (~0.3 s of this thread, more
   * on a new store) does not hold up the page's document and code, and the browser parses the app's code while
   * this process loads its own.
   */
  pageCodeSent: Promise<void>;
  /** The URL a person opens: it carries the launch token in the fragment, which never reaches a server log. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The input of a request whose body is one field's bytes: the other fields from their header, the bytes
 * under the field's name. Anything malformed gives no input, which an upload's schema refuses (VALIDATION).
 */
function withBinaryField(headers: Record<string, string | string[] | undefined>, body: Buffer): unknown {
  const field = headers[BINARY_FIELD_HEADER];
  const rest = headers[BINARY_REST_HEADER];
  if (typeof field !== 'string' || !/^[A-Za-z]{1,40}$/.test(field) || typeof rest !== 'string') return null;
  try {
    const fields: unknown = JSON.parse(decodeURIComponent(rest));
    if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return null;
    return { ...fields, [field]: body };
  } catch {
    return null;
  }
}

/** Browser mode: the renderer and the same API as Electron's IPC, on 127.0.0.1 only, behind a per-launch token. */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });
  let port = 0;
  let pageCodeSent!: () => void;
  const pageCode = new Promise<void>((resolve) => (pageCodeSent = resolve));
  let pageCodeAsked = false;
  let pageDone = false;
  // Nobody opens the page: go on after pageWaitMs. A page that is loading (any of its files asked) moves that
  // on: the fallback must not start the store's code while the page's own is still being sent (on a busy
  // machine the browser's requests come late, and loading the store's code held the app's code up by ~1 s).
  const pageWait = opts.pageWaitMs ?? 1000;
  let pageTimer = setTimeout(() => pageCodeSent(), pageWait);
  pageTimer.unref();
  void pageCode.then(() => {
    pageDone = true;
    clearTimeout(pageTimer);
  });
  const isPageCode = (url: string | undefined) => /^\/assets\/[^/?]+\.js(\?|$)/.test(url ?? '');

  // The hooks are callback-style (issue #20): an async hook costs every request a promise and a turn of the
  // microtask queue. A hook that answers sends and does not call `done` (Fastify's rule for callback hooks).
  app.addHook('onRequest', (req, reply, done) => {
    // DNS rebinding: another site resolving its name to 127.0.0.1 still sends its own Host.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      void reply.code(421).send({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'Wrong host' } });
      return;
    }
    void reply.headers(SECURITY_HEADERS);
    const isApi = req.raw.url?.startsWith('/api/') ?? false;
    if (isPageCode(req.raw.url)) pageCodeAsked = true;
    else if (!pageCodeAsked && isApi) pageCodeSent();
    if (!pageDone && !isApi) {
      clearTimeout(pageTimer);
      pageTimer = setTimeout(() => pageCodeSent(), pageWait);
      pageTimer.unref();
    }
    // One spelling per resource (core/host/requestTarget.ts): what the router matches is what was asked for.
    if (!isCanonicalTarget(req.raw.url ?? '')) {
      void reply.code(400).send({ ok: false, error: { code: 'VALIDATION', message: 'Request target not in canonical form' } });
      return;
    }
    done();
  });

  let answered = false;
  app.addHook('onResponse', (req, _reply, done) => {
    if (isPageCode(req.raw.url)) pageCodeSent();
    else if (!answered && req.raw.url?.startsWith('/api/')) {
      answered = true;
      startMark('first API answer sent');
    }
    done();
  });

  /**
   * The API's token and origin, on the route the router matched (whatever spelling reached it), before its
   * body is read: a caller without them gets nothing buffered and nothing dispatched.
   */
  const apiGuard = (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      const res: Result<never> = { ok: false, error: { code: 'UNAUTHORIZED', message: 'Missing or wrong launch token' } };
      void reply.code(401).send(res);
      return;
    }
    // A browser names the page that sent the request; only the renderer's own origin may call.
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if ((origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
      void reply.code(403).send({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'Wrong origin' } });
      return;
    }
    done();
  };

  // An import chunk comes as its bytes (renderer/api/transportHttp.ts): taken as a Buffer, no larger than a chunk may be.
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: MAX_CHUNK_BYTES + 64 * 1024 }, (_req, body, done) => done(null, body));

  // The API's code (every handler and schema) is loaded apart from the server's, on its first call or as soon as
  // the caller's context is ready: the server can listen first (core/host/main.ts).
  const api = Promise.resolve(opts.ctx).then(async (ctx) => ({ ctx, dispatch: (await import('../api/dispatch')).dispatch }));
  api.catch(() => undefined); // a context that never came: each call says so below
  app.post<{ Params: { channel: string } }>('/api/:channel', { onRequest: apiGuard }, async (req) => {
    const { ctx, dispatch } = await api;
    return dispatch(req.params.channel, Buffer.isBuffer(req.body) ? withBinaryField(req.headers, req.body) : req.body, ctx);
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const code = status === 413 || status === 400 || status === 415 ? 'VALIDATION' : 'INTERNAL';
    void reply.code(status).send({ ok: false, error: { code, message: err.message } });
  });

  if (existsSync(opts.rendererDir)) {
    await app.register(fastifyStatic, { root: opts.rendererDir, index: ['index.html'], cacheControl: false });
  } else {
    app.get('/', async (_req, reply) => reply.type('text/plain').send('The renderer is not built: run `npm run build`.'));
  }

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const addr = app.server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://127.0.0.1:${port}/`;
  return { url, openUrl: `${url}#token=${token}`, token, port, pageCodeSent: pageCode, close: () => app.close() };
}
