/**
 * The one IPC contract between the Electron main process and the preload script.
 *
 * Every channel names its argument schema (validated by main, never trusted) and its result type.
 * Main answers with an envelope instead of throwing, so the renderer always gets a typed outcome.
 * The preload exposes one named function per channel; there is no generic `invoke(channel)`.
 */
import { z } from 'zod';

// Zod compiles validators with `new Function` unless told not to; our CSP forbids eval in every window,
// and even zod's probe for it is reported as a violation. Payloads are small: the interpreter is plenty.
z.config({ jitless: true });

/** A file the analyst picked in a native dialog. Main keeps the path; the renderer sees a token. */
export const pickedFileSchema = z.object({
  token: z.string().min(1).max(128),
  name: z.string().max(1024),
  /** Path relative to the picked folder, for folder imports; the file name otherwise. */
  relativePath: z.string().max(4096),
  size: z.number().int().nonnegative(),
  lastModified: z.number(),
});
export type PickedFile = z.infer<typeof pickedFileSchema>;

/** The most bytes one `file:read-chunk` call may return: large enough to stream fast, small enough for IPC. */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;

/** What one sync of a watched folder brought, as the renderer counted it once the import ended. */
export const syncResultSchema = z
  .object({
    at: z.number().int().nonnegative(),
    files: z.number().int().nonnegative(),
    added: z.number().int().nonnegative(),
    updated: z.number().int().nonnegative(),
    unchanged: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
    /** Files listed but not imported: not exports, or from a disabled source. */
    skipped: z.number().int().nonnegative(),
    /** Files that could not be read to their end. */
    failed: z.number().int().nonnegative(),
  })
  .strict();
export type SyncResult = z.infer<typeof syncResultSchema>;

/** The most files one record-sync may acknowledge: a folder listing's own limit (electron/files.ts). */
export const MAX_SYNC_TOKENS = 10_000;

const folderIdSchema = z.string().min(1).max(64);

export const ipcArgSchemas = {
  'dialog:open-files': z.undefined(),
  'dialog:open-folder': z.undefined(),
  'file:read-chunk': z
    .object({
      token: z.string().min(1).max(128),
      offset: z.number().int().nonnegative(),
      length: z.number().int().positive().max(MAX_CHUNK_BYTES),
    })
    .strict(),
  'file:release': z.object({ token: z.string().min(1).max(128) }).strict(),
  'app:info': z.undefined(),
  'shell:open-external': z.object({ url: z.string().min(1).max(2048) }).strict(),
  'watch:list': z.undefined(),
  'watch:add': z.undefined(),
  'watch:remove': z.object({ folderId: folderIdSchema }).strict(),
  'watch:rescan': z.object({ folderId: folderIdSchema }).strict(),
  'watch:record-sync': z
    .object({
      folderId: folderIdSchema,
      /** The delivered files whose import ended: main remembers them as seen, so they are not sent again. */
      tokens: z.array(z.string().min(1).max(128)).max(MAX_SYNC_TOKENS),
      result: syncResultSchema,
    })
    .strict(),
} as const;

export type IpcChannel = keyof typeof ipcArgSchemas;
export type IpcArgs<C extends IpcChannel> = z.infer<(typeof ipcArgSchemas)[C]>;

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** 'electron' in the desktop window, 'web' in the browser build. */
  shell: 'electron' | 'web';
  /** The operating system's user name, where the shell can tell: the default signature of local decisions. */
  userName?: string;
}

/** A folder the analyst asked Sightline to keep in sync with. */
export interface WatchedFolder {
  id: string;
  /** The folder's own name, for labels. */
  name: string;
  /** Where it is, for display: a full path on the desktop, the picked folder's name in the browser. */
  location: string;
  addedAt: number;
  /**
   * 'watching': main sees changes as they happen (desktop). 'manual': only Re-scan looks (browser).
   * 'unavailable': the folder cannot be read now (unplugged, renamed, permission lost); what it brought is kept.
   */
  status: 'watching' | 'manual' | 'unavailable';
  message?: string;
  lastSync?: SyncResult;
}

/** New or changed files of one watched folder, for the renderer to import through the import queue. */
export interface WatchDelivery {
  folderId: string;
  files: PickedFile[];
}

export interface IpcResults {
  'dialog:open-files': PickedFile[];
  'dialog:open-folder': PickedFile[];
  'file:read-chunk': Uint8Array;
  'file:release': void;
  'app:info': AppInfo;
  'shell:open-external': void;
  'watch:list': WatchedFolder[];
  /** null when the analyst cancelled the folder dialog. */
  'watch:add': { folder: WatchedFolder; delivery: WatchDelivery } | null;
  'watch:remove': void;
  'watch:rescan': WatchDelivery;
  'watch:record-sync': WatchedFolder;
}

export type IpcResult<C extends IpcChannel> = IpcResults[C];

export type IpcError = { code: 'bad-sender' | 'bad-payload' | 'not-found' | 'refused' | 'failed'; message: string };
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Events main pushes to the renderer (menu commands, files opened from the menu). */
export interface MainEvents {
  'menu:files-picked': PickedFile[];
  /** A watched folder has new or changed files that stopped changing. */
  'watch:folder-changed': WatchDelivery;
}
export type MainEventChannel = keyof MainEvents;
export const mainEventChannels: readonly MainEventChannel[] = ['menu:files-picked', 'watch:folder-changed'];

/**
 * The API the preload exposes as `window.sightline`, and that the web build implements in the browser.
 * Names mirror the channels; every call resolves with the handler's envelope and never rejects for a
 * handled error (renderer/api/bridge.ts `unwrap` turns an error envelope into a thrown Error).
 */
export interface SightlineBridge {
  openFiles(): Promise<Envelope<PickedFile[]>>;
  openFolder(): Promise<Envelope<PickedFile[]>>;
  readChunk(token: string, offset: number, length: number): Promise<Envelope<Uint8Array>>;
  releaseFile(token: string): Promise<Envelope<void>>;
  appInfo(): Promise<Envelope<AppInfo>>;
  openExternal(url: string): Promise<Envelope<void>>;
  onFilesPicked(listener: (files: PickedFile[]) => void): () => void;
  watchList(): Promise<Envelope<WatchedFolder[]>>;
  /** Asks for a folder (native dialog, or the browser's directory picker) and returns all its files to import. */
  watchAdd(): Promise<Envelope<IpcResults['watch:add']>>;
  /** Stops watching; never deletes what the folder brought. */
  watchRemove(folderId: string): Promise<Envelope<void>>;
  /** The folder's files that are new or changed since the last acknowledged sync. */
  watchRescan(folderId: string): Promise<Envelope<WatchDelivery>>;
  watchRecordSync(folderId: string, tokens: string[], result: SyncResult): Promise<Envelope<WatchedFolder>>;
  onWatchFolderChanged(listener: (delivery: WatchDelivery) => void): () => void;
}

/** The names the preload exposes, in order: a test compares the real object's keys with this list. */
export const bridgeFunctionNames = [
  'openFiles',
  'openFolder',
  'readChunk',
  'releaseFile',
  'appInfo',
  'openExternal',
  'onFilesPicked',
  'watchList',
  'watchAdd',
  'watchRemove',
  'watchRescan',
  'watchRecordSync',
  'onWatchFolderChanged',
] as const satisfies readonly (keyof SightlineBridge)[];
