/** Node-only parts of @cajal/sim: the worker_threads pool for sweeps and fitting. */
export * from './sweep.node.ts';
