import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The team kit's real public exports, read in place (never copied into the repo). */
export const samplesDir = fileURLToPath(new URL('../../shared/samples/', import.meta.url));

export function readSample(relativePath: string): Uint8Array {
  return readFileSync(samplesDir + relativePath);
}
