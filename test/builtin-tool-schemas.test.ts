/**
 * HubDesk's own tools on a new, empty data folder: their input schemas (valid JSON Schema, portable to all four chat
 * families, in step with the zod checks) and what they answer before there is anything to find.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/main/core';
import { builtinToolSpecs } from '../src/main/services/tools/builtin-tool-specs';
import { BUILTIN_TOOL_SERVER, type ToolSpec } from '../src/shared/tools';
import { memoryKeytar } from './support/memory-keytar';

let dataDir: string;
let core: Core;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hubdesk-tools-'));
  core = createCore({ dataDir, env: {}, keytar: memoryKeytar(), keychainService: 'HubDesk-test' });
});

afterAll(async () => {
  await core?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the tools HubDesk offers', () => {
  it('lists six tools under the hubdesk server, each with a schema every chat family accepts', async () => {
    const tools = await core.builtinTools.listTools();
    expect(core.builtinTools.server).toBe(BUILTIN_TOOL_SERVER);
    expect(tools.map((tool) => tool.name)).toEqual([
      'search_library',
      'read_transcript',
      'list_transcripts',
      'list_videos',
      'read_conversation',
      'search_documents',
    ]);
    const validator = new AjvJsonSchemaValidator();
    for (const tool of tools) {
      expect(tool.server).toBe('hubdesk');
      // OpenAI and Gemini both allow only these characters in a function name, up to 64.
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
      expect(tool.description.length).toBeGreaterThan(80);
      expect(tool.description.length).toBeLessThanOrEqual(1024);
      expect(schemaProblems(tool)).toEqual([]);
      // A real JSON Schema: the MCP SDK's own validator compiles it.
      expect(() => validator.getValidator(tool.inputSchema as never)).not.toThrow();
    }
  });

  it('the JSON Schema and the zod check agree on what is valid', async () => {
    const validator = new AjvJsonSchemaValidator();
    const samples: Record<string, { good: Record<string, unknown>[]; bad: Record<string, unknown>[] }> = {
      search_library: {
        good: [
          { query: 'pricing' },
          {
            query: 'pricing',
            kinds: ['transcripts', 'messages'],
            mode: 'meaning',
            limit: 5,
            after: '2026-01-01',
          },
        ],
        bad: [
          {},
          { query: '' },
          { query: 'x', kinds: ['files'] },
          { query: 'x', mode: 'fuzzy' },
          { query: 'x', limit: 0 },
        ],
      },
      read_transcript: {
        good: [
          { id: 'tr-1' },
          { id: 'tr-1', from_seconds: 12.5, to_seconds: 60 },
          { id: 'tr-1', from_segment: 3 },
        ],
        bad: [{}, { id: 7 }, { id: 'tr-1', from_seconds: -1 }, { id: 'tr-1', from_segment: 1.5 }],
      },
      list_transcripts: { good: [{}, { query: 'interview', limit: 3 }], bad: [{ limit: 101 }, { query: 3 }] },
      list_videos: {
        good: [{}, { status: 'failed', vendor: 'veo', query: 'chart', limit: 10 }],
        bad: [{ status: 'done' }, { vendor: 'runway' }, { limit: 1.5 }],
      },
      read_conversation: {
        good: [{ id: 'c-1' }, { id: 'c-1', limit: 100 }],
        bad: [{}, { id: 'c-1', limit: 101 }],
      },
      search_documents: {
        good: [{ query: 'pricing' }, { query: 'pricing', base: 'Notes' }],
        bad: [{}, { query: '' }, { query: 'x', base: '' }, { query: 'x', base: 3 }],
      },
    };
    for (const spec of builtinToolSpecs) {
      const validate = validator.getValidator(spec.inputSchema as never);
      const sample = samples[spec.name];
      if (!sample) throw new Error(`no samples for ${spec.name}`);
      for (const args of sample.good) {
        expect([spec.name, validate(args).valid, spec.args.safeParse(args).success]).toEqual([
          spec.name,
          true,
          true,
        ]);
      }
      for (const args of sample.bad) {
        expect([spec.name, validate(args).valid, spec.args.safeParse(args).success]).toEqual([
          spec.name,
          false,
          false,
        ]);
      }
    }
  });
});

describe('an empty library', () => {
  it('answers plainly, and a meaning search says nothing is indexed yet', async () => {
    const text = async (name: string, args: Record<string, unknown>) => {
      const result = await core.builtinTools.callTool(name, args);
      expect(result.isError).toBe(false);
      return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    };
    expect(await text('search_library', { query: 'pricing', mode: 'meaning' })).toMatch(
      /^No hits for "pricing" \(now .*\)\.\nNote: Only keyword search ran, not meaning search\. Nothing is indexed for meaning search yet\.$/,
    );
    expect(await text('list_transcripts', {})).toBe('There are no transcripts yet.');
    expect(await text('list_transcripts', { query: 'interview' })).toBe(
      'No transcript\'s file name holds "interview".',
    );
    expect(await text('list_videos', {})).toBe('No videos yet.');
  });
});

/** Keywords in an input schema that every chat family accepts (Gemini's function declarations are the strictest). */
const portableKeywords = new Set([
  'type',
  'description',
  'properties',
  'required',
  'enum',
  'items',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
]);

function schemaProblems(tool: ToolSpec): string[] {
  const problems: string[] = [];
  const schema = tool.inputSchema;
  if (schema.type !== 'object') problems.push('top level is not type object');
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (!properties || typeof properties !== 'object') problems.push('no properties');
  const required = schema.required;
  if (required !== undefined) {
    if (!Array.isArray(required) || required.length === 0) problems.push('required is not a non-empty list');
    else
      for (const name of required)
        if (!properties?.[name]) problems.push(`required ${name} is not a property`);
  }
  const walk = (node: Record<string, unknown>, path: string) => {
    for (const key of Object.keys(node)) if (!portableKeywords.has(key)) problems.push(`${path}.${key}`);
    if (typeof node.type !== 'string') problems.push(`${path} has no single type`);
    if (node.properties) {
      for (const [name, child] of Object.entries(
        node.properties as Record<string, Record<string, unknown>>,
      )) {
        if (!child.description) problems.push(`${path}.${name} has no description`);
        walk(child, `${path}.${name}`);
      }
    }
    if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`);
  };
  walk(schema, tool.name);
  const spec = builtinToolSpecs.find((candidate) => candidate.name === tool.name);
  if (!spec) return [...problems, 'no spec of that name'];
  const zodKeys = Object.keys((spec.args as unknown as { shape: Record<string, unknown> }).shape).sort();
  if (JSON.stringify(zodKeys) !== JSON.stringify(Object.keys(properties ?? {}).sort())) {
    problems.push('the zod keys and the schema properties differ');
  }
  return problems;
}
