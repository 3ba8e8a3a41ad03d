import vm from 'node:vm';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** What the built preload did in a world where only `electron` can be required. */
export interface PreloadWorld {
  /** `contextBridge.exposeInMainWorld` calls: the name and what was exposed. */
  exposed: { key: string; api: unknown }[];
  /** Every `require` the preload made. */
  required: string[];
  /** `ipcRenderer.invoke` calls: channel and request. */
  invoked: { channel: string; request: unknown }[];
  /** Listeners the preload added with `ipcRenderer.on`, by channel. */
  listeners: Map<string, Set<Listener>>;
  /** What `ipcRenderer.invoke` answers. */
  answer: unknown;
}

/**
 * Evaluates the built preload (CommonJS) in a fresh V8 context holding nothing but JavaScript's own globals and a
 * `require` that knows only `electron`, as in a sandboxed renderer (stricter: no `process` or `Buffer` either).
 */
export function evaluatePreload(source: string): PreloadWorld {
  const world: PreloadWorld = { exposed: [], required: [], invoked: [], listeners: new Map(), answer: null };
  const ipcRenderer = {
    invoke: async (channel: string, request: unknown) => {
      world.invoked.push({ channel, request });
      return world.answer;
    },
    on(channel: string, listener: Listener) {
      const set = world.listeners.get(channel) ?? new Set<Listener>();
      set.add(listener);
      world.listeners.set(channel, set);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: Listener) {
      world.listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown) {
        world.exposed.push({ key, api });
      },
    },
    ipcRenderer,
    webUtils: { getPathForFile: (file: { name: string }) => `/picked/${file.name}` },
  };
  const require = (name: string) => {
    world.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`Cannot find module '${name}' (a sandboxed preload can require only electron)`);
  };
  const wrapper = vm.runInNewContext(
    `(function (require, module, exports) {\n${source}\n})`,
    {},
    {
      filename: 'out/preload/index.cjs',
    },
  ) as (require: (name: string) => unknown, module: { exports: object }, exports: object) => void;
  const module = { exports: {} };
  wrapper(require, module, module.exports);
  return world;
}

/**
 * The built preload as a page init script: its `electron` is a stand-in whose `ipcRenderer.invoke` calls the
 * page binding `__shellIpcInvoke` (which the test forwards to the main bundle's ipcMain handlers) and whose `on`
 * hears what the test passes to `__shellIpcEmit` (what the main bundle's webContents.send sent). The preload's
 * source is inlined, not evaluated from a string, so the page's CSP (no 'unsafe-eval') has nothing to refuse.
 */
export function preloadInitScript(source: string): string {
  return `(() => {
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, request) => window.__shellIpcInvoke(channel, request),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const ipcEvent = Object.freeze({});
  Object.defineProperty(window, '__shellIpcEmit', {
    value: (channel, payload) => {
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(ipcEvent, payload);
    },
  });
  const electron = {
    contextBridge: {
      exposeInMainWorld(key, api) {
        Object.defineProperty(window, key, { value: Object.freeze(api), enumerable: true });
      },
    },
    ipcRenderer,
    webUtils: { getPathForFile: (file) => file.name },
  };
  const require = (name) => {
    if (name === 'electron') return electron;
    throw new Error("Cannot find module '" + name + "'");
  };
  const module = { exports: {} };
  (function (require, module, exports) {
${source}
  })(require, module, module.exports);
})();`;
}
