import type { Locator, Page } from 'playwright-core';
import { english } from '../../../src/shared/locales';

const strings = english.settings.tools;

/** Settings → Tools, found by its English labels and button names. */
export class ToolsSection {
  readonly section: Locator;
  readonly list: Locator;
  readonly addForm: Locator;
  readonly importForm: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByTestId('tools-section');
    this.list = this.section.getByRole('list', { name: strings.listLabel });
    this.addForm = this.section.locator('form.tool-add-form');
    this.importForm = this.section.locator('form.tool-import-form');
  }

  /** The list item of one server (named by its heading). */
  server(name: string): Locator {
    return this.list.getByRole('listitem', { name, exact: true });
  }

  status(name: string): Locator {
    return this.server(name).getByTestId('tool-server-status');
  }

  /** Fills the stdio form (args and env one per line) and presses Add server from the keyboard. */
  async addStdio(name: string, command: string, args: string[] = [], env: string[] = []): Promise<void> {
    const form = this.addForm;
    await form.getByRole('radio', { name: strings.add.kinds.stdio }).check();
    await form.getByLabel(strings.add.name, { exact: true }).fill(name);
    await form.getByLabel(strings.add.command, { exact: true }).fill(command);
    await form.getByLabel(strings.add.args, { exact: true }).fill(args.join('\n'));
    await form.getByLabel(strings.add.env, { exact: true }).fill(env.join('\n'));
    await form.getByRole('button', { name: strings.add.submit }).focus();
    await this.page.keyboard.press('Enter');
  }

  async addHttp(name: string, url: string, headers: string[]): Promise<void> {
    const form = this.addForm;
    await form.getByRole('radio', { name: strings.add.kinds.http }).check();
    await form.getByLabel(strings.add.name, { exact: true }).fill(name);
    await form.getByLabel(strings.add.url, { exact: true }).fill(url);
    await form.getByLabel(strings.add.headers, { exact: true }).fill(headers.join('\n'));
    await form.getByRole('button', { name: strings.add.submit }).click();
  }

  async importJson(json: string): Promise<void> {
    await this.importForm.getByLabel(strings.import.label).fill(json);
    await this.importForm.getByRole('button', { name: strings.import.submit }).click();
  }

  /** Opens a server's edit form from the keyboard and returns it. */
  async edit(server: string): Promise<Locator> {
    await this.server(server)
      .getByRole('button', { name: strings.edit.openOf.replace('{{name}}', server) })
      .focus();
    await this.page.keyboard.press('Enter');
    return this.server(server).locator('form.tool-edit-form');
  }

  /** Opens "Try it" on one tool of a server and returns its form. */
  async tryTool(server: string, tool: string): Promise<Locator> {
    const item = await this.tool(server, tool);
    await item.getByRole('button', { name: strings.try.openOf.replace('{{tool}}', tool) }).click();
    return item.getByTestId('tool-try');
  }

  /** Opens a server's tool list and returns the item of one tool. */
  async tool(server: string, tool: string): Promise<Locator> {
    const summary = this.server(server).locator('details.tool-list-details > summary');
    if (!(await this.server(server).locator('details.tool-list-details[open]').count()))
      await summary.click();
    return this.server(server).getByRole('listitem', { name: tool, exact: true });
  }
}
