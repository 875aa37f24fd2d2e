import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NameKeyIndex } from '../../core/domain/romanizedNameKey';
import { SearchIndex } from '../../core/domain/searchIndex';
import type { SearchDoc } from '../../core/domain/searchKeys';
import { hangulInitials, normalizeLatin } from '../../core/domain/searchText';
import { openStore } from '../../core/store/openStore';
import { createRegistrationQueries } from '../../core/store/queries/registrationQueries';
import { seededRandom } from '../../core/domain/seededRandom';
import type { BenchResult } from './benchTypes';
import { benchPeople, type BenchPerson } from './benchPeople';
import { tempDir } from '../helpers/testStore';

const N = 100_000;
const STOP = 'bench-stop';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const round = (n: number, d = 3) => Number(n.toFixed(d));

/** What a person types at the desk, keystroke by keystroke: names in either order, Hangul, email, token. */
function queryMix(people: BenchPerson[], samples: number): string[] {
  const rand = seededRandom(11);
  const out: string[] = [];
  const typed = (s: string) => {
    const chars = [...s];
    for (let i = 1; i <= chars.length; i++) out.push(chars.slice(0, i).join(''));
  };
  for (let k = 0; k < samples; k++) {
    const p = people[Math.floor(rand() * people.length)]!;
    switch (k % 6) {
      case 0: typed(`${p.givenName} ${p.familyName}`.toLowerCase()); break;
      case 1: typed(`${p.familyName} ${p.givenName}`); break;
      case 2: typed(p.nameKo || p.familyName); break;
      case 3: typed(p.email.slice(0, 12)); break;
      case 4: out.push(p.scanToken); break;
      default: typed(`${p.familyName} ${p.affiliation.split(' ')[0]}`.toLowerCase());
    }
  }
  return out;
}

/** What a plain scan would match against: every searchable field, normalised, in one text. */
function plainSearchText(a: BenchPerson): string {
  const parts = [`${a.familyName} ${a.givenName}`, `${a.givenName} ${a.familyName}`, a.nameKo.replace(/\s+/g, ''), hangulInitials(a.nameKo), a.email, a.affiliation];
  return parts.map((p) => normalizeLatin(p).normalize('NFC')).filter(Boolean).join(' | ');
}

export async function run(): Promise<BenchResult[]> {
  const people = benchPeople(N);
  // The projection tables, filled directly (the search reads them; events are not what is measured here).
  const store = openStore(path.join(tempDir('bench-search-'), 'roadshow.sqlite'));
  const db = store.db;
  // The LIKE baseline's own column: the people's normalised text (names both orders, Hangul and its initials, email, affiliation).
  db.exec('ALTER TABLE attendees ADD COLUMN search_text TEXT');
  db.transaction(() => {
    const a = db.prepare(`INSERT INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc, search_text)
      VALUES (?, ?, ?, ?, ?, ?, ?, '[]', '{}', 'h', ?)`);
    const r = db.prepare(`INSERT INTO registrations (id, attendee_id, stop_id, source, scan_token, hlc) VALUES (?, ?, ?, 'import', ?, 'h')`);
    people.forEach((p, i) => {
      a.run(`a${i}`, p.familyName, p.givenName, p.nameKo, p.email, p.affiliation, p.careerStage, plainSearchText(p));
      r.run(`r${i}`, `a${i}`, STOP, p.scanToken);
    });
  })();
  db.prepare("INSERT INTO events (event_id, device_id, device_seq, hlc, type, schema_version, recorded_at, payload, local_seq) VALUES ('e', 'd', 1, 'h', 'x', 1, '2025-01-01T00:00:00.000Z', '{}', 1)").run();

  const queries = queryMix(people, 600);

  // 1. Index build (first search at a stop).
  const docs: SearchDoc[] = people.map((p, i) => ({ id: `r${i}`, ...p }));
  let t0 = performance.now();
  const index = new SearchIndex(docs);
  const buildMs = performance.now() - t0;

  // 2. Core search: ranked top 20 from the in-memory index.
  for (const q of queries.slice(0, 200)) index.search(q, 20); // warm-up
  const core: number[] = [];
  for (const q of queries) {
    t0 = performance.now();
    index.search(q, 20);
    core.push(performance.now() - t0);
  }
  core.sort((x, y) => x - y);

  // 3. The API's search: index (kept in step with the log) + 20 registration views from SQLite.
  const regQ = createRegistrationQueries(db);
  regQ.search(STOP, 'kim', 20); // builds the stop's index
  const api: number[] = [];
  for (const q of queries.slice(0, 1500)) {
    t0 = performance.now();
    regQ.search(STOP, q, 20);
    api.push(performance.now() - t0);
  }
  api.sort((x, y) => x - y);

  // 4. The plain scan the index replaces: LIKE '%q%' over the same rows, ranked by name, top 20.
  const like = db.prepare(`SELECT r.id FROM registrations r JOIN attendees a ON a.id = r.attendee_id
    WHERE r.stop_id = ? AND a.search_text LIKE ? ESCAPE '\\' ORDER BY a.family_name, a.given_name LIMIT 20`);
  const likeSample = queries.filter((_, i) => i % 8 === 0);
  const plain: number[] = [];
  for (const q of likeSample) {
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    t0 = performance.now();
    like.all(STOP, pattern);
    plain.push(performance.now() - t0);
  }
  plain.sort((x, y) => x - y);

  // 5. The walk-in form's near-duplicate hint, per keystroke: name keys (romanisation variants, Hangul) + the index.
  t0 = performance.now();
  const names = new NameKeyIndex();
  people.forEach((p, i) => names.upsert(`a${i}`, p));
  const namesBuildMs = performance.now() - t0;
  const hint: number[] = [];
  for (const p of people.slice(0, 300)) {
    const given = [...p.givenName];
    for (let i = 1; i <= given.length; i++) {
      const typed = { familyName: p.familyName, givenName: given.slice(0, i).join(''), nameKo: '' };
      t0 = performance.now();
      names.alike(typed);
      index.search(`${typed.givenName} ${typed.familyName}`, 5);
      hint.push(performance.now() - t0);
    }
  }
  hint.sort((x, y) => x - y);
  store.close();

  const detail = `${N.toLocaleString('en-US')} attendees at one stop; ${queries.length} keystroke queries (names both orders, Hangul, email, token, name+affiliation)`;
  return [
    { name: 'search index build (100k attendees)', value: Math.round(buildMs), unit: 'ms', detail: 'first search at a stop; later changes are folded in incrementally' },
    { name: 'core search, ranked top 20 — p50', value: round(pct(core, 0.5)), unit: 'ms', detail },
    { name: 'core search, ranked top 20 — p95', value: round(pct(core, 0.95)), unit: 'ms', detail: 'goal ≤ 1 ms' },
    { name: 'core search, ranked top 20 — p99', value: round(pct(core, 0.99)), unit: 'ms' },
    { name: 'API search (index + 20 registration views) — p95', value: round(pct(api, 0.95)), unit: 'ms', detail: `${api.length} queries` },
    { name: "plain LIKE '%q%' scan, top 20 by name — p50", value: round(pct(plain, 0.5)), unit: 'ms', detail: `${plain.length} of the same queries, same rows` },
    { name: "plain LIKE '%q%' scan, top 20 by name — p95", value: round(pct(plain, 0.95)), unit: 'ms' },
    { name: 'near-duplicate name keys build (100k attendees)', value: Math.round(namesBuildMs), unit: 'ms', detail: 'romanisation variants and Hangul, once per store; patched with the search index' },
    { name: 'near-duplicate hint per keystroke (name keys + index) — p95', value: round(pct(hint, 0.95)), unit: 'ms', detail: `${hint.length} keystrokes of given names; goal: hint within 300 ms of typing (150 ms debounce + this)` },
    { name: 'speed-up of the index over LIKE at p95', value: round(pct(plain, 0.95) / pct(core, 0.95), 1), unit: '×', detail: 'goal ≥ 20×' },
  ];
}
