import { describe, expect, it } from 'vitest';
import { consentAllows, consentCovers, effectiveConsent, type ConsentFact } from '../../../core/domain/consentFilter';

const hlc = (ms: number, node = 'dev-a') => `${String(ms).padStart(15, '0')}:00000:${node}`;
const c = (scope: ConsentFact['scope'], institutionId: string | null, ms: number, node?: string): ConsentFact => ({ scope, institutionId, hlc: hlc(ms, node) });

describe('consent filter', () => {
  it('lets all institutions follow up on an all-institutions consent', () => {
    expect(consentAllows([c('all_institutions', null, 1)], 'inst-kaist')).toBe(true);
    expect(consentAllows([c('all_institutions', null, 1)], 'inst-gist')).toBe(true);
  });

  it('limits an institution-only consent to that institution', () => {
    const consents = [c('institution', 'inst-kaist', 1)];
    expect(consentAllows(consents, 'inst-kaist')).toBe(true);
    expect(consentAllows(consents, 'inst-gist')).toBe(false);
  });

  it('never exports on HQ-statistics consent, nor without any consent', () => {
    expect(consentAllows([c('hq_stats', null, 1)], 'inst-kaist')).toBe(false);
    expect(consentAllows([], 'inst-kaist')).toBe(false);
    expect(consentCovers(null, 'inst-kaist')).toBe(false);
  });

  it('takes the latest consent by HLC, whatever order the list is in', () => {
    const widened = [c('hq_stats', null, 1), c('all_institutions', null, 2)];
    const narrowed = [c('all_institutions', null, 1), c('hq_stats', null, 2)];
    for (const list of [widened, [...widened].reverse()]) expect(consentAllows(list, 'inst-kaist')).toBe(true);
    for (const list of [narrowed, [...narrowed].reverse()]) expect(consentAllows(list, 'inst-kaist')).toBe(false);
    // The same wall time on two laptops: the HLC (ending in the device id) still orders them.
    const tie = [c('all_institutions', null, 5, 'dev-a'), c('institution', 'inst-gist', 5, 'dev-b')];
    expect(effectiveConsent(tie)?.scope).toBe('institution');
    expect(consentAllows(tie, 'inst-kaist')).toBe(false);
    expect(consentAllows([...tie].reverse(), 'inst-gist')).toBe(true);
  });

  it('a later institution-only consent for another institution replaces an earlier one', () => {
    const consents = [c('institution', 'inst-kaist', 1), c('institution', 'inst-unist', 2)];
    expect(consentAllows(consents, 'inst-kaist')).toBe(false);
    expect(consentAllows(consents, 'inst-unist')).toBe(true);
  });
});
