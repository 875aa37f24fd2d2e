import { describe, expect, it } from 'vitest';
import { handlers } from '../../core/api/handlerMap';
import { createProjector } from '../../core/store/projections/index';
import { openStore } from '../../core/store/openStore';
import { en } from '../../renderer/i18n/en';
import { ko } from '../../renderer/i18n/ko';
import { CHANNELS, contract } from '../../shared/contract';
import { ERROR_CODES } from '../../shared/errors';
import { EVENT_TYPES } from '../../shared/events/eventTypes';
import { mergeUnique } from '../../shared/mergeUnique';

describe('the contract', () => {
  it('throws when two features define the same key', () => {
    expect(() => mergeUnique({ 'a:b': 1 }, { 'a:b': 2 })).toThrow(/Defined twice: a:b/);
  });

  it('has a handler for every channel and a channel for every handler', () => {
    expect(Object.keys(handlers).sort()).toEqual([...CHANNELS].sort());
  });

  it('names channels domain:verb and gives each an input and output schema', () => {
    for (const c of CHANNELS) {
      expect(c).toMatch(/^[a-z]+:[a-zA-Z]+$/);
      expect(typeof contract[c].input.safeParse).toBe('function');
      expect(typeof contract[c].output.safeParse).toBe('function');
    }
  });

  it('projects every event type the app writes', () => {
    const store = openStore(':memory:');
    const projector = createProjector(store.db);
    for (const t of EVENT_TYPES) expect(projector.handles(t), t).toBe(true);
  });

  it('translates every error code in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(en.errors[code], code).toBeTruthy();
      expect(ko.errors[code], code).toBeTruthy();
    }
  });

  it('has Korean for every English string and no leftovers', () => {
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${p}${k}`] : keys(v as object, `${p}${k}.`)));
    expect(keys(ko).sort()).toEqual(keys(en).sort());
  });
});
