/**
 * The params of an "analyze" job, declared once as a zod schema (the API's JSON is camelCase)
 * and turned into `@cajal/signal` analyzeRecording options with signal's own parsers, so a
 * montage or band list means what it means to `cajal analyze`.
 */
import { z } from 'zod';
import { CajalError } from '@cajal/core';
import { parseBands, parseMontage } from '@cajal/signal';
import type { AnalyzeRecordingOptions } from '@cajal/signal';

/**
 * What an analyze job accepts. Defaults: montage "as-recorded", bands delta/theta/alpha/beta,
 * lineFrequencyHz 50, channels "all" (every EEG channel of the most common rate, as the viewer
 * shows them), previewSeconds 0 (the result carries no filtered samples unless asked).
 *
 * @example
 *   { montage: 'average', bands: 'alpha:8-13,beta:13-30', lineFrequencyHz: 60, channels: ['O1', 'O2'] }
 */
export const analyzeParamsSchema = z.object({
  /** A montage name as `cajal analyze --montage` takes it (as-recorded, average, double-banana, ...). */
  montage: z.string().max(100).optional(),
  /** Bands as NAME:LOW-HIGH,... (`cajal analyze --bands`). */
  bands: z.string().max(2000).optional(),
  /** Mains frequency notched, Hz: 50, 60, or null for none. */
  lineFrequencyHz: z.union([z.literal(50), z.literal(60), z.null()]).optional(),
  /** Channel labels, or "all". */
  channels: z.union([z.literal('all'), z.array(z.string().max(200)).min(1).max(4096)]).optional(),
  /** Seconds of filtered signal kept in the result's preview (0-60). */
  previewSeconds: z.number().min(0).max(60).optional(),
}).strict();

/** The params of an analyze job as the API takes them. */
export type AnalyzeParams = z.infer<typeof analyzeParamsSchema>;

/**
 * Validate `params` and turn them into analyzeRecording options; a bad value is an
 * INVALID_ARGUMENT naming `params.<field>`.
 *
 * @example
 *   analyzeOptionsOf({ lineFrequencyHz: 60 }); // { lineFrequency: 60, channels: 'all', previewSeconds: 0 }
 */
export function analyzeOptionsOf(params: unknown): AnalyzeRecordingOptions {
  const parsed = analyzeParamsSchema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['params', ...(issue?.path ?? []).map(String)].join('.');
    throw new CajalError('INVALID_ARGUMENT', `${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  const { montage, bands, lineFrequencyHz, channels, previewSeconds } = parsed.data;
  const at = <T>(field: string, parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      throw new CajalError('INVALID_ARGUMENT', `params.${field}: ${(error as Error).message}`, { field: `params.${field}` });
    }
  };
  return {
    ...(montage !== undefined ? { montage: at('montage', () => parseMontage(montage)) } : {}),
    ...(bands !== undefined ? { bands: at('bands', () => parseBands(bands)) } : {}),
    ...(lineFrequencyHz !== undefined ? { lineFrequency: lineFrequencyHz } : {}),
    channels: channels ?? 'all',
    previewSeconds: previewSeconds ?? 0,
  };
}
