/// <reference lib="webworker" />
/**
 * Computes the whole-file SHA-256 the imports ledger records, beside the import worker rather than in
 * it: WebCrypto has no streaming digest, so it is a JavaScript SHA-256 over every byte (seconds per
 * hundred megabytes here), which on the import worker's thread delayed the parsing by as much. Spawned
 * by the import worker; see `OffThreadSha256`.
 */
import { handleHashMessage, type HashJobs, type ToHashWorker } from './file-hash.ts';

declare const self: DedicatedWorkerGlobalScope;

const jobs: HashJobs = new Map();
self.onmessage = (event: MessageEvent<ToHashWorker>) => {
  const reply = handleHashMessage(jobs, event.data);
  if (reply) self.postMessage(reply);
};
