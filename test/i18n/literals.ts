import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Finds text a person would read that is written into the renderer's code instead of coming from the
 * translations: JSX text, text attributes (aria-label, title, placeholder, alt…), and string literals that read as
 * English prose. A line can opt out with a comment `i18n-ignore: <why>` on it or just above it.
 */

const root = join(import.meta.dirname, '../..');
const rendererDir = join(root, 'src/renderer/src');

const textAttributes = new Set([
  'aria-label',
  'aria-description',
  'aria-valuetext',
  'aria-roledescription',
  'title',
  'placeholder',
  'alt',
  'label',
]);

/** Words that are the same in every language: names of products, vendors and keys. */
const untranslated = new Set([
  'HubDesk',
  'TikHub',
  'OpenAI',
  'Claude',
  'Gemini',
  'DeepSeek',
  'Sora',
  'Seedance',
  'Kling',
  'Veo',
  'Markdown',
  'JSON',
  'SRT',
  'VTT',
  'TXT',
  'Enter',
  'Escape',
  'Tab',
  'Backspace',
  'Delete',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Space',
]);

export interface Literal {
  file: string;
  line: number;
  text: string;
}

function hasLetters(text: string): boolean {
  return /\p{L}/u.test(text);
}

/** A word or sentence in English prose: "Save", "No token", "Loading…", "Copying the library." */
function readsAsProse(text: string): boolean {
  const trimmed = text.trim();
  if (untranslated.has(trimmed)) return false;
  if (/^[A-Z][a-z]+(?:[ -][A-Za-z'’]+)*[.…:?!]?$/.test(trimmed)) return true;
  // A sentence with a lower-case start: "at 0:03", "or drop a file here"…
  return /\p{L}{2,} \p{L}{2,} \p{L}{2,}/u.test(trimmed) && /[ .…]/.test(trimmed);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Calls whose string arguments are not shown as UI text. */
function isExemptCall(node: ts.Node): boolean {
  if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return false;
  const callee = node.expression.getText();
  return (
    /(^|\.)t$/.test(callee) ||
    /^console\./.test(callee) ||
    /Error$/.test(callee) ||
    /^(document|window|element|event)\./.test(callee) ||
    /(querySelector|getElementById|addEventListener|removeEventListener|dispatchEvent|matchMedia|getItem|setItem)$/.test(
      callee,
    )
  );
}

function isExempt(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isImportDeclaration(current) || ts.isExportDeclaration(current)) return true;
    if (ts.isTypeNode(current)) return true;
    if (isExemptCall(current)) return true;
    if (ts.isJsxAttribute(current)) {
      const name = current.name.getText();
      return !textAttributes.has(name);
    }
    if (ts.isPropertyAssignment(current) && current.name === node) return true;
    if (ts.isElementAccessExpression(current) || ts.isCaseClause(current)) return true;
    if (ts.isBinaryExpression(current) && /^[=!]==?$/.test(current.operatorToken.getText())) return true;
  }
  return false;
}

function ignoredLines(source: ts.SourceFile): Set<number> {
  const lines = new Set<number>();
  source.text.split('\n').forEach((line, index) => {
    if (/i18n-ignore:/.test(line)) {
      lines.add(index + 1);
      lines.add(index + 2);
    }
  });
  return lines;
}

export function findLiterals(dir = rendererDir): Literal[] {
  const found: Literal[] = [];
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const ignored = ignoredLines(source);
    const report = (node: ts.Node, shown: string) => {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      if (!ignored.has(line)) found.push({ file: relative(root, file), line, text: shown.trim() });
    };
    const visit = (node: ts.Node) => {
      if (ts.isJsxText(node)) {
        if (hasLetters(node.text) && !untranslated.has(node.text.trim())) report(node, node.text);
      } else if (ts.isJsxAttribute(node) && textAttributes.has(node.name.getText())) {
        const value = node.initializer;
        if (value && ts.isStringLiteral(value) && hasLetters(value.text) && !untranslated.has(value.text))
          report(node, value.text);
      } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (!ts.isJsxAttribute(node.parent) && readsAsProse(node.text) && !isExempt(node))
          report(node, node.text);
      } else if (ts.isTemplateExpression(node)) {
        const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('…');
        if (readsAsProse(parts.replace(/…/g, ' x ')) && !isExempt(node)) report(node, parts);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
