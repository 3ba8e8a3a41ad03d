import { describe, expect, it } from 'vitest';
import { languages } from '../src/shared/i18n';
import { english, namespaces, resources } from '../src/shared/locales';
import { findLiterals } from './i18n/literals';

type Tree = { [key: string]: string | Tree };
const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/** Every string of a namespace as `a.b.c` → text. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [inner, text] of flatten(value, path)) out.set(inner, text);
  }
  return out;
}

/** The keys a language must have: plural keys in the forms that language's grammar uses (Intl.PluralRules). */
function requiredKeys(source: Map<string, string>, language: string): Set<string> {
  const forms = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const keys = new Set<string>();
  for (const key of source.keys()) {
    if (pluralSuffix.test(key)) {
      for (const form of forms) keys.add(key.replace(pluralSuffix, `_${form}`));
    } else keys.add(key);
  }
  return keys;
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();
const tags = (text: string) => [...text.matchAll(/<\/?(\w+)\s*\/?>/g)].map((m) => m[0]).sort();

describe('translations', () => {
  it('has the same namespaces in every language, none empty in English', () => {
    for (const language of languages)
      expect(Object.keys(resources[language]).sort()).toEqual([...namespaces].sort());
    for (const namespace of namespaces) {
      expect(flatten(english[namespace] as Tree).size, `en/${namespace}.json is empty`).toBeGreaterThan(0);
    }
  });

  for (const language of languages.filter((language) => language !== 'en')) {
    it(`${language} has every English key (plural forms by its grammar), no others, and the same placeholders`, () => {
      const problems: string[] = [];
      for (const namespace of namespaces) {
        const source = flatten(english[namespace] as Tree);
        const target = flatten(resources[language][namespace] as Tree);
        const required = requiredKeys(source, language);
        for (const key of required) if (!target.has(key)) problems.push(`missing ${namespace}:${key}`);
        for (const key of target.keys()) if (!required.has(key)) problems.push(`extra ${namespace}:${key}`);
        for (const [key, text] of target) {
          if (text.trim() === '') problems.push(`empty ${namespace}:${key}`);
          const original = source.get(key) ?? source.get(key.replace(pluralSuffix, '_other'));
          if (original === undefined) continue;
          if (placeholders(text).join() !== placeholders(original).join())
            problems.push(`placeholders differ in ${namespace}:${key}: ${text}`);
          if (tags(text).join() !== tags(original).join())
            problems.push(`markup differs in ${namespace}:${key}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('English plural keys come in pairs (_one and _other)', () => {
    const problems: string[] = [];
    for (const namespace of namespaces) {
      const keys = flatten(english[namespace] as Tree);
      for (const key of keys.keys()) {
        const base = key.replace(pluralSuffix, '');
        if (key !== base && !(keys.has(`${base}_one`) && keys.has(`${base}_other`)))
          problems.push(`${namespace}:${base}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the renderer writes no text a person reads outside the translations', () => {
    const found = findLiterals().map((literal) => `${literal.file}:${literal.line}: ${literal.text}`);
    expect(found).toEqual([]);
  });

  it('the check above finds text written into code (so it can fail)', () => {
    const found = findLiterals(`${import.meta.dirname}/i18n/fixture`);
    expect(found.map((literal) => literal.text).sort()).toEqual(
      ['Close the dialog', 'Loading…', 'Save', 'Search', 'Nothing in this range.'].sort(),
    );
  });
});
