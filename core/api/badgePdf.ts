import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BadgeData, BadgeLayout } from '../../shared/ipc/badgeContract';
import { BADGE_PAGE } from '../domain/badgeLayout';

interface FontPair {
  regular: [string, string?];
  bold: [string, string?];
}

function resourceDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.ROADSHOW_RESOURCES_DIR) dirs.push(process.env.ROADSHOW_RESOURCES_DIR);
  try {
    // ESM (browser-mode host bundle in dist/host, tsx in tests): <root>/resources.
    dirs.push(fileURLToPath(new URL('../../resources', import.meta.url)));
  } catch {
    /* CJS bundle (Electron main): import.meta.url is not there */
  }
  if (typeof __dirname === 'string') dirs.push(path.resolve(__dirname, '..', '..', 'resources'));
  dirs.push(path.join(process.cwd(), 'resources'));
  return dirs;
}

/**
 * A font with Hangul for the PDF. The app ships Pretendard (SIL OFL, resources/fonts) so a clean
 * machine needs nothing installed; Debian's Noto CJK is the fallback.
 */
export function badgeFonts(): FontPair {
  for (const dir of resourceDirs()) {
    const regular = path.join(dir, 'fonts', 'Pretendard-Regular.otf');
    const bold = path.join(dir, 'fonts', 'Pretendard-Bold.otf');
    if (existsSync(regular) && existsSync(bold)) return { regular: [regular], bold: [bold] };
  }
  const ttc = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
  const ttcBold = '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc';
  if (existsSync(ttc) && existsSync(ttcBold)) return { regular: [ttc, 'NotoSansCJKkr-Regular'], bold: [ttcBold, 'NotoSansCJKkr-Bold'] };
  throw new Error('No font with Hangul found (resources/fonts/Pretendard-*.otf is missing)');
}

/** Shrinks the font size until the text fits the width (names vary a lot in length). */
function fit(doc: PDFKit.PDFDocument, text: string, width: number, size: number, min: number): number {
  let s = size;
  doc.fontSize(s);
  while (s > min && doc.widthOfString(text) > width) doc.fontSize((s -= 1));
  return s;
}

/** Name badges as a PDF: one badge per page in the chosen size, names in both scripts, affiliation, QR code. */
export async function renderBadgePdf(badges: readonly BadgeData[], layout: BadgeLayout, stopLabel: string): Promise<Buffer> {
  // pdfkit (with fontkit) is loaded on the first badge PDF, not at start-up.
  const { default: PDFDocument } = await import('pdfkit');
  const page = BADGE_PAGE[layout];
  const fonts = badgeFonts();
  const doc = new PDFDocument({ size: [page.width, page.height], margin: page.margin, autoFirstPage: false, info: { Title: `Badges — ${stopLabel}`, Creator: 'Roadshow Desk' } });
  doc.registerFont('regular', ...fonts.regular);
  doc.registerFont('bold', ...fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const w = page.width - 2 * page.margin;
  const wide = page.width > page.height;
  for (const b of badges) {
    doc.addPage();
    const qrSide = wide ? Math.min(page.height - 2 * page.margin - 14, w * 0.36) : Math.min(w * 0.55, page.height * 0.33);
    const textW = wide ? w - qrSide - page.margin : w;
    let y = page.margin;
    doc.font('regular').fillColor('#555555');
    doc.fontSize(fit(doc, stopLabel, textW, wide ? 8 : 10, 6)).text(stopLabel, page.margin, y, { width: textW });
    y = doc.y + (wide ? 4 : 10);
    doc.fillColor('#000000');
    if (b.latinName) {
      doc.font('bold');
      fit(doc, b.latinName, textW, wide ? 22 : 28, 10);
      doc.text(b.latinName, page.margin, y, { width: textW, lineBreak: false });
      y = doc.y + 2;
    }
    if (b.nameKo) {
      doc.font('bold');
      fit(doc, b.nameKo, textW, b.latinName ? (wide ? 18 : 24) : wide ? 22 : 28, 10);
      doc.text(b.nameKo, page.margin, y, { width: textW, lineBreak: false });
      y = doc.y + 4;
    }
    if (b.affiliation) {
      doc.font('regular');
      fit(doc, b.affiliation, textW, wide ? 11 : 13, 7);
      doc.text(b.affiliation, page.margin, y, { width: textW, height: wide ? 30 : 40, ellipsis: true });
    }
    const qx = wide ? page.width - page.margin - qrSide : page.margin + (w - qrSide) / 2;
    const qy = wide ? page.margin : page.height - page.margin - qrSide - 14;
    doc.save();
    doc.translate(qx, qy).scale(qrSide / b.qrSize);
    doc.path(b.qrPath).fill('#000000');
    doc.restore();
    doc.font('regular').fontSize(7).fillColor('#333333');
    doc.text(b.scanToken, qx, qy + qrSide + 3, { width: qrSide, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}
