import { parentPort, workerData } from 'node:worker_threads';
import { signPassages } from './lsh.js';
import type { NearDuplicateOptions } from './lsh.js';

// Signs one range of texts for nearDuplicatePairsParallel and hands the typed arrays back
// without copying.
const data = workerData as { texts: string[]; options: NearDuplicateOptions; offset: number };
const signed = signPassages(data.texts, data.options, data.offset);
parentPort?.postMessage(signed, [
  signed.sigs.buffer,
  signed.item.buffer,
  signed.charStart.buffer,
  signed.charEnd.buffer,
  signed.indexInItem.buffer,
] as ArrayBuffer[]);
