import type { Db, Statement } from '../sqlite';

/** Rows per statement: as the import's fresh rows (freshImportedRows.ts). */
const ROWS_PER_STATEMENT = 50;

/**
 * One INSERT written for many rows at a time (`VALUES (…), (…), …`, positional parameters): a
 * bulk path's rows without a statement step and a parameter object per row. `sql` gets the VALUES
 * list and writes the whole statement (its ON CONFLICT and RETURNING clauses included); a
 * statement is prepared once per row count and kept.
 */
export class MultiRowInsert<R = unknown> {
  private readonly statements = new Map<number, Statement>();

  constructor(
    private readonly db: Db,
    private readonly columns: number,
    private readonly sql: (values: string) => string,
  ) {}

  /** Runs the statement over `values` (`columns` values per row, row after row). */
  run(values: readonly unknown[]): void {
    this.each(values, (s, v) => void s.run(v));
  }

  /** The same, answering the rows its RETURNING clause gave. */
  all(values: readonly unknown[]): R[] {
    const out: R[] = [];
    this.each(values, (s, v) => {
      for (const r of s.all(v) as R[]) out.push(r);
    });
    return out;
  }

  private each(values: readonly unknown[], run: (s: Statement, values: readonly unknown[]) => void): void {
    const rows = values.length / this.columns;
    for (let at = 0; at < rows; at += ROWS_PER_STATEMENT) {
      const n = Math.min(ROWS_PER_STATEMENT, rows - at);
      let statement = this.statements.get(n);
      if (!statement) {
        const one = `(${new Array<string>(this.columns).fill('?').join(', ')})`;
        statement = this.db.prepare(this.sql(new Array<string>(n).fill(one).join(', ')));
        this.statements.set(n, statement);
      }
      run(statement, n === rows ? values : values.slice(at * this.columns, (at + n) * this.columns));
    }
  }
}
