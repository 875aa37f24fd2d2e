import type ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { decodeText, isLegacyXls, isXlsx } from './importDecode';

export interface ParsedTable {
  format: 'csv' | 'xlsx';
  encoding: string;
  delimiter: string | null;
  /** Every non-blank row, the header first; cells trimmed. */
  rows: string[][];
  /**
   * The 1-based row number of each entry of `rows` as a spreadsheet shows the file: one per record,
   * blank rows counted (and left out of `rows`), a cell of several lines still one row.
   */
  rowNumbers: number[];
}

/** A quote opened in row `row` never closes: the rest of the file went into that cell (`rowsNotRead` lines after the row). */
export interface UnclosedQuote {
  row: number;
  rowsNotRead: number;
}

export class UnreadableFileError extends Error {
  constructor(
    readonly reason: 'empty' | 'legacy_xls' | 'no_rows' | 'broken' | 'unclosed_quote',
    readonly unclosed: UnclosedQuote | null = null,
  ) {
    super(unclosed ? `Row ${unclosed.row} opens a quote that never closes; ${unclosed.rowsNotRead} rows not read` : `Unreadable file: ${reason}`);
    this.name = 'UnreadableFileError';
  }
}

const isBlank = (row: string[]): boolean => row.every((c) => c === '');

/** Counts each candidate delimiter outside quotes in the first lines; the most frequent one wins. */
function guessDelimiter(text: string): string {
  const head = text.slice(0, 64 * 1024);
  const counts: Record<string, number> = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < head.length && lines < 20; i++) {
    const ch = head[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') lines++;
    else if (!quoted && ch in counts) counts[ch]!++;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return n > 0 ? best : ',';
}

/** What papaparse says went wrong in a row (the errors of one parse call; `row` indexes its data). */
interface ParseError {
  code: string;
  row?: number;
}

/** Lines of a swallowed cell after its first one: the rows of the file that went into it (blank lines not counted). */
function linesAfterFirst(cell: string): number {
  let n = 0;
  const lines = cell.split(/\r\n|\n|\r/);
  for (let i = 1; i < lines.length; i++) if (lines[i]!.trim() !== '') n++;
  return n;
}

/**
 * The parser's rows as the table keeps them: trimmed, blank rows left out, each with its row number
 * as a spreadsheet shows it (records, not text lines: a cell of several lines is one row). Notes a
 * quote that never closes (papaparse's `MissingQuotes`: the rest of the file went into one cell).
 */
class RowCollector {
  readonly rows: string[][] = [];
  readonly rowNumbers: number[] = [];
  unclosed: UnclosedQuote | null = null;
  private record = 0;

  add(data: string[][], errors?: readonly ParseError[]): void {
    const missing = errors?.find((e) => e.code === 'MissingQuotes' && e.row !== undefined);
    if (missing && !this.unclosed) {
      const row = data[missing.row!];
      // The open cell is the row's last (it runs to the end of the file).
      if (row) this.unclosed = { row: this.record + missing.row! + 1, rowsNotRead: linesAfterFirst(row[row.length - 1] ?? '') };
    }
    for (const row of data) {
      this.record++;
      // Trimmed in place (the parser's arrays are ours).
      for (let j = 0; j < row.length; j++) row[j] = (row[j] ?? '').trim();
      if (!isBlank(row)) {
        this.rows.push(row);
        this.rowNumbers.push(this.record);
      }
    }
  }

  /** The file cannot be read as meant when a quote never closed: said so, with the row and what was lost. */
  check(): void {
    if (this.unclosed) throw new UnreadableFileError('unclosed_quote', this.unclosed);
  }
}

const csvConfig = (delimiter: string) => ({ delimiter, skipEmptyLines: false, newline: undefined });

export function parseCsvText(text: string): Omit<ParsedTable, 'format' | 'encoding'> {
  const delimiter = guessDelimiter(text);
  const rows = new RowCollector();
  const parsed = Papa.parse<string[]>(text, csvConfig(delimiter));
  rows.add(parsed.data, parsed.errors);
  rows.check();
  return { delimiter, rows: rows.rows, rowNumbers: rows.rowNumbers };
}

/** Papaparse's own chunk driver (what its file streamers run): parse what is complete, keep the partial last row. */
interface PapaParserHandle {
  parse(input: string, baseIndex: number, ignoreLastRow: boolean): { data: string[][]; errors: ParseError[]; meta: { cursor: number } };
}
const ParserHandle = (Papa as unknown as { ParserHandle: new (config: ReturnType<typeof csvConfig>) => PapaParserHandle }).ParserHandle;
/** Papaparse guesses the line ending from the first megabyte: the first piece parsed holds at least that much, as the whole text would. */
const FIRST_PIECE_CHARS = 1024 * 1024;

/**
 * Parses CSV/TSV text piece by piece as it is decoded during the upload, the way papaparse parses a
 * file in chunks: the same table `parseCsvText` gives for the whole text (test/core/domain/incrementalCsv.test.ts).
 */
export class IncrementalCsvReader {
  private handle: PapaParserHandle | null = null;
  private delimiter = ',';
  private pending = '';
  private partial = '';
  private base = 0;
  private readonly rows = new RowCollector();

  push(text: string): void {
    if (!this.handle) {
      this.pending += text;
      if (this.pending.length < FIRST_PIECE_CHARS) return;
      text = this.start();
    }
    this.parse(text, false);
  }

  /** Rows read so far (for the progress bar). */
  get rowCount(): number {
    return this.rows.rows.length;
  }

  finish(encoding: string): ParsedTable {
    const text = this.handle ? '' : this.start();
    this.parse(text, true);
    this.rows.check();
    const table: ParsedTable = { format: 'csv', encoding, delimiter: this.delimiter, rows: this.rows.rows, rowNumbers: this.rows.rowNumbers };
    if (table.rows.length === 0) throw new UnreadableFileError('no_rows');
    return table;
  }

  private start(): string {
    const text = this.pending;
    this.pending = '';
    this.delimiter = guessDelimiter(text);
    this.handle = new ParserHandle(csvConfig(this.delimiter));
    return text;
  }

  private parse(text: string, last: boolean): void {
    const aggregate = this.partial + text;
    const result = this.handle!.parse(aggregate, this.base, !last);
    if (!last) {
      this.partial = aggregate.substring(result.meta.cursor - this.base);
      this.base = result.meta.cursor;
    }
    // Only the last call can hold an unclosed quote (before, the open row is kept back as partial).
    this.rows.add(result.data, last ? result.errors : undefined);
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('hyperlink' in value) return String(value.hyperlink);
  }
  return String(value);
}

export async function parseXlsx(bytes: Uint8Array, sheet = 0): Promise<Omit<ParsedTable, 'format' | 'encoding'>> {
  // Loaded on first XLSX import, not at start-up (about 0.4 s of module loading).
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableFileError('broken');
  }
  const ws = wb.worksheets[sheet] ?? wb.worksheets[0];
  if (!ws) throw new UnreadableFileError('no_rows');
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) cells[i - 1] = cellText(values[i] ?? null).trim();
    for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = '';
    if (!isBlank(cells)) {
      rows.push(cells);
      rowNumbers.push(n);
    }
  });
  return { delimiter: null, rows, rowNumbers };
}

/** Reads a CSV/TSV (any supported encoding) or XLSX file into rows of text. */
export async function parseTable(bytes: Uint8Array, sheet = 0): Promise<ParsedTable> {
  if (bytes.length === 0) throw new UnreadableFileError('empty');
  if (isLegacyXls(bytes)) throw new UnreadableFileError('legacy_xls');
  let table: ParsedTable;
  if (isXlsx(bytes)) {
    table = { format: 'xlsx', encoding: 'xlsx', ...(await parseXlsx(bytes, sheet)) };
  } else {
    const { text, encoding } = decodeText(bytes);
    table = { format: 'csv', encoding, ...parseCsvText(text) };
  }
  if (table.rows.length === 0) throw new UnreadableFileError('no_rows');
  return table;
}
