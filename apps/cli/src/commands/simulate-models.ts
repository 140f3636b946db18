import { readFile } from 'node:fs/promises';
import { CajalError } from '@cajal/core';
import { type NetworkDescription, coba, cuba, distalRewardNetwork, izhikevichNetwork, poissonLif } from '@cajal/sim';

/** Shipped example networks for `cajal simulate` / `cajal sweep` (name -> description). */
export const exampleModels: Record<string, (seed?: number) => NetworkDescription> = {
  coba: (seed) => coba(seed === undefined ? {} : { seed }),
  cuba: (seed) => cuba(seed === undefined ? {} : { seed }),
  izhikevich2003: (seed) => izhikevichNetwork(seed === undefined ? {} : { seed }),
  'distal-reward': (seed) => distalRewardNetwork(seed),
  'lif-poisson': (seed) => poissonLif(seed === undefined ? {} : { seed }),
};

/**
 * A model by example name or from a JSON file holding a NetworkDescription; `seed` overrides
 * the description's. Throws NOT_FOUND / FORMAT_INVALID_FIELD naming the model.
 */
export async function loadModel(model: string, seed?: number, size?: number): Promise<NetworkDescription> {
  if (size !== undefined) {
    // COBA and CUBA keep their mean in-degree of 80 at any size (Brette et al. 2007 scaled up)
    const scalable = model === 'coba' ? coba : model === 'cuba' ? cuba : undefined;
    if (!scalable) throw new CajalError('INVALID_ARGUMENT', `--size applies to the coba and cuba examples, not "${model}"`, { field: 'size' });
    return scalable({ size, ...(seed === undefined ? {} : { seed }) });
  }
  const example = exampleModels[model];
  if (example) return example(seed);
  if (!model.endsWith('.json')) {
    throw new CajalError('NOT_FOUND', `unknown model "${model}": give an example (${Object.keys(exampleModels).join(', ')}) or a .json network file`, { field: 'model' });
  }
  let text: string;
  try {
    text = await readFile(model, 'utf8');
  } catch {
    throw new CajalError('NOT_FOUND', `cannot read model file "${model}"`, { file: model });
  }
  let description: NetworkDescription;
  try {
    description = JSON.parse(text) as NetworkDescription;
  } catch (error) {
    throw new CajalError('FORMAT_INVALID_FIELD', `model file "${model}" is not JSON: ${(error as Error).message}`, { file: model });
  }
  if (typeof description !== 'object' || description === null || !Array.isArray(description.groups) || description.dt === undefined) {
    throw new CajalError('FORMAT_INVALID_FIELD', `model file "${model}" is not a network description (needs "dt" and "groups")`, { file: model });
  }
  return seed === undefined ? description : { ...description, seed };
}

/** Parse a --seed / --duration style option; throws INVALID_ARGUMENT naming it. */
export function numberOption(text: string | undefined, option: string, check: (x: number) => boolean, what: string): number | undefined {
  if (text === undefined) return undefined;
  const x = Number(text);
  if (!check(x)) throw new CajalError('INVALID_ARGUMENT', `--${option} must be ${what}, got "${text}"`, { field: option });
  return x;
}
