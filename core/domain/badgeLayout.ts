import QRCode from 'qrcode';
import type { BadgeLayout } from '../../shared/ipc/badgeContract';

const MM = 72 / 25.4;

/** Page sizes in PDF points (1/72 in), portrait unless noted. */
export const BADGE_PAGE: Record<BadgeLayout, { width: number; height: number; margin: number }> = {
  a6: { width: 105 * MM, height: 148 * MM, margin: 10 * MM },
  badge_4x3: { width: 4 * 72, height: 3 * 72, margin: 0.2 * 72 },
  label_62mm: { width: 62 * MM, height: 100 * MM, margin: 4 * MM },
};

/** The same sizes for the print stylesheet (CSS @page). */
export const BADGE_CSS_PAGE: Record<BadgeLayout, string> = {
  a6: '105mm 148mm',
  badge_4x3: '4in 3in',
  label_62mm: '62mm 100mm',
};

/** The QR code of a scan token as an SVG path over a size × size grid (one unit per module, no quiet zone). */
export function qrPath(text: string): { size: number; path: string } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const data = qr.modules.data;
  let path = '';
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!data[y * size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && data[y * size + x]) x++;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return { size, path };
}
