/**
 * @cajal/web: the workbench in the browser. The pure modules are exported for reuse and tests;
 * the app itself is built with `npm run build -w @cajal/web` (Vite) and served by apps/server.
 */
export * from './lib/page-cache.ts';
export * from './lib/annotation-index.ts';
export * from './lib/display.ts';
export * from './lib/page-pipeline.ts';
export * from './lib/spectrogram-image.ts';
export * from './lib/analysis-result.ts';
