/**
 * The text a venue hub shows as a QR code (and prints in its terminal): its address, the SHA-256
 * fingerprint of its self-signed certificate and the venue join code, one per line:
 *
 *   https://192.168.1.20:8470
 *   sha256/AB:CD:…
 *   code/K7QD-93MX-T2HB-4ZRA
 *
 * Only the address is required (a hub behind a real certificate needs no pin; a desk may be
 * enrolled with a code typed by hand). Shared by the hub (hq/server) and the desk's Sync screen.
 */
export interface HubInvite {
  url: string;
  certFingerprint: string | null;
  code: string | null;
}

export function formatHubInvite(invite: HubInvite): string {
  return [invite.url, invite.certFingerprint ? `sha256/${invite.certFingerprint}` : null, invite.code ? `code/${invite.code}` : null].filter((l): l is string => l !== null).join('\n');
}

/** Reads an invite (scanned or pasted); null when the text is not one (no http(s) address on its first line). */
export function parseHubInvite(text: string): HubInvite | null {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const url = lines[0];
  if (!url || !/^https?:\/\/\S+$/i.test(url)) return null;
  let certFingerprint: string | null = null;
  let code: string | null = null;
  for (const line of lines.slice(1)) {
    const m = /^(sha256|code)\/(.+)$/i.exec(line);
    if (!m) return null;
    if (m[1]!.toLowerCase() === 'sha256') certFingerprint = m[2]!.trim();
    else code = m[2]!.trim();
  }
  return { url, certFingerprint, code };
}
