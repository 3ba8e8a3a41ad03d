/** Tools the model may call (issue 15): what a tool is and what running one gives back, for main and the window. */
import { z } from 'zod';

/** A tool's input as JSON Schema (an object schema, as MCP requires). */
export const jsonSchemaObjectSchema = z.record(z.string(), z.unknown());
export type JsonSchemaObject = z.infer<typeof jsonSchemaObjectSchema>;

export const toolSpecSchema = z.object({
  /** The provider: an MCP server's name, or `hubdesk` for HubDesk's own data. */
  server: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string(),
  inputSchema: jsonSchemaObjectSchema,
});
export type ToolSpec = z.infer<typeof toolSpecSchema>;

export const toolContentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('image'), mimeType: z.string(), data: z.string() }),
  z.object({ type: z.literal('audio'), mimeType: z.string(), data: z.string() }),
  z.object({
    type: z.literal('resource'),
    uri: z.string(),
    mimeType: z.string().optional(),
    text: z.string().optional(),
  }),
]);
export type ToolContent = z.infer<typeof toolContentSchema>;

export const toolResultSchema = z.object({
  content: z.array(toolContentSchema),
  structuredContent: z.unknown().optional(),
  /** The tool ran and failed: its content says why, for the model to read. */
  isError: z.boolean(),
});
export type ToolResult = z.infer<typeof toolResultSchema>;

/** The name HubDesk's own data goes by as a tool provider. */
export const BUILTIN_TOOL_SERVER = 'hubdesk';
