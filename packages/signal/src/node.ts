/**
 * Node-only entry of @cajal/signal: the worker_threads pool.
 *
 * @example
 *   import { createNodePool } from '@cajal/signal/node';
 */
export { createNodePool } from './pool.node.ts';
