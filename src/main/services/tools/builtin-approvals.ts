import { z } from 'zod';
import type { SettingsRepo } from '../../store/settings-repo';

const BUILTIN_AUTO_APPROVE_KEY = 'tools.builtinAutoApprove';
const toolNamesSchema = z.array(z.string());

/** The built-in tools that run without asking, kept in settings (the MCP servers' are in their own rows). */
export function builtinApprovalsIn(settings: Pick<SettingsRepo, 'get' | 'set'>): {
  get(): string[];
  set(tools: string[]): void;
} {
  return {
    get: () => settings.get(BUILTIN_AUTO_APPROVE_KEY, toolNamesSchema) ?? [],
    set: (tools) => settings.set(BUILTIN_AUTO_APPROVE_KEY, tools),
  };
}
