import { describe, expect, it } from 'vitest';
import { baseName, fileParts, markQuery } from '../src/renderer/src/knowledge/file-paths';

describe('the Knowledge page’s file names', () => {
  const roots = ['/home/ana/notes', '/home/ana/notes/archive', '/home/ana/ferry.md'];

  it('names a file below the deepest root it is under, with its folder from there', () => {
    expect(fileParts('/home/ana/notes/trips/rome.md', roots)).toEqual({ name: 'rome.md', folder: 'trips' });
    expect(fileParts('/home/ana/notes/archive/2019/a.txt', roots)).toEqual({ name: 'a.txt', folder: '2019' });
    expect(fileParts('/home/ana/notes/top.md', roots)).toEqual({ name: 'top.md', folder: '' });
  });

  it('shows a file added on its own by its name, and a root’s neighbour in full', () => {
    expect(fileParts('/home/ana/ferry.md', roots)).toEqual({ name: 'ferry.md', folder: '' });
    // `/home/ana/notes-old` starts with a root's text but is not under it.
    expect(fileParts('/home/ana/notes-old/b.md', roots)).toEqual({
      name: 'b.md',
      folder: '/home/ana/notes-old',
    });
  });

  it('reads Windows paths too', () => {
    expect(fileParts('C:\\Users\\ana\\Docs\\q1\\plan.docx', ['C:\\Users\\ana\\Docs'])).toEqual({
      name: 'plan.docx',
      folder: 'q1',
    });
    expect(baseName('C:\\Users\\ana\\Docs\\')).toBe('Docs');
    expect(baseName('/home/ana/notes/rome.md')).toBe('rome.md');
  });
});

describe('the words of a search marked in a snippet', () => {
  it('marks each word of the query in any case, and nothing else', () => {
    expect(markQuery('The Harbor and the harbour master', 'harbor master')).toEqual([
      { text: 'The ', match: false },
      { text: 'Harbor', match: true },
      { text: ' and the harbour ', match: false },
      { text: 'master', match: true },
    ]);
  });

  it('takes the query as words, not as a pattern, and leaves one-letter words alone', () => {
    expect(markQuery('What (c++) costs: a lot', 'c++ (costs)? a')).toEqual([
      { text: 'What (c++) ', match: false },
      { text: 'costs', match: true },
      { text: ': a lot', match: false },
    ]);
    expect(markQuery('plain text', '. * +')).toEqual([{ text: 'plain text', match: false }]);
    expect(markQuery('Đà Nẵng harbour', 'nẵng')).toEqual([
      { text: 'Đà ', match: false },
      { text: 'Nẵng', match: true },
      { text: ' harbour', match: false },
    ]);
  });
});
