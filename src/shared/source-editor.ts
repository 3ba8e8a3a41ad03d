/** Which program opens a text or code source at its line (issue 17): the system's default app, an editor, a command. */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';

/** The code editors HubDesk looks for, each with a command line that takes a line number. */
export const editorIds = [
  'vscode',
  'vscodium',
  'cursor',
  'sublime',
  'zed',
  'idea',
  'pycharm',
  'webstorm',
  'gedit',
  'kate',
] as const;
export const editorIdSchema = z.enum(editorIds);
export type EditorId = z.infer<typeof editorIdSchema>;

/** Each editor's own name (a name, the same in every language). */
export const editorNames: Readonly<Record<EditorId, string>> = {
  vscode: 'Visual Studio Code',
  vscodium: 'VSCodium',
  cursor: 'Cursor',
  sublime: 'Sublime Text',
  zed: 'Zed',
  idea: 'IntelliJ IDEA',
  pycharm: 'PyCharm',
  webstorm: 'WebStorm',
  gedit: 'gedit',
  kate: 'Kate',
};

/** What `{file}` and `{line}` in a custom command stand for. */
export const FILE_PLACEHOLDER = '{file}';
export const LINE_PLACEHOLDER = '{line}';

export const sourceEditorChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('system') }).strict(),
  z.object({ kind: z.literal('editor'), editor: editorIdSchema }).strict(),
  /** A program and its arguments, split like a shell would split them, with `{file}` and `{line}` put in after. */
  z.object({ kind: z.literal('custom'), command: z.string().trim().min(1).max(2000) }).strict(),
]);
export type SourceEditorChoice = z.infer<typeof sourceEditorChoiceSchema>;

export const defaultSourceEditorChoice: SourceEditorChoice = { kind: 'system' };

export const detectedEditorSchema = z.object({ id: editorIdSchema, name: z.string() });
export type DetectedEditor = z.infer<typeof detectedEditorSchema>;

export const sourceEditorStateSchema = z.object({
  choice: sourceEditorChoiceSchema,
  /** The editors found on this computer now, in the catalogue's order. */
  editors: z.array(detectedEditorSchema),
});
export type SourceEditorState = z.infer<typeof sourceEditorStateSchema>;

export const sourceEditorChannels = {
  'editor.get': { request: z.object({}).strict(), response: sourceEditorStateSchema },
  /** Refuses a custom command without `{file}` or with an unclosed quote. */
  'editor.set': {
    request: z.object({ choice: sourceEditorChoiceSchema }).strict(),
    response: sourceEditorStateSchema,
  },
} as const satisfies ChannelMap;

export const sourceEditorEvents = {
  /** The choice changed (another window, the CLI): Settings follows. */
  'editor.changed': sourceEditorChoiceSchema,
} as const satisfies EventMap;
