/**
 * The built-in demo workspace: the generated exports in resources/demo, bundled as static assets so
 * "Load demo workspace" works offline in the desktop app and the web build alike.
 */
import { enqueueImport, sourceFromFile } from './queue.ts';

const demoFiles = import.meta.glob('../../resources/demo/*.json', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

/** The export files of the demo (the ground truth is the simulator's answer key, not an export). */
export function demoFileUrls(): { name: string; url: string }[] {
  return Object.entries(demoFiles)
    .map(([path, url]) => ({ name: path.split('/').pop() ?? path, url }))
    .filter((file) => !file.name.startsWith('ground-truth'))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function loadDemoWorkspace(): Promise<string | undefined> {
  const files = await Promise.all(
    demoFileUrls().map(async ({ name, url }) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`The demo file ${name} could not be loaded (${response.status}).`);
      return new File([await response.blob()], name, { type: 'application/json' });
    }),
  );
  return enqueueImport('Demo workspace', files.map(sourceFromFile));
}
