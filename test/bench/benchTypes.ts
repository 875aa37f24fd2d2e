/** One figure a benchmark reports; the runner writes them all to BENCHMARKS.md with machine, date and sizes. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** Data size, comparison, or how it was measured. */
  detail?: string;
}
