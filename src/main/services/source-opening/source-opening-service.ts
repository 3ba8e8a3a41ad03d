import { stat } from 'node:fs/promises';
import type { OpenableSource } from '../../../shared/chat-knowledge';
import {
  defaultSourceEditorChoice,
  editorNames,
  type SourceEditorChoice,
  type SourceEditorState,
  sourceEditorChoiceSchema,
} from '../../../shared/source-editor';
import { HubError } from '../../base/errors';
import type { SettingsRepo } from '../../store/settings-repo';
import type { EventBus } from '../event-bus';
import { customArgv, customCommandProblem } from './editor-command';
import { detectEditors, editorArgv, editorEntry, isProgram, type Lookup, locateEditor } from './editors';
import { type LaunchProgram, launchProgram } from './launch-program';

export const SOURCE_EDITOR_KEY = 'ui.sourceEditor';

/** Opens a file with the OS's default app (a PDF at its page); resolves with the OS's error text, empty when opened. */
// biome-ignore lint/suspicious/noConfusingVoidType: a test's recorder of what it was asked to open returns nothing
export type OpenWithSystem = (source: OpenableSource) => Promise<string> | void;

export interface SourceOpeningDeps {
  settingsRepo: SettingsRepo;
  bus: EventBus;
  /** The environment editors are looked for in (PATH) and started with. */
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The OS's default app (the Electron shell); none in the CLI and the browser harness. */
  openWithSystem?: OpenWithSystem;
  launch?: LaunchProgram;
  log?: (line: string) => void;
}

/** What starts an editor at a line: the chosen editor's or command's argv, and the name the user knows it by. */
interface EditorLaunch {
  name: string;
  argv: string[] | undefined;
}

/**
 * Which program opens a text or code source (the Settings choice), and opening one: a PDF at its page with the
 * default app; a file with a line in the chosen editor at that line, the default app when none is chosen or it
 * cannot start (then the call says so); a file no longer on disk refused by name.
 */
export class SourceOpeningService {
  constructor(private readonly deps: SourceOpeningDeps) {}

  private get lookup(): Lookup {
    return { env: this.deps.env, platform: this.deps.platform, isProgram: isProgram(this.deps.platform) };
  }

  choice(): SourceEditorChoice {
    return (
      this.deps.settingsRepo.get(SOURCE_EDITOR_KEY, sourceEditorChoiceSchema) ?? defaultSourceEditorChoice
    );
  }

  state(): SourceEditorState {
    return { choice: this.choice(), editors: detectEditors(this.lookup) };
  }

  set(choice: SourceEditorChoice): SourceEditorState {
    if (choice.kind === 'custom') {
      const problem = customCommandProblem(choice.command);
      if (problem === 'unclosedQuote') {
        throw new HubError({
          kind: 'invalid_input',
          message: 'A quote in the command is not closed.',
          field: 'command',
          reason: { code: 'sourceCommandQuote', values: {} },
        });
      }
      if (problem === 'noFile') {
        throw new HubError({
          kind: 'invalid_input',
          message: 'The command needs {file} among its arguments, where the file goes.',
          field: 'command',
          reason: { code: 'sourceCommandNoFile', values: {} },
        });
      }
    }
    this.deps.settingsRepo.set(SOURCE_EDITOR_KEY, choice);
    this.deps.bus.emit('editor.changed', choice);
    return this.state();
  }

  async open(source: OpenableSource): Promise<{ opened: boolean }> {
    await this.requireFile(source.path);
    const editor = source.line !== null ? this.editorFor(source.path, source.line) : undefined;
    if (!editor) return this.openWithSystem(source);
    const started = await this.start(editor);
    if (started === true) return { opened: true };
    this.deps.log?.(`${editor.name} could not start for ${source.path}: ${started}`);
    if (!this.deps.openWithSystem) {
      throw new HubError({
        kind: 'file',
        message: `${editor.name} could not start: ${started}.`,
        reason: { code: 'sourceEditorNotStarted', values: { editor: editor.name } },
      });
    }
    await this.openWithSystem(source);
    throw new HubError({
      kind: 'file',
      message: `${editor.name} could not start (${started}), so the file opened in the system's default app.`,
      reason: { code: 'sourceEditorFailed', values: { editor: editor.name } },
    });
  }

  private async requireFile(path: string): Promise<void> {
    const found = await stat(path).then(
      (stats) => stats.isFile(),
      () => false,
    );
    if (found) return;
    throw new HubError({
      kind: 'not_found',
      message: `${path} is no longer there: it was moved, renamed or deleted.`,
      reason: { code: 'sourceFileGone', values: { path } },
    });
  }

  /** The chosen editor at `line`; undefined when the default app is chosen. `argv` is undefined when it is gone. */
  private editorFor(file: string, line: number): EditorLaunch | undefined {
    const choice = this.choice();
    if (choice.kind === 'system') return undefined;
    if (choice.kind === 'custom') {
      const argv = customArgv(choice.command, file, line);
      return { name: argv[0] ?? choice.command, argv: argv.length > 0 ? argv : undefined };
    }
    const program = locateEditor(editorEntry(choice.editor), this.lookup);
    return {
      name: editorNames[choice.editor],
      argv: program ? editorArgv(choice.editor, program, file, line) : undefined,
    };
  }

  /** True once the editor has started, else why not. */
  private async start(editor: EditorLaunch): Promise<true | string> {
    if (!editor.argv) return 'it is no longer installed';
    try {
      await (this.deps.launch ?? launchProgram)(editor.argv, this.deps.env);
      return true;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  private async openWithSystem(source: OpenableSource): Promise<{ opened: boolean }> {
    const opening = this.deps.openWithSystem?.(source);
    if (opening === undefined) return { opened: this.deps.openWithSystem !== undefined };
    const failure = await opening;
    if (typeof failure !== 'string' || failure === '') return { opened: true };
    throw new HubError({
      kind: 'file',
      message: `The system could not open ${source.path}: ${failure}`,
      reason: { code: 'sourceOpenFailed', values: { path: source.path } },
    });
  }
}
