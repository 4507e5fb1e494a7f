/** The workspace's storage as the browser reports it, and the one request not to evict it. */
import { getStorageInfo, requestPersistence, type StorageInfo } from '../db/repo.ts';

let request: Promise<boolean> | undefined;

/**
 * Asks once per page for persistent storage (main.tsx asks at start; asking again returns the same answer
 * without a prompt). Chromium grants it by its own heuristics; Electron treats every origin as durable.
 */
export function persistenceRequest(): Promise<boolean> {
  request ??= requestPersistence().catch(() => false);
  return request;
}

export interface StorageReport extends StorageInfo {
  /** What persist() answered: undefined when the browser has no StorageManager. */
  granted?: boolean;
  /** usage / quota, 0..1, when both are known. */
  fraction?: number;
}

/** Usage above this share of the quota gets a warning: imports fail once the quota is reached. */
export const STORAGE_WARNING_FRACTION = 0.8;

export async function readStorage(): Promise<StorageReport> {
  if (typeof navigator === 'undefined' || !navigator.storage) return {};
  const [info, granted] = await Promise.all([getStorageInfo(), persistenceRequest()]);
  const fraction = info.usage !== undefined && info.quota ? info.usage / info.quota : undefined;
  return { ...info, granted, ...(fraction !== undefined ? { fraction } : {}) };
}
