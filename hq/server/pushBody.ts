import type { FastifyInstance, FastifyRequest } from 'fastify';
import { envelopeJson, type EnvelopeHead } from '../../core/sync/envelopeJson';

/**
 * The push body as text, beside the value Fastify's own JSON parser made of it (same parser, same
 * refusals: bad JSON, `__proto__`/`constructor.prototype` keys): the push route takes each event's
 * payload from the text verbatim (`verbatimPayloads`) instead of serialising the parsed payload again.
 */
const bodyText = new WeakMap<FastifyRequest, string>();

export const PUSH_ROUTE = '/v1/sync/push';

/** Replaces the app's `application/json` parser with the default one that also keeps the push route's body text. */
export function registerPushBodyText(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (req.routeOptions.url === PUSH_ROUTE) bodyText.set(req, body as string);
    parse(req, body as string, done);
  });
}

export function pushBodyText(req: FastifyRequest): string | undefined {
  return bodyText.get(req);
}

/**
 * Index just past the JSON object or array that starts at `start` (`{` or `[`) in valid JSON text,
 * or -1. Strings are skipped whole (an escaped quote does not end one). `keys`, when given, counts
 * the object keys inside (strings followed by `:`).
 */
export function jsonValueEnd(text: string, start: number, keys?: { n: number }): number {
  let depth = 0;
  const n = text.length;
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = text.indexOf('"', i + 1);
      for (;;) {
        if (j < 0) return -1;
        let slashes = 0;
        while (text.charCodeAt(j - 1 - slashes) === 92 /* \ */) slashes++;
        if (slashes % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      i = j;
      if (keys) {
        let k = j + 1;
        while (k < n && text.charCodeAt(k) <= 32) k++;
        if (text.charCodeAt(k) === 58 /* : */) keys.n++;
      }
    } else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
    else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * Each event's payload exactly as the request carried it, in the body's order, when the body has
 * the laptop's layout (core/sync/syncClient.ts: `{"device_id":…,"events":[` then each event as
 * `envelopeJson` writes it, payload last): the text the laptop stored, so both sides hash the same
 * bytes for the digest, and nothing is serialised again. `events` are the body's envelopes as
 * validated from the same text. The walk is anchored: each event's fields up to its payload must
 * match the validated envelope character for character, starting where the previous event ended,
 * and each payload must be the event's last member; so each slice is exactly one payload's JSON
 * value. Any other layout (other spacing, key order or escapes) answers null: the caller then
 * serialises the parsed payloads, which gives the same text for JSON that `JSON.stringify` wrote.
 * So does a payload with a repeated key (`JSON.stringify` never writes one): the parsed value, which
 * was validated, kept the last; SQLite's `json_extract` (search cache, retention purge) would read
 * the first. Each slice's keys are counted against the parsed payload's.
 */
export function verbatimPayloads(text: string, deviceId: string, events: readonly (EnvelopeHead & { payload: unknown })[]): string[] | null {
  const head = `{"device_id":${JSON.stringify(deviceId)},"events":[`;
  if (!text.startsWith(head)) return null;
  const out: string[] = new Array<string>(events.length);
  let pos = head.length;
  for (let i = 0; i < events.length; i++) {
    const full = envelopeJson(events[i]!, '');
    const prefix = full.slice(0, -1); // without the closing brace: ends with `"payload":`
    if (!text.startsWith(prefix, pos)) return null;
    const start = pos + prefix.length;
    if (text.charCodeAt(start) !== 123 /* { */) return null;
    const keys = { n: 0 };
    const end = jsonValueEnd(text, start, keys);
    if (end < 0 || text.charCodeAt(end) !== 125 /* } */) return null;
    if (keys.n !== keyCount(events[i]!.payload)) return null;
    out[i] = text.slice(start, end);
    pos = end + 1;
    if (i < events.length - 1) {
      if (text.charCodeAt(pos) !== 44 /* , */) return null;
      pos++;
    }
  }
  return text.length === pos + 2 && text.endsWith(']}') ? out : null;
}

/** Object keys in a parsed JSON value, nested ones included. */
function keyCount(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) n += keyCount(x);
    return n;
  }
  for (const k in v) n += 1 + keyCount((v as Record<string, unknown>)[k]);
  return n;
}
