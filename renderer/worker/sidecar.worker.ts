/// <reference lib="webworker" />
/**
 * The import worker's sidecar: work that needs no store and would otherwise hold up the import worker's
 * parsing, run on the other core. It computes the whole-file SHA-256 the imports ledger records
 * (WebCrypto has no streaming digest, so it is a JavaScript SHA-256 over every byte) and compresses each
 * batch's raw text. Spawned by the import worker; see sidecar.ts.
 */
import { handleSidecarMessage, type HashJobs, type ToSidecar } from './sidecar.ts';

declare const self: DedicatedWorkerGlobalScope;

const jobs: HashJobs = new Map();
self.onmessage = (event: MessageEvent<ToSidecar>) => {
  void handleSidecarMessage(jobs, event.data).then((reply) => {
    if (reply) self.postMessage(reply, reply.type === 'packed' ? reply.packed.blocks : []);
  });
};
