import { readFile, watch } from 'node:fs/promises';
import { join } from 'node:path';
import type { ToolProvider } from '../../src/main/services/tools/tool-provider';
import type { ToolResult, ToolSpec } from '../../src/shared/tools';

const text = (value: string, isError = false): ToolResult => ({
  content: [{ type: 'text', text: value }],
  isError,
});

/**
 * A real tool provider over a folder (not a stand-in for HubDesk code): `get_weather` reads `forecasts.json`,
 * `current_time` reads `clock.txt`. With `waitForFile`, `get_weather` first waits for that file to appear
 * (fs.watch, stopped by the signal): a tool that runs until it is stopped.
 */
export class FolderTools implements ToolProvider {
  constructor(
    readonly server: string,
    private readonly dir: string,
    private readonly options: { waitForFile?: string } = {},
  ) {}

  async listTools(): Promise<ToolSpec[]> {
    return [
      {
        server: this.server,
        name: 'get_weather',
        description: 'The forecast for a city, from forecasts.json.',
        inputSchema: {
          type: 'object',
          properties: { city: { type: 'string' }, unit: { type: 'string' } },
          required: ['city'],
        },
      },
      {
        server: this.server,
        name: 'current_time',
        description: 'The time written in clock.txt.',
        inputSchema: { type: 'object', properties: {} },
      },
    ];
  }

  async callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolResult> {
    if (name === 'current_time') return text((await readFile(join(this.dir, 'clock.txt'), 'utf8')).trim());
    if (name !== 'get_weather') return text(`Unknown tool ${name}`, true);
    if (this.options.waitForFile) await this.waitFor(this.options.waitForFile, signal);
    const forecasts = JSON.parse(await readFile(join(this.dir, 'forecasts.json'), 'utf8')) as Record<
      string,
      string
    >;
    const city = String(args.city);
    const forecast = forecasts[city];
    return forecast === undefined ? text(`No forecast for ${city}.`, true) : text(`${city}: ${forecast}`);
  }

  private async waitFor(file: string, signal?: AbortSignal): Promise<void> {
    for await (const change of watch(this.dir, { ...(signal ? { signal } : {}) })) {
      if (change.filename === file) return;
    }
  }
}
