/** What the figures were measured on: printed with every table and stored in every results file. */
import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { REPO } from './util.ts';

export interface Machine {
  cpu: string;
  cores: number;
  ramBytes: number;
  os: string;
  node: string;
  chromium?: string;
  chromiumPath: string;
}

export interface GitInfo {
  sha: string;
  short: string;
  /** Uncommitted changes were present: the figures are of the working tree, not of `sha` alone. */
  dirty: boolean;
}

export function machineInfo(chromiumPath: string): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    ramBytes: totalmem(),
    os: `${osType()} ${release()}`,
    node: process.version,
    chromiumPath,
  };
}

export function gitInfo(): GitInfo {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return {
      sha: git('rev-parse', 'HEAD'),
      short: git('rev-parse', '--short', 'HEAD'),
      dirty: git('status', '--porcelain', '--untracked-files=no').length > 0,
    };
  } catch {
    return { sha: 'unknown', short: 'nogit', dirty: false };
  }
}
