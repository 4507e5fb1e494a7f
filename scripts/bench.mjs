#!/usr/bin/env node
// `npm run bench -- [--events N] [--runs R] [--json] [--dir DIR] [--skip-floors] …`: measures the app's
// import, re-import and query figures in headless Chromium beside the floors of the same machine.
// The harness is TypeScript under bench/harness/, loaded through tsx in this same process (so
// Ctrl+C reaches one process, which stops Chromium and the servers itself). See bench/README.md.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../bench/harness/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
