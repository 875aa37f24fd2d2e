import QRCode from 'qrcode';
import { formatHubInvite } from '../../../shared/sync/hubInvite';
import { issueEnrollmentCode, type IssuedCode } from '../auth';
import type { HqStorage } from '../storage';

/** How long a venue join code lives and how many desks it serves: one code for the whole day at the venue. */
export const JOIN_CODE_HOURS = 24;
export const JOIN_CODE_USES = 200;

/** A fresh venue join code: whoever sees the hub's screen at the venue may join with it (that is its purpose). */
export function issueVenueJoinCode(storage: HqStorage, now = new Date()): Promise<IssuedCode> {
  return issueEnrollmentCode(storage, { label: 'venue desk', validHours: JOIN_CODE_HOURS, uses: JOIN_CODE_USES, now });
}

/** The invite the hub shows (address, pin, join code), as text and as a QR code image. */
export async function venueInvite(address: string, fingerprint: string | null, code: string): Promise<{ text: string; qrDataUrl: string }> {
  const text = formatHubInvite({ url: address, certFingerprint: fingerprint, code });
  return { text, qrDataUrl: await QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 320 }) };
}
