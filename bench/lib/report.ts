/** What a figure hands back: rows of "HubDesk vs baseline", each with its target and, if missed, why. */
export interface FigureRow {
  /** What was measured, e.g. "HubDesk client: parse + normalize". */
  name: string;
  value: number;
  unit: string;
  baselineName: string;
  baseline: number | null;
  /** How `value / baseline` reads, e.g. "× of floor" (null when there is no baseline). */
  ratioLabel?: string;
  /** Human text, e.g. "≤ 1.25× floor". */
  target: string;
  /** null: no target for this row (context only). */
  met: boolean | null;
  /** Shown when `met` is false: why, and what would fix it. */
  missNote?: string;
}

export interface FigureResult {
  id: number;
  title: string;
  /** How it was measured: sizes, repetitions. */
  method: string;
  rows: FigureRow[];
}

export interface Figure {
  id: number;
  title: string;
  run(ctx: BenchContext): Promise<FigureResult>;
}

export interface BenchContext {
  /** A temp folder for this run; deleted at the end. */
  tempDir: string;
  log(line: string): void;
}

export function ratioOf(row: FigureRow): number | null {
  if (row.baseline === null || row.baseline === 0) return null;
  return row.value / row.baseline;
}

export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatRatio(row: FigureRow): string {
  const ratio = ratioOf(row);
  if (ratio === null) return '–';
  const text = ratio >= 100 ? ratio.toFixed(0) : ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2);
  return `${text}×${row.ratioLabel ? ` ${row.ratioLabel}` : ''}`;
}

function status(row: FigureRow): string {
  if (row.met === null) return '–';
  return row.met ? 'met' : '**missed**';
}

export function printFigure(result: FigureResult): void {
  console.log(`\n${result.id}. ${result.title}`);
  console.log(`   ${result.method}`);
  for (const row of result.rows) {
    const base =
      row.baseline === null ? '' : `  vs ${row.baselineName}: ${formatNumber(row.baseline)} ${row.unit}`;
    console.log(
      `   ${row.name.padEnd(46)} ${formatNumber(row.value).padStart(10)} ${row.unit}${base}  ratio ${formatRatio(row)}  target ${row.target}: ${status(row)}`,
    );
  }
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  os: string;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function resultsMarkdown(input: {
  machine: MachineInfo;
  date: string;
  durationS: number;
  results: FigureResult[];
  failures: { id: number; title: string; error: string }[];
}): string {
  const lines: string[] = [];
  lines.push('# HubDesk benchmark results');
  lines.push('');
  lines.push(
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Every figure is measured next to',
  );
  lines.push('its baseline in the same run, so the ratio holds on a noisy machine; absolute numbers do not.');
  lines.push('');
  lines.push(
    `- Machine: ${input.machine.cpu}, ${input.machine.cores} cores, ${input.machine.ramGiB} GiB RAM, ${input.machine.os}`,
  );
  lines.push(`- Node ${input.machine.node}`);
  lines.push(`- Date: ${input.date}; whole run ${Math.round(input.durationS)} s`);
  lines.push('- Other work was running on the machine at the same time: read the ratios, not the absolutes.');
  lines.push('');
  lines.push('| # | measure | HubDesk | baseline | ratio | target | result |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const result of input.results) {
    for (const row of result.rows) {
      const base =
        row.baseline === null ? '–' : `${row.baselineName}: ${formatNumber(row.baseline)} ${row.unit}`;
      lines.push(
        `| ${result.id} | ${escapeCell(row.name)} | ${formatNumber(row.value)} ${row.unit} | ${escapeCell(base)} | ${formatRatio(row)} | ${escapeCell(row.target)} | ${status(row)} |`,
      );
    }
  }
  for (const failure of input.failures) {
    lines.push(`| ${failure.id} | ${escapeCell(failure.title)}: did not run | – | – | – | – | **error** |`);
  }
  lines.push('');
  lines.push('## How each figure was measured');
  lines.push('');
  for (const result of input.results) lines.push(`${result.id}. **${result.title}**: ${result.method}`);
  lines.push('');
  const missed = input.results.flatMap((result) =>
    result.rows.filter((row) => row.met === false).map((row) => ({ id: result.id, row })),
  );
  lines.push('## Missed targets: why, and what would fix them');
  lines.push('');
  if (missed.length === 0) lines.push('None.');
  for (const { id, row } of missed) {
    lines.push(
      `- **${id}. ${row.name}** (${formatNumber(row.value)} ${row.unit}, target ${row.target}): ${row.missNote ?? 'no analysis yet.'}`,
    );
  }
  if (input.failures.length > 0) {
    lines.push('');
    lines.push('## Figures that did not run');
    lines.push('');
    for (const failure of input.failures) lines.push(`- ${failure.id}. ${failure.title}: ${failure.error}`);
  }
  lines.push('');
  return lines.join('\n');
}
