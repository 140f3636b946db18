import { CajalError, createRandom } from '@cajal/core';

/**
 * Graph measures on weighted, undirected connectivity matrices (weights >= 0, diagonal
 * ignored), following the Brain Connectivity Toolbox definitions (Rubinov & Sporns 2010).
 */

type Matrix = ArrayLike<number>[];

function check(matrix: Matrix): number {
  const n = matrix.length;
  for (const row of matrix) if (row.length !== n) throw new CajalError('INVALID_ARGUMENT', `matrix must be square, got a row of ${row.length} in ${n}`, { field: 'matrix' });
  return n;
}

const weight = (matrix: Matrix, i: number, j: number): number => (i === j ? 0 : Math.max(0, matrix[i][j]));

/**
 * Node strength: the sum of each node's edge weights.
 *
 * @example
 *   nodeStrength([[1, 0.5], [0.5, 1]]); // [0.5, 0.5]
 */
export function nodeStrength(matrix: Matrix): Float64Array {
  const n = check(matrix);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += weight(matrix, i, j);
  return out;
}

/**
 * Weighted clustering coefficient (Onnela et al. 2005): weights scaled by the largest,
 * C_i = sum_jk (w_ij w_jk w_ki)^(1/3) / (k_i (k_i - 1)), k_i = number of non-zero edges.
 */
export function clusteringCoefficient(matrix: Matrix): Float64Array {
  const n = check(matrix);
  let max = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) max = Math.max(max, weight(matrix, i, j));
  const out = new Float64Array(n);
  if (max === 0) return out;
  const cube = (i: number, j: number): number => Math.cbrt(weight(matrix, i, j) / max);
  for (let i = 0; i < n; i++) {
    let degree = 0;
    for (let j = 0; j < n; j++) if (weight(matrix, i, j) > 0) degree++;
    if (degree < 2) continue;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const wij = cube(i, j);
      if (wij === 0) continue;
      for (let k = 0; k < n; k++) if (k !== i && k !== j) sum += wij * cube(j, k) * cube(k, i);
    }
    out[i] = sum / (degree * (degree - 1));
  }
  return out;
}

/**
 * Characteristic path length: mean shortest-path length over connected pairs, with edge
 * length 1/weight (Floyd-Warshall). Also global efficiency (mean of 1/length over all pairs).
 */
export function characteristicPathLength(matrix: Matrix): { pathLength: number; globalEfficiency: number } {
  const n = check(matrix);
  const distance = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 0 : weight(matrix, i, j) > 0 ? 1 / weight(matrix, i, j) : Infinity)));
  for (let k = 0; k < n; k++) {
    const dk = distance[k] as Float64Array;
    for (let i = 0; i < n; i++) {
      const di = distance[i] as Float64Array;
      const dik = di[k];
      if (dik === Infinity) continue;
      for (let j = 0; j < n; j++) if (dik + dk[j] < di[j]) di[j] = dik + dk[j];
    }
  }
  let sum = 0, count = 0, efficiency = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    if (i === j) continue;
    const d = (distance[i] as Float64Array)[j];
    if (Number.isFinite(d)) {
      sum += d;
      count++;
      efficiency += 1 / d;
    }
  }
  return { pathLength: count > 0 ? sum / count : Infinity, globalEfficiency: n > 1 ? efficiency / (n * (n - 1)) : 0 };
}

/** Newman's modularity Q of a partition: (1/2m) sum_ij (w_ij - s_i s_j / 2m) delta(c_i, c_j). */
export function modularity(matrix: Matrix, communities: ArrayLike<number>): number {
  const n = check(matrix);
  const strength = nodeStrength(matrix);
  const twoM = strength.reduce((s, v) => s + v, 0);
  if (twoM === 0) return 0;
  let q = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    if (communities[i] !== communities[j]) continue;
    q += weight(matrix, i, j) - (strength[i] * strength[j]) / twoM;
  }
  return q / twoM;
}

/**
 * Community detection by the Louvain method (Blondel et al. 2008): greedy local moves, then
 * aggregation, repeated until modularity stops rising. Node order is shuffled with `seed`
 * (default 1) so results are reproducible.
 *
 * @example
 *   const { communities, modularity } = louvainCommunities(alphaCoherence);
 */
export function louvainCommunities(matrix: Matrix, seed = 1): { communities: Int32Array; modularity: number } {
  const n = check(matrix);
  const random = createRandom(seed);
  let membership = Int32Array.from({ length: n }, (_, i) => i);
  let current: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => weight(matrix, i, j)));
  for (let level = 0; level < 32; level++) {
    const size = current.length;
    const strength = current.map((row) => row.reduce((s, v) => s + v, 0));
    const twoM = strength.reduce((s, v) => s + v, 0);
    if (twoM === 0) break;
    const community = Int32Array.from({ length: size }, (_, i) => i);
    const total = Float64Array.from(strength);
    let moved = true;
    let anyMove = false;
    let guard = 0;
    while (moved && guard++ < 100) {
      moved = false;
      for (const i of random.shuffle(Array.from({ length: size }, (_, k) => k))) {
        const own = community[i] as number;
        const links = new Map<number, number>();
        const row = current[i] as number[];
        for (let j = 0; j < size; j++) if (j !== i && (row[j] as number) > 0) links.set(community[j] as number, (links.get(community[j] as number) ?? 0) + (row[j] as number));
        total[own] -= strength[i] as number;
        let best = own;
        let bestGain = (links.get(own) ?? 0) - ((strength[i] as number) * total[own]) / twoM;
        for (const [c, w] of links) {
          const gain = w - ((strength[i] as number) * total[c]) / twoM;
          if (gain > bestGain + 1e-12) {
            bestGain = gain;
            best = c;
          }
        }
        total[best] += strength[i] as number;
        if (best !== own) {
          community[i] = best;
          moved = true;
          anyMove = true;
        }
      }
    }
    if (!anyMove) break;
    const labels = new Map<number, number>();
    for (const c of community) if (!labels.has(c)) labels.set(c, labels.size);
    membership = membership.map((m) => labels.get(community[m] as number) as number);
    const next = Array.from({ length: labels.size }, () => new Array<number>(labels.size).fill(0));
    // The aggregated graph sums weights between communities; internal weight becomes a self-loop.
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) {
      const a = labels.get(community[i] as number) as number;
      const b = labels.get(community[j] as number) as number;
      (next[a] as number[])[b] += (current[i] as number[])[j] as number;
    }
    current = next;
    if (labels.size === size) break;
  }
  return { communities: membership, modularity: modularity(matrix, membership) };
}

/** Summary graph measures of a connectivity matrix. */
export interface GraphSummary {
  strength: number[];
  clustering: number[];
  mean_clustering: number;
  characteristic_path_length: number;
  global_efficiency: number;
  communities: number[];
  modularity: number;
}

/** Strength, clustering, path length, efficiency and Louvain modules in one call. */
export function graphSummary(matrix: Matrix, seed = 1): GraphSummary {
  const clustering = clusteringCoefficient(matrix);
  const paths = characteristicPathLength(matrix);
  const modules = louvainCommunities(matrix, seed);
  return {
    strength: Array.from(nodeStrength(matrix)),
    clustering: Array.from(clustering),
    mean_clustering: clustering.reduce((s, v) => s + v, 0) / Math.max(1, clustering.length),
    characteristic_path_length: paths.pathLength,
    global_efficiency: paths.globalEfficiency,
    communities: Array.from(modules.communities),
    modularity: modules.modularity,
  };
}
