/**
 * What the profiling scripts (profile-import.ts, profile-query.ts) share: the headless Chromium they
 * open on a browser profile, and the summary they print of a CDP CPU profile.
 */
import { chromium, type BrowserContext } from 'playwright-core';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Headless Chromium (Debian's, or $CHROMIUM_PATH) on a browser profile folder, kept by the caller. */
export function launchProfileBrowser(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'],
  });
}

/** A function as the summaries name it: name, file and line. */
export function frameLabel(node: Pick<ProfileNode, 'callFrame'>): string {
  return `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}`;
}

/** Prints the functions with the most self time, then the most time along the call tree (idle left out). */
export function printCpuProfile(profile: CpuProfile, top: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    all += us;
    const own = frameLabel(byId.get(id)!);
    selfBy.set(own, (selfBy.get(own) ?? 0) + us);
    // A recursive function counts once per sample.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = frameLabel(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      totalBy.set(name, (totalBy.get(name) ?? 0) + us);
    }
  });
  for (const [title, map] of [
    ['self time', selfBy],
    ['total time', totalBy],
  ] as const) {
    console.log(`\n${title} (of ${(all / 1e6).toFixed(1)} s sampled)`);
    for (const [name, us] of [...map]
      .filter(([name]) => !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top))
      console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / all).toFixed(1).padStart(5)}%  ${name}`);
  }
}
