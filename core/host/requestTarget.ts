/**
 * Whether a request line's target is in the one spelling the host serves: origin-form (`/…`, not
 * `http://host/…`), with no percent-escapes, no empty, `.` or `..` segments and no segment ending in a
 * dot. The router decodes and matches more spellings than that (`/%61pi/…` is `/api/…` to it), so a check
 * on the raw URL and the route the router picks could disagree; refusing every other spelling up front
 * means the path a check sees is the path that is served. Nothing the renderer asks for needs more:
 * asset names are plain and channel names travel as `domain:verb` (`:` is allowed in a path segment).
 */
const SEGMENT = /^[A-Za-z0-9\-_~!$&'()*+,;=:@.]+$/;

export function isCanonicalTarget(rawUrl: string): boolean {
  if (!rawUrl.startsWith('/')) return false;
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  if (path === '/') return true;
  const segments = path.slice(1).split('/');
  return segments.every((s, i) => (s === '' ? i === segments.length - 1 && i > 0 : SEGMENT.test(s) && !s.endsWith('.')));
}
