/** Node-only parts of @cajal/sim: the worker_threads pool for sweeps and fitting, and worker_threads for the wasm backend's threaded updates. */
export * from './sweep.node.ts';
import './threads.node.ts';
