import { isIP } from 'node:net';
import tls from 'node:tls';
import type { Agent } from 'undici';
import { AppError } from '../../shared/errors';

/**
 * Certificate pinning for a venue hub's self-signed certificate: the desk trusts exactly the
 * certificate whose SHA-256 fingerprint the hub shows (text or QR code), whatever its names or
 * issuer, and nothing else. Without a pin, normal CA verification applies (hqTransport).
 */

/** "AB:CD:…" (64 hex digits, upper case, colons) from hex with or without colons, spaces or a "sha256/" prefix. */
export function normaliseFingerprint(raw: string): string {
  const hex = raw.trim().replace(/^sha-?256[/:= ]\s*/i, '').replace(/[\s:]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new AppError('SYNC_FINGERPRINT_INVALID', 'A certificate fingerprint is 64 hex digits (SHA-256), colons allowed');
  return hex.toUpperCase().match(/../g)!.join(':');
}

/** The TLS connection reached a server whose certificate is not the pinned one; nothing was written. */
export class PinMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly got: string | null,
  ) {
    super(`The server's certificate (SHA-256 ${got ?? 'none'}) does not match the pinned fingerprint ${expected}`);
    this.name = 'PinMismatchError';
  }
}

/**
 * undici, loaded at its first use. Bundled (dist/host) it is CommonJS inside an ES module chunk, whose
 * namespace holds only `default`; run from source, Node also lists its named exports. `default` is
 * module.exports in both.
 */
export async function loadUndici(): Promise<typeof import('undici')> {
  const ns = (await import('undici')) as typeof import('undici') & { default?: typeof import('undici') };
  return ns.default ?? ns;
}

/**
 * An undici dispatcher whose connections are handed to HTTP only after the peer certificate's
 * SHA-256 matched `fingerprint`: the request (token, events) is never written to any other server.
 * undici is loaded here, at the first pinned request, not at every start of the app (~190 ms of CPU
 * to load it; most starts never sync with a venue hub: docs/architecture.md, rule 11).
 */
export async function pinnedAgent(fingerprint: string, opts: { connectTimeoutMs?: number } = {}): Promise<Agent> {
  const pin = normaliseFingerprint(fingerprint);
  const { Agent } = await loadUndici();
  return new Agent({
    connect(options, callback) {
      const host = options.hostname.replace(/^\[|\]$/g, '');
      const socket = tls.connect({
        host,
        port: Number(options.port) || 443,
        servername: isIP(host) ? undefined : (options.servername ?? host),
        // The chain is not checked by a CA here: the pin below is the whole trust decision.
        rejectUnauthorized: false,
        ALPNProtocols: ['http/1.1'],
      });
      let settled = false;
      const settle = (err: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.removeListener('error', onError);
        if (err) {
          socket.destroy();
          callback(err, null);
        } else callback(null, socket);
      };
      const onError = (err: Error) => settle(err);
      const timer = setTimeout(() => settle(Object.assign(new Error('Connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' })), opts.connectTimeoutMs ?? 15_000);
      socket.setNoDelay(true);
      socket.once('error', onError);
      socket.once('secureConnect', () => {
        const got = socket.getPeerCertificate()?.fingerprint256 || null;
        settle(got === pin ? null : new PinMismatchError(pin, got));
      });
    },
  });
}

const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A fetch failure caused by the server's certificate, as the app's error (null: some other failure). */
export function certificateError(err: unknown): AppError | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof PinMismatchError) return new AppError('SYNC_CERT_MISMATCH', e.message, { expected: e.expected, got: e.got });
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNTRUSTED_CODES.has(code)) return new AppError('SYNC_CERT_UNTRUSTED', `The server's certificate is not trusted (${code}): ${e.message}`, { tls: code });
  }
  return null;
}
