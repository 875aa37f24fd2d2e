import { createPortal } from 'react-dom';
import type { BadgeData, BadgeLayout } from '../../shared/ipc/badgeContract';

const PAGE: Record<BadgeLayout, { w: string; h: string; pad: string; name: string; ko: string; qr: string; wide: boolean }> = {
  a6: { w: '105mm', h: '148mm', pad: '10mm', name: '26pt', ko: '22pt', qr: '50mm', wide: false },
  badge_4x3: { w: '4in', h: '3in', pad: '0.2in', name: '20pt', ko: '17pt', qr: '1.3in', wide: true },
  label_62mm: { w: '62mm', h: '100mm', pad: '4mm', name: '16pt', ko: '14pt', qr: '32mm', wide: false },
};

/**
 * The badges as print pages: hidden on screen, the only thing the print stylesheet shows.
 * Rendered into <body> (outside the app root) so `body > *` rules can hide the app when printing.
 */
export function BadgePrintSheet({ layout, stopLabel, badges }: { layout: BadgeLayout; stopLabel: string; badges: BadgeData[] }) {
  const p = PAGE[layout];
  const css = `
@media screen { .badge-print-root { position: fixed; left: -10000px; top: 0; } }
@media print {
  body > *:not(.badge-print-root) { display: none !important; }
  @page { size: ${p.w} ${p.h}; margin: 0; }
  html, body { margin: 0; padding: 0; background: #fff; }
}
.badge-page { box-sizing: border-box; width: ${p.w}; height: ${p.h}; padding: ${p.pad}; page-break-after: always; break-after: page;
  display: flex; flex-direction: ${p.wide ? 'row' : 'column'}; gap: 3mm; overflow: hidden; color: #000; background: #fff;
  font-family: "Pretendard", "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif; }
.badge-text { flex: 1; min-width: 0; }
.badge-stop { font-size: 8pt; color: #555; margin-bottom: 3mm; }
.badge-name { font-size: ${p.name}; font-weight: 800; line-height: 1.1; overflow-wrap: anywhere; }
.badge-ko { font-size: ${p.ko}; font-weight: 800; line-height: 1.15; margin-top: 1mm; }
.badge-aff { font-size: 11pt; margin-top: 2mm; }
.badge-qr { width: ${p.qr}; align-self: ${p.wide ? 'flex-start' : 'center'}; text-align: center; font-size: 7pt; }
.badge-qr svg { width: ${p.qr}; height: ${p.qr}; display: block; }
`;
  return createPortal(
    <div className="badge-print-root" aria-hidden="true" data-layout={layout}>
      <style>{css}</style>
      {badges.map((b) => (
        <div className="badge-page" key={b.registrationId}>
          <div className="badge-text">
            <div className="badge-stop">{stopLabel}</div>
            {b.latinName && <div className="badge-name">{b.latinName}</div>}
            {b.nameKo && <div className="badge-ko">{b.nameKo}</div>}
            {b.affiliation && <div className="badge-aff">{b.affiliation}</div>}
          </div>
          <div className="badge-qr">
            <svg viewBox={`-2 -2 ${b.qrSize + 4} ${b.qrSize + 4}`} shapeRendering="crispEdges" role="img" aria-label={b.scanToken}>
              <rect x={-2} y={-2} width={b.qrSize + 4} height={b.qrSize + 4} fill="#fff" />
              <path d={b.qrPath} fill="#000" />
            </svg>
            {b.scanToken}
          </div>
        </div>
      ))}
    </div>,
    document.body,
  );
}
