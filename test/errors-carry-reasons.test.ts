import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const mainDir = join(root, 'src/main');

/**
 * Errors main makes that no window shows, with why: the CLI says its own in English, and these are never sent.
 * Keep it short; an entry here is an error a person reading Vietnamese or Chinese would see in English.
 */
const neverInTheWindow: Record<string, string> = {
  'src/main/cli/': 'the CLI words its errors in English by design (issue 18)',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** Each `new HubError(…)` call as the text between its parentheses, with the line it starts on. */
function hubErrorCalls(text: string): Array<{ line: number; call: string }> {
  const calls: Array<{ line: number; call: string }> = [];
  let from = text.indexOf('new HubError(');
  while (from >= 0) {
    let depth = 0;
    let end = from + 'new HubError'.length;
    for (; end < text.length; end += 1) {
      if (text[end] === '(') depth += 1;
      else if (text[end] === ')' && --depth === 0) break;
    }
    calls.push({ line: text.slice(0, from).split('\n').length, call: text.slice(from, end + 1) });
    from = text.indexOf('new HubError(', end);
  }
  return calls;
}

/**
 * A call words its error when it names a reason (or an input issue, worded by the field), or passes on an AppError
 * made elsewhere: a value or a call (`new HubError(info)`, `invalidField(…)`) or spreads one (`{ kind, ...failure }`).
 */
function carriesReason(call: string): boolean {
  const inner = call.slice('new HubError('.length, -1).trim();
  if (!inner.startsWith('{')) return true;
  return /\b(reason|input)\b/.test(inner) || inner.includes('...');
}

describe('errors main sends to the window are worded there', () => {
  it('gives every HubError outside the CLI a reason code the window words in its language', () => {
    const unworded: string[] = [];
    for (const file of sourceFiles(mainDir)) {
      const path = relative(root, file);
      if (Object.keys(neverInTheWindow).some((prefix) => path.startsWith(prefix))) continue;
      for (const { line, call } of hubErrorCalls(readFileSync(file, 'utf8')))
        if (!carriesReason(call)) unworded.push(`${path}:${line}`);
    }
    expect(unworded).toEqual([]);
  });

  it('finds an error without a reason (the check can fail)', () => {
    const calls = hubErrorCalls(
      "throw new HubError({ kind: 'internal', message: said(f(1), (2)) });\nnew HubError({ kind: 'file', message: 'y', reason: { code: 'internal', values: {} } });",
    );
    expect(calls.map(({ line, call }) => [line, carriesReason(call)])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(carriesReason('new HubError({ ...kling, status: 400 })')).toBe(true);
    expect(carriesReason("new HubError({ kind: 'file', message: said(name, (size)) })")).toBe(false);
  });
});
