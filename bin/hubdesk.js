#!/usr/bin/env node
// Runs the HubDesk CLI from its TypeScript sources (tsx is a dependency), with no Electron.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli/index.ts');
