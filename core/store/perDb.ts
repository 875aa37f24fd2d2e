import type { Db } from './sqlite';

/**
 * Prepares a query module once per open database, so handlers can ask for it on every call
 * without re-preparing statements and without a central list every feature must edit.
 */
export function perDb<T>(factory: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let value = cache.get(db);
    if (value === undefined) {
      value = factory(db);
      cache.set(db, value);
    }
    return value;
  };
}
