#!/usr/bin/env node
// The command line, run from TypeScript sources through tsx (a dev dependency: this is a repo tool).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
