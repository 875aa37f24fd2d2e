import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { AppError } from '../../shared/errors';
import { certificateError, loadUndici, pinnedAgent } from './certPin';
import { isLoopbackHost } from './hqUrl';

const gzipAsync = promisify(gzip);

export interface HqResponse {
  status: number;
  body: unknown;
  /** Bytes of the answer as received (decompressed), when the transport knows them (for the progress). */
  bytes?: number;
  /** The answer's JSON text as received (decompressed), when the transport has it: a pull stores each payload's text from it verbatim. */
  text?: string;
}

/** A request body already serialised to JSON (the push builds it once to measure its size). */
export class JsonText {
  constructor(readonly text: string) {}
}

export function toJson(body: unknown): string {
  return body instanceof JsonText ? body.text : JSON.stringify(body ?? {});
}

/** Thrown when HQ could not be reached or the connection broke: nothing about the request is known. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

/**
 * How the sync client reaches HQ. The app uses HTTP; the deterministic simulation uses an
 * in-process network that drops, duplicates and reorders messages around the same HQ routes.
 */
export interface HqTransport {
  request(method: 'GET' | 'POST', path: string, body: unknown, token: string | null): Promise<HqResponse>;
}

export interface HttpTransportOptions {
  timeoutMs?: number;
  gzip?: boolean;
  /**
   * SHA-256 fingerprint of the server's certificate (a venue hub's self-signed one): only that
   * certificate is accepted, before anything is written. Without it, normal CA verification.
   */
  certFingerprint?: string | null;
}

/**
 * HTTP(S) with fetch: JSON bodies, gzip over real networks (not over loopback, where it only costs
 * CPU). A refused certificate is an AppError (SYNC_CERT_MISMATCH / SYNC_CERT_UNTRUSTED), not "offline".
 */
export function createHttpTransport(baseUrl: string, opts: HttpTransportOptions = {}): HqTransport {
  const url = new URL(baseUrl);
  const compress = opts.gzip ?? !isLoopbackHost(url.hostname);
  if (opts.certFingerprint && url.protocol !== 'https:') throw new AppError('SYNC_FINGERPRINT_INVALID', 'A certificate fingerprint needs an https:// address');
  // A pinned certificate needs undici's fetch and a dispatcher of its own: both loaded at the first request.
  const fingerprint = opts.certFingerprint;
  let pinned: Promise<{ fetch: typeof import('undici').fetch; dispatcher: Dispatcher }> | null = null;
  const pinnedFetch = () => (pinned ??= Promise.all([loadUndici(), pinnedAgent(fingerprint!)]).then(([u, dispatcher]) => ({ fetch: u.fetch, dispatcher })));
  return {
    async request(method, path, body, token) {
      const headers: Record<string, string> = { accept: 'application/json', 'accept-encoding': compress ? 'gzip' : 'identity' };
      if (token) headers.authorization = `Bearer ${token}`;
      let payload: Uint8Array<ArrayBuffer> | string | undefined;
      if (method === 'POST') {
        headers['content-type'] = 'application/json';
        const json = toJson(body);
        if (compress && json.length > 1024) {
          payload = Uint8Array.from(await gzipAsync(json, { level: constants.Z_BEST_SPEED }));
          headers['content-encoding'] = 'gzip';
        } else {
          // As UTF-8 bytes, encoded once: a string body costs fetch a well-formedness scan and a
          // second encode (~3% of a push's CPU on the laptop, profiled). Lone surrogates become
          // U+FFFD either way; JSON.stringify and SQLite's text never hold any.
          const bytes = Buffer.from(json, 'utf8');
          payload = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) as Uint8Array<ArrayBuffer>;
        }
      }
      let res: Response;
      try {
        const init = { method, headers, body: payload, signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) };
        if (fingerprint) {
          const { fetch: undiciFetch, dispatcher } = await pinnedFetch();
          res = (await undiciFetch(`${baseUrl}${path}`, { ...init, dispatcher })) as unknown as Response;
        } else res = await fetch(`${baseUrl}${path}`, init);
      } catch (err) {
        const refused = certificateError(err);
        if (refused) throw refused;
        throw new NetworkError(err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err));
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        throw new NetworkError(err instanceof Error ? err.message : String(err));
      }
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = { error: { code: 'INTERNAL', message: `HQ answered ${res.status} with non-JSON` } };
      }
      return { status: res.status, body: parsed, bytes: Buffer.byteLength(text), text };
    },
  };
}
