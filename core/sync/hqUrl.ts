import { AppError } from '../../shared/errors';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/**
 * Checks and normalises an HQ address: HTTPS only, except plain HTTP to this machine itself
 * (tests, a hub on the same laptop). Tokens and attendee data never cross a network in clear text.
 */
export function normaliseHqUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('VALIDATION', `Not a web address: ${raw}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('SYNC_INSECURE_URL', `Unsupported scheme ${url.protocol}`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new AppError('SYNC_INSECURE_URL', `Refusing plain http:// to ${url.hostname}: use https://`);
  }
  if (url.username || url.password || url.search || url.hash) throw new AppError('VALIDATION', 'The HQ address may not carry a user, query or fragment');
  return url.toString().replace(/\/+$/, '');
}
