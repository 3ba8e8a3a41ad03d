/**
 * `npm run bench`: HubDesk's hot paths, each measured against a baseline in the same run, printed as ratios,
 * and written to bench/RESULTS.md. `npm run bench -- --only 1,5` runs some figures and leaves RESULTS.md alone.
 * Figures are machine-dependent; the ratios are what to compare between commits.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { streamPipeline } from './figures/01-stream-pipeline';
import { firstToken } from './figures/02-first-token';
import { ipcCoalescing } from './figures/03-ipc-coalescing';
import { persistence } from './figures/04-persistence';
import { historyAtScale } from './figures/05-history';
import { vectorSearch } from './figures/06-vectors';
import { transfers } from './figures/07-transfers';
import { renderer } from './figures/08-renderer';
import { startup } from './figures/09-startup';
import { knowledgeAtScale } from './figures/10-knowledge';
import { extractionStall } from './figures/11-extraction-stall';
import { syncAtScale } from './figures/12-sync';
import { type FigureResult, type MachineInfo, printFigure, resultsMarkdown } from './lib/report';

const figures = [
  streamPipeline,
  firstToken,
  ipcCoalescing,
  persistence,
  historyAtScale,
  vectorSearch,
  transfers,
  renderer,
  startup,
  knowledgeAtScale,
  extractionStall,
  syncAtScale,
];

function selected(): Set<number> | null {
  const index = process.argv.indexOf('--only');
  const list = index >= 0 ? process.argv[index + 1] : undefined;
  if (!list) return null;
  return new Set(list.split(',').map(Number));
}

function machine(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    ramGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

const only = selected();
const started = performance.now();
const tempDir = await mkdtemp(join(os.tmpdir(), 'hubdesk-bench-'));
const results: FigureResult[] = [];
const failures: { id: number; title: string; error: string }[] = [];
const info = machine();
console.log(`HubDesk bench: ${info.cpu}, ${info.cores} cores, ${info.ramGiB} GiB, Node ${info.node}`);
try {
  for (const figure of figures) {
    if (only && !only.has(figure.id)) continue;
    const figureStart = performance.now();
    console.log(`\n[${figure.id}] ${figure.title}…`);
    try {
      const result = await figure.run({
        tempDir,
        log: (line) => console.log(`    ${line}`),
      });
      results.push(result);
      printFigure(result);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push({ id: figure.id, title: figure.title, error: message.split('\n')[0] ?? message });
      console.error(`   figure ${figure.id} failed: ${message}`);
    }
    console.log(`   (${((performance.now() - figureStart) / 1000).toFixed(1)} s)`);
  }
} finally {
  await rm(tempDir, { recursive: true, force: true });
}

const durationS = (performance.now() - started) / 1000;
console.log(`\nWhole bench: ${durationS.toFixed(0)} s`);
if (!only) {
  const path = join(import.meta.dirname, 'RESULTS.md');
  await writeFile(
    path,
    resultsMarkdown({
      machine: info,
      date: new Date().toISOString().slice(0, 10),
      durationS,
      results,
      failures,
    }),
  );
  console.log(`Wrote ${path}`);
}
if (failures.length > 0) process.exitCode = 1;
