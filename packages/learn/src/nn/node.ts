/**
 * Node-only parts of the nn core (files on disk): data sets for training configs and weight
 * files. Exposed as `nnNode` from `@cajal/learn/node`.
 *
 * @example
 *   import { nnNode } from '@cajal/learn/node';
 *   const data = await nnNode.loadDataset(config.dataset, { baseDir });
 */
export * from './config.node.ts';
export * from './io.node.ts';
