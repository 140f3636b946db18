/**
 * Node-only parts of @cajal/nn (files on disk): data sets for training configs and weight
 * files. Imported as `@cajal/nn/node`.
 *
 * @example
 *   import { loadDataset } from '@cajal/nn/node';
 *   const data = await loadDataset(config.dataset, { baseDir });
 */
export * from './config.node.ts';
export * from './io.node.ts';
