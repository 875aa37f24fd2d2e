import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_PIN_HASHES } from '../../../core/demo/demoPinHashes';
import { DEMO_STAFF } from '../../../core/security/demoStaff';
import { hashPin, verifyPin } from '../../../core/security/pinHash';

const salt = (id: string) => createHash('sha256').update(`roadshow-demo:salt:${id}`).digest().subarray(0, 16);

describe('demo staff PIN hashes worked out ahead', () => {
  it('has one for each demo person, equal to the hash of their PIN with their fixed salt', async () => {
    expect(Object.keys(DEMO_PIN_HASHES).sort()).toEqual(DEMO_STAFF.map((s) => s.id).sort());
    for (const s of DEMO_STAFF) {
      expect(DEMO_PIN_HASHES[s.id]).toBe(hashPin(s.pin, salt(s.id)));
      expect(await verifyPin(s.pin, DEMO_PIN_HASHES[s.id]!)).toBe(true);
      expect(await verifyPin('000000', DEMO_PIN_HASHES[s.id]!)).toBe(false);
    }
  });
});
