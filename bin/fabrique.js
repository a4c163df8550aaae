#!/usr/bin/env node
// Entry point for a global install: sources are TypeScript run through tsx's loader.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/fabrique.ts');
