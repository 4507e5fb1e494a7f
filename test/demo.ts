import { readFileSync } from 'node:fs';

/** A file of the built-in demo workspace (resources/demo, the simulator's output), for renderer unit tests. */
export function readDemoFile(relativePath: string): Uint8Array {
  return readFileSync(new URL(`../resources/demo/${relativePath}`, import.meta.url));
}
