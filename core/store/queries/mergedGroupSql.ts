/**
 * Every record of one person's merged group, as an SQL subquery over the named parameter `param` (e.g. '@a'):
 * the record itself when never merged. Every member of a merged group, the canonical record included, has a
 * row in attendee_canonical (core/store/projections/mergeProjection.ts), so one lookup finds the group.
 */
export const mergedGroupOf = (param: `@${string}`): string =>
  `(SELECT ${param} UNION SELECT attendee_id FROM attendee_canonical WHERE canonical_id = (SELECT canonical_id FROM attendee_canonical WHERE attendee_id = ${param}))`;
