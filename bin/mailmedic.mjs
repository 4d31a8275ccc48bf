#!/usr/bin/env node
// The `mailmedic` command: runs the TypeScript engine through tsx's loader (a runtime dependency).
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/entry.ts');
