import QRCode from 'qrcode';

/**
 * The QR code of a scan token as an SVG path over a size × size grid (one unit per module, no quiet zone).
 * A file of its own, loaded by core/api/badgeHandlers.ts when badges are first made: `qrcode` (and pngjs)
 * cost a start ~50 ms of CPU it does not need (issue #20).
 */
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
