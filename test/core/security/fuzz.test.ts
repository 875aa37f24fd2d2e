import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { ruleFor } from '../../../core/api/authorization';
import { dispatch } from '../../../core/api/dispatch';
import { seedDemoStaff } from '../../../core/security/demoStaff';
import { DeskSession } from '../../../core/security/deskSession';
import { CHANNELS, contract, type Channel } from '../../../shared/contract';
import { ERROR_CODES } from '../../../shared/errors';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

/**
 * Bad input never crashes the app: every API channel gets random and malformed input (and inputs
 * built from its own field names with plausible and absurd values). Each call must answer a
 * Result — a value or a known, non-INTERNAL error — and a refused call must leave the event log
 * and every projection exactly as they were (no partial write).
 */

/** Channels that reach the network (HQ) are fuzzed in the sync engineer's tests, not here. */
const NETWORK = new Set<string>(['sync:now', 'sync:enroll', 'sync:status']);
/** PIN checks and hashes are slow on purpose (scrypt): fewer runs. */
const SLOW = new Set<string>(['auth:signIn', 'auth:setup', 'staff:create', 'staff:setPin']);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

let ctx: ApiContext;
let pool: string[];

function snapshot(c: ApiContext): string {
  const n = (c.store.db.prepare('SELECT COUNT(*) AS n, MAX(local_seq) AS s FROM events').get() as { n: number; s: number }).n;
  return `${n}:${c.store.events.projectionHash()}`;
}

function ids(sql: string): string[] {
  return (ctx.store.db.prepare(sql).all() as { id: string }[]).map((r) => r.id);
}

const leaf = () =>
  fc.oneof(
    fc.constantFrom(...pool),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(''),
    fc.constantFrom('ko', 'en', 'csv', 'xlsx', 'all', 'unsent', 'manual', '111111', '123456', '2025-11-14T15:00:00.000Z', 'x'.repeat(5000), '__proto__', "'; DROP TABLE events; --"),
    fc.uuid(),
  );

const valueArb = () => fc.oneof({ maxDepth: 2 }, leaf(), fc.array(leaf(), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), leaf(), { maxKeys: 3 }));

function shapeKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

interface ZodDef {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDef } }>;
  innerType?: { _zod: { def: ZodDef } };
  element?: { _zod: { def: ZodDef } };
  options?: { _zod: { def: ZodDef } }[];
  entries?: Record<string, string>;
  values?: unknown[];
  in?: { _zod: { def: ZodDef } };
  valueType?: { _zod: { def: ZodDef } };
}

/** A plausible value for a field, by its name: real ids for *Id fields, text for the rest. */
function stringFor(key: string): fc.Arbitrary<string> {
  if (/stopId$/.test(key)) return fc.constantFrom(DEMO_STOP, 'stop-01-boston', 'stop-nope');
  if (/institutionId$/.test(key)) return fc.constantFrom('inst-kaist', 'inst-gist', 'inst-nope');
  if (/Id$|^id$/.test(key)) return fc.oneof(fc.constantFrom(...pool), fc.uuid());
  if (/pin/i.test(key)) return fc.constantFrom('111111', '222222', '12345', '1234567890123', 'abcdef');
  return fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('Kim', '김민지', 'a@b.edu', 'x'.repeat(300)));
}

/**
 * Values shaped by the channel's own zod schema (mostly valid, so the call reaches the handler),
 * with any field now and then replaced by garbage.
 */
function fromSchema(def: ZodDef, key: string, depth = 0): fc.Arbitrary<unknown> {
  const garbage = depth > 3 ? leaf() : valueArb();
  const inner = (d: { _zod: { def: ZodDef } } | undefined) => (d ? fromSchema(d._zod.def, key, depth + 1) : leaf());
  let arb: fc.Arbitrary<unknown>;
  switch (def.type) {
    case 'object':
      arb = fc.record(Object.fromEntries(Object.entries(def.shape ?? {}).map(([k, v]) => [k, fromSchema(v._zod.def, k, depth + 1)])), { requiredKeys: [] });
      break;
    case 'string':
      arb = stringFor(key);
      break;
    case 'number':
    case 'int':
      arb = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer());
      break;
    case 'boolean':
      arb = fc.boolean();
      break;
    case 'enum':
      arb = fc.constantFrom(...Object.values(def.entries ?? { x: 'x' }));
      break;
    case 'literal':
      arb = fc.constantFrom(...((def.values ?? [null]) as unknown[]));
      break;
    case 'array':
      arb = fc.array(inner(def.element), { maxLength: 3 });
      break;
    case 'optional':
    case 'default':
    case 'nullable':
    case 'readonly':
    case 'catch':
      arb = fc.oneof(inner(def.innerType), fc.constantFrom(undefined, null));
      break;
    case 'union':
      arb = def.options?.length ? fc.oneof(...def.options.map((o) => fromSchema(o._zod.def, key, depth + 1))) : leaf();
      break;
    case 'pipe':
      arb = inner(def.in);
      break;
    case 'record':
      arb = fc.dictionary(fc.string({ maxLength: 8 }), inner(def.valueType), { maxKeys: 3 });
      break;
    default:
      arb = leaf();
  }
  return fc.oneof({ weight: 9, arbitrary: arb }, { weight: 1, arbitrary: garbage });
}

function inputArb(channel: Channel): fc.Arbitrary<unknown> {
  const schema = contract[channel].input as unknown as { _zod: { def: ZodDef } };
  const keys = shapeKeys(schema);
  const shaped = keys.length ? fc.record(Object.fromEntries(keys.map((k) => [k, valueArb()])), { requiredKeys: [] }) : fc.constant({});
  return fc.oneof(
    { weight: 1, arbitrary: fc.anything() },
    { weight: 2, arbitrary: shaped },
    { weight: 5, arbitrary: fromSchema(schema._zod.def, '') },
  );
}

beforeAll(() => {
  const store = createTestStore({ demo: true, attendees: 60 });
  seedDemoStaff(store);
  ctx = createTestContext(store);
  pool = [
    DEMO_STOP,
    'stop-01-boston',
    'inst-kaist',
    'staff-demo-lead',
    'staff-demo-desk',
    ...ids('SELECT id FROM registrations LIMIT 5'),
    ...ids('SELECT id FROM attendees LIMIT 5'),
    ...ids('SELECT id FROM booths LIMIT 3'),
    ...ids("SELECT event_id AS id FROM events WHERE type = 'checked_in' LIMIT 3"),
  ];
});

describe('fuzz: every API channel', () => {
  const fuzzed = CHANNELS.filter((c) => !NETWORK.has(c));

  it('covers the whole contract except the network calls', () => {
    expect(fuzzed.length).toBe(CHANNELS.length - [...NETWORK].filter((c) => (CHANNELS as string[]).includes(c)).length);
  });

  it.each(fuzzed)('%s: random and malformed input → a value or a clear error, never a crash or a partial write', async (channel) => {
    await fc.assert(
      fc.asyncProperty(inputArb(channel), async (input) => {
        const before = snapshot(ctx);
        const res = await dispatch(channel, input, ctx);
        expect(typeof res.ok).toBe('boolean');
        if (!res.ok) {
          expect(ERROR_CODES).toContain(res.error.code);
          expect(res.error.code, `${channel} crashed on ${JSON.stringify(input)?.slice(0, 300)}: ${res.error.message}`).not.toBe('INTERNAL');
          expect(snapshot(ctx), `${channel} wrote something and then failed`).toBe(before);
        }
      }),
      { numRuns: SLOW.has(channel) ? 4 : RUNS, seed: 9009, endOnFailure: true },
    );
  });

  it('a locked desk answers every non-public channel with SIGN_IN_REQUIRED (or VALIDATION) and writes nothing', async () => {
    const locked: ApiContext = { ...ctx, session: new DeskSession(), actorId: null };
    const channels = CHANNELS.filter((c) => ruleFor(c).permission !== 'public');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channels), fc.anything(), async (channel, input) => {
        const before = snapshot(locked);
        const res = await dispatch(channel, input, locked);
        expect(res.ok).toBe(false);
        if (!res.ok) expect(['SIGN_IN_REQUIRED', 'VALIDATION']).toContain(res.error.code);
        expect(snapshot(locked)).toBe(before);
      }),
      { numRuns: 300, seed: 9010 },
    );
  });
});

describe('fuzz: CSV/XLSX registration import', () => {
  const cell = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.constantFrom('Kim', '김민지', 'a@b.edu', 'not-an-email', '=HYPERLINK("http://x")', '"', '""', ',', ';', '\t', '\r\n', '\u0000', 'postdoc', 'ai;bio'),
  );
  const quotedCell = fc.tuple(cell, fc.boolean()).map(([c, quote]) => (quote ? `"${c.replace(/"/g, '""')}"` : c));
  const csvText = fc
    .tuple(fc.array(fc.array(quotedCell, { minLength: 0, maxLength: 8 }), { minLength: 0, maxLength: 25 }), fc.constantFrom(',', ';', '\t'))
    .map(([rows, d]) => rows.map((r) => r.join(d)).join('\n'));
  const fileBytes = fc.oneof(
    csvText.map((t) => ({ name: 'people.csv', bytes: Buffer.from(t, 'utf8') })),
    csvText.map((t) => ({ name: 'people.csv', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]) })),
    csvText.map((t) => ({ name: 'people.csv', bytes: Buffer.from(`\ufeff${t}`, 'utf16le') })),
    fc.uint8Array({ maxLength: 3000 }).map((b) => ({ name: 'random.csv', bytes: Buffer.from(b) })),
    // Malformed spreadsheets: a zip signature followed by junk, an empty file, a truncated header.
    fc.uint8Array({ maxLength: 3000 }).map((b) => ({ name: 'broken.xlsx', bytes: Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.from(b)]) })),
    fc.constant({ name: 'empty.xlsx', bytes: Buffer.alloc(0) }),
  );
  const mapping = fc.record(
    Object.fromEntries(['familyName', 'givenName', 'fullName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields', 'scanToken'].map((f) => [f, fc.integer({ min: 0, max: 9 })])),
    { requiredKeys: [] },
  );

  it('any file → parsed or a clear error; check and commit import all valid rows or write nothing', async () => {
    const hasImport = (CHANNELS as string[]).includes('import:upload');
    expect(hasImport).toBe(true);
    await fc.assert(
      fc.asyncProperty(fileBytes, mapping, fc.integer({ min: 1, max: 3 }), async (file, map, chunks) => {
        const uploadId = `fuzz-${randomUUID()}`;
        const b64 = file.bytes.toString('base64');
        const size = Math.ceil(b64.length / chunks / 4) * 4 || 4;
        const parts = b64.length ? Array.from({ length: Math.ceil(b64.length / size) }, (_, i) => b64.slice(i * size, (i + 1) * size)) : [''];
        const before = snapshot(ctx);
        for (let i = 0; i < parts.length; i++) {
          const up = await dispatch('import:upload', { uploadId, fileName: file.name, index: i, count: parts.length, data: parts[i] }, ctx);
          if (!up.ok) expect(up.error.code).not.toBe('INTERNAL');
        }
        const parsed = await dispatch('import:parse', { uploadId }, ctx);
        if (!parsed.ok) {
          expect(parsed.error.code, parsed.error.message).not.toBe('INTERNAL');
          expect(snapshot(ctx)).toBe(before);
          return;
        }
        const check = await dispatch('import:check', { uploadId, stopId: DEMO_STOP, mapping: map }, ctx);
        if (!check.ok) expect(check.error.code, check.error.message).not.toBe('INTERNAL');
        expect(snapshot(ctx)).toBe(before); // checking writes nothing
        const commit = await dispatch('import:commit', { uploadId, stopId: DEMO_STOP, mapping: map }, ctx);
        if (!commit.ok) {
          expect(commit.error.code, commit.error.message).not.toBe('INTERNAL');
          expect(snapshot(ctx)).toBe(before);
        } else if (check.ok) {
          const value = commit.value as { skipped: number };
          const report = check.value as { invalid: number };
          expect(value.skipped).toBe(report.invalid);
        }
        await dispatch('import:discard', { uploadId }, ctx);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 40), seed: 9011, endOnFailure: true },
    );
  });
});
