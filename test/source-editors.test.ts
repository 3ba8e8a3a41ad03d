/** Which code editors HubDesk finds, and the argv each gets for a file and line: no program is started here. */
import { describe, expect, it } from 'vitest';
import {
  customArgv,
  customCommandProblem,
  splitCommand,
} from '../src/main/services/source-opening/editor-command';
import {
  detectEditors,
  editorArgv,
  editorEntry,
  findOnPath,
  type Lookup,
  locateEditor,
} from '../src/main/services/source-opening/editors';
import { windowsBatchArgv } from '../src/main/services/source-opening/launch-program';
import { editorIds } from '../src/shared/source-editor';

/** A computer whose only programs are `programs`. */
function computer(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, programs: string[]): Lookup {
  const known = new Set(programs);
  return { platform, env, isProgram: (path) => known.has(path) };
}

describe('finding code editors', () => {
  it('finds each editor by its command on PATH, the first folder first, in the catalogue order', () => {
    const linux = computer('linux', { PATH: '/home/ana/bin:/usr/bin' }, [
      '/usr/bin/kate',
      '/usr/bin/code',
      '/home/ana/bin/code',
      '/usr/bin/subl',
      '/usr/bin/pycharm',
      '/usr/bin/zeditor',
    ]);
    expect(detectEditors(linux)).toEqual([
      { id: 'vscode', name: 'Visual Studio Code' },
      { id: 'sublime', name: 'Sublime Text' },
      { id: 'zed', name: 'Zed' },
      { id: 'pycharm', name: 'PyCharm' },
      { id: 'kate', name: 'Kate' },
    ]);
    expect(locateEditor(editorEntry('vscode'), linux)).toBe('/home/ana/bin/code');
    expect(locateEditor(editorEntry('zed'), linux)).toBe('/usr/bin/zeditor');
    expect(detectEditors(computer('linux', {}, ['/usr/bin/code']))).toEqual([]);
  });

  it('finds the command inside a macOS app bundle when PATH lacks it (an app started from the dock)', () => {
    const mac = computer('darwin', { PATH: '/usr/bin:/bin' }, [
      '/Applications/Visual Studio Code.app/Contents/Resources/app/bin/code',
      '/Applications/Zed.app/Contents/MacOS/cli',
      '/Applications/IntelliJ IDEA.app/Contents/MacOS/idea',
    ]);
    expect(detectEditors(mac).map((editor) => editor.id)).toEqual(['vscode', 'zed', 'idea']);
    // A bundle path means nothing on Linux.
    expect(detectEditors({ ...mac, platform: 'linux' })).toEqual([]);
  });

  it("finds VS Code's code.cmd in the user's programs on Windows, and commands on Path with PATHEXT's endings", () => {
    const env = {
      LOCALAPPDATA: 'C:\\Users\\Ana\\AppData\\Local',
      Path: 'C:\\Windows\\system32;C:\\Tools',
      PATHEXT: '.COM;.EXE;.BAT;.CMD',
    };
    const windows = computer('win32', env, [
      'C:\\Users\\Ana\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code.cmd',
      'C:\\Tools\\subl.exe',
      'C:\\Tools\\idea64.exe',
    ]);
    expect(detectEditors(windows).map((editor) => editor.id)).toEqual(['vscode', 'sublime', 'idea']);
    expect(locateEditor(editorEntry('vscode'), windows)).toBe(
      'C:\\Users\\Ana\\AppData\\Local\\Programs\\Microsoft VS Code\\bin\\code.cmd',
    );
    expect(findOnPath('subl', windows)).toBe('C:\\Tools\\subl.exe');
    expect(findOnPath('idea', windows)).toBeUndefined();
  });
});

describe("each editor's argv for a file and line", () => {
  const file = '/home/ana/My notes/plan; rm -rf ~.md';
  it('puts the line the way each command line takes it, the file always one argument', () => {
    const argv = Object.fromEntries(editorIds.map((id) => [id, editorArgv(id, `/bin/${id}`, file, 42)]));
    expect(argv).toEqual({
      vscode: ['/bin/vscode', '--goto', `${file}:42`],
      vscodium: ['/bin/vscodium', '--goto', `${file}:42`],
      cursor: ['/bin/cursor', '--goto', `${file}:42`],
      sublime: ['/bin/sublime', `${file}:42`],
      zed: ['/bin/zed', `${file}:42`],
      idea: ['/bin/idea', '--line', '42', file],
      pycharm: ['/bin/pycharm', '--line', '42', file],
      webstorm: ['/bin/webstorm', '--line', '42', file],
      gedit: ['/bin/gedit', '+42', file],
      kate: ['/bin/kate', '--line', '42', file],
    });
  });
});

describe('a custom command', () => {
  it('is split into words first, like a shell splits them, and nothing in it is expanded', () => {
    expect(
      splitCommand(`"/Applications/My Editor.app/bin/ed" --line {line} '{file}' a\\ b "x\\"y" $HOME`),
    ).toEqual(['/Applications/My Editor.app/bin/ed', '--line', '{line}', '{file}', 'a b', 'x"y', '$HOME']);
    expect(splitCommand('  ed   ""  {file} ')).toEqual(['ed', '', '{file}']);
    expect(splitCommand('ed "{file}')).toBeUndefined();
  });

  it('gets the file and line put into its words, so a path with spaces, quotes or $() stays one argument', () => {
    const file = `/tmp/it's "here" $(touch pwned).md`;
    expect(customArgv('myeditor -g {file}:{line} --wait', file, 7)).toEqual([
      'myeditor',
      '-g',
      `${file}:7`,
      '--wait',
    ]);
    expect(customArgv('"/opt/ed itor/ed" +{line} {file}', file, 3)).toEqual(['/opt/ed itor/ed', '+3', file]);
  });

  it('needs {file} among its arguments and closed quotes', () => {
    expect(customCommandProblem('myeditor {file}')).toBeUndefined();
    expect(customCommandProblem('myeditor --line {line}')).toBe('noFile');
    expect(customCommandProblem('{file}')).toBe('noFile');
    expect(customCommandProblem("myeditor '{file}")).toBe('unclosedQuote');
  });
});

describe("Windows' batch files", () => {
  it('run through cmd.exe with every argument quoted and its special characters escaped', () => {
    const argv = windowsBatchArgv([
      'C:\\Program Files\\Microsoft VS Code\\bin\\code.cmd',
      '--goto',
      'C:\\docs\\a & b|c.md:3',
    ]);
    expect(argv.slice(0, 4)).toEqual(['cmd.exe', '/d', '/s', '/c']);
    const line = argv[4] ?? '';
    expect(line.startsWith('"C:\\Program^ Files\\Microsoft^ VS^ Code\\bin\\code.cmd ')).toBe(true);
    // No bare & or | is left for cmd to read as the start of another command.
    expect(line).not.toMatch(/[^^]&|[^^]\|/);
    expect(line).toContain('^^^&');
    expect(line).toContain('^^^|');
  });
});
