// exceljs is loaded on first export, not at start-up (about 0.4 s of module loading).
const loadExcel = async () => (await import('exceljs')).default;
import type { FollowUpTable } from '../domain/followUpExport';

/**
 * Writes a follow-up table as an .xlsx workbook (exceljs). Every cell is written as a string
 * (never a formula), already neutralised by the domain rules, so the same text is safe if someone
 * saves the sheet as CSV later. Hangul is stored as UTF-8 XML, which every Excel reads.
 */
export async function followUpXlsx(table: Pick<FollowUpTable, 'header' | 'rows'>, sheetName: string, meta: { title: string; createdAt: Date }): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Roadshow Desk';
  wb.title = meta.title;
  wb.created = meta.createdAt;
  wb.modified = meta.createdAt;
  const ws = wb.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Follow-ups', {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  ws.addRow(table.header);
  for (const r of table.rows) ws.addRow(r);
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } };
  table.header.forEach((h, i) => {
    const longest = Math.max(h.length, ...table.rows.map((r) => Math.min((r[i] ?? '').length, 60)));
    ws.getColumn(i + 1).width = Math.max(10, Math.min(60, longest + 2));
  });
  // Force text type even for values that look like numbers or dates (ids, phone numbers).
  ws.eachRow((row) => row.eachCell((cell) => (cell.numFmt = '@')));
  const data = await wb.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}
