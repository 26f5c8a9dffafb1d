/**
 * Worker thread entry (started by article-loader.ts): reads and parses the
 * batches of articles it is sent, and answers each with its results in order.
 */
import { parentPort } from 'node:worker_threads';
import type { BatchReply, BatchRequest } from './article-loader.ts';
import { readArticleSync } from './articles.ts';

parentPort?.on('message', (request: BatchRequest) => {
  const reply: BatchReply = {
    batch: request.batch,
    results: request.files.map((file, i) =>
      readArticleSync(request.dataDir, file, {
        vault: request.vaults[i]!,
        ...(request.linkTemplate ? { linkTemplate: request.linkTemplate } : {}),
        ...(request.maxBytes !== undefined ? { maxBytes: request.maxBytes } : {}),
      }),
    ),
  };
  parentPort?.postMessage(reply);
});
