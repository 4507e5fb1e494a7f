/**
 * For tests: the demo tenant (the simulator at demo scale) read through the real parsers and
 * attributed by the real resolver, parsed once per test file.
 */
import { parseAll } from '../formats/parse.ts';
import type { NormalizedRecord } from '../model/records.ts';
import { encodeText } from '../simulate/sink.ts';
import { DEMO_SCALE_OPTIONS, generateWorkspace, GROUND_TRUTH_FILE, README_FILE, type WorkspaceOptions, type WorkspaceTruth } from '../simulate/workspace.ts';
import { attributeRecords } from './attribute.ts';
import type { Attributed } from './baseline.ts';

export interface ParsedTenant {
  records: NormalizedRecord[];
  attributed: Attributed[];
  truth: WorkspaceTruth;
  /** Our user id for a ground-truth person (their object id). */
  userIdOf: (objectId: string) => string;
}

export async function parsedTenant(options: WorkspaceOptions = DEMO_SCALE_OPTIONS): Promise<ParsedTenant> {
  const workspace = generateWorkspace(options);
  const records: NormalizedRecord[] = [];
  for (const file of workspace.files) {
    if (file.path === GROUND_TRUTH_FILE || file.path === README_FILE) continue;
    records.push(...(await parseAll(file.path, encodeText(file.content, file.encoding))).records);
  }
  return { records, attributed: attributeRecords(records), truth: workspace.groundTruth, userIdOf: (objectId) => `objectId:${objectId.toLowerCase()}` };
}
