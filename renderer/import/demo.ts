/**
 * The built-in demo workspace: the generated exports in resources/demo, bundled as static assets so
 * "Load demo workspace" works offline in the desktop app and the web build alike.
 */
import { enqueueImport, sourceFromFile } from './queue.ts';

const DEMO_ROOT = '../../resources/demo/';
const demoFiles = import.meta.glob(['../../resources/demo/**/*.json', '../../resources/demo/**/*.csv', '../../resources/demo/**/*.ndjson'], {
  query: '?url',
  import: 'default',
  eager: true,
}) as Record<string, string>;

/**
 * The export files of the demo, named by their path in the demo folder as an analyst's folder import
 * would name them (the ground truth is the simulator's answer key, not an export).
 */
export function demoFileUrls(): { name: string; url: string }[] {
  return Object.entries(demoFiles)
    .map(([path, url]) => ({ name: path.startsWith(DEMO_ROOT) ? path.slice(DEMO_ROOT.length) : path, url }))
    .filter((file) => file.name !== 'ground-truth.json')
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function loadDemoWorkspace(): Promise<string | undefined> {
  const files = await Promise.all(
    demoFileUrls().map(async ({ name, url }) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`The demo file ${name} could not be loaded (${response.status}).`);
      return new File([await response.blob()], name);
    }),
  );
  return enqueueImport('Demo workspace', files.map(sourceFromFile));
}
