import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

const POOL_IDS = 4096;

/**
 * UUID v7 for bulk writes: the same ids as `uuid`'s v7 (monotonic within a millisecond), but with
 * random bytes drawn from one pooled buffer rather than one random-source call per id.
 */
export function createUuidV7Source(now: () => number = Date.now): () => string {
  const pool = Buffer.alloc(16 * POOL_IDS);
  let next = POOL_IDS;
  let msecs = -Infinity;
  let seq = 0;
  return () => {
    if (next === POOL_IDS) {
      randomFillSync(pool);
      next = 0;
    }
    const random = pool.subarray(next * 16, next * 16 + 16);
    next++;
    const t = now();
    // As uuid's own state update: a new millisecond re-seeds the sequence, the same one counts up.
    if (t > msecs) {
      seq = (random[6]! << 23) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
      msecs = t;
    } else {
      seq = (seq + 1) | 0;
      if (seq === 0) msecs++;
    }
    return uuidv7({ random, msecs, seq });
  };
}
