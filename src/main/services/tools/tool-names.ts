import type { ToolSpec } from '../../../shared/tools';

/** The longest tool name every family accepts (OpenAI, Claude, Gemini: `^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$`). */
const MAX_NAME = 64;

function cleaned(part: string): string {
  return part.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/**
 * The name a tool is offered under: `server__tool`, cut to the families' rules, unique among `taken` (a clash gets
 * `_2`, `_3`…). The loop maps it back with the catalogue it came from, never by parsing it.
 */
export function wireToolName(server: string, tool: string, taken: ReadonlySet<string>): string {
  let base = `${cleaned(server)}__${cleaned(tool)}`;
  if (!/^[a-zA-Z_]/.test(base)) base = `t_${base}`;
  base = base.slice(0, MAX_NAME);
  let name = base;
  for (let n = 2; taken.has(name); n += 1) {
    const suffix = `_${n}`;
    name = `${base.slice(0, MAX_NAME - suffix.length)}${suffix}`;
  }
  return name;
}

export interface NamedTool {
  wireName: string;
  spec: ToolSpec;
}

/** Wire names for a list of tools, in order, each unique. */
export function nameTools(specs: readonly ToolSpec[]): NamedTool[] {
  const taken = new Set<string>();
  return specs.map((spec) => {
    const wireName = wireToolName(spec.server, spec.name, taken);
    taken.add(wireName);
    return { wireName, spec };
  });
}
