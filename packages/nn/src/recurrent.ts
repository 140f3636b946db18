import { gemm, gemmNT, gemmTN, transposeInto } from './kernels.ts';
import { sigmoidInPlace, tanhInto } from './fastmath.ts';
import { type ActivationKernel, createActivationKernel } from './wasm-act.ts';
import { Tensor, check, result } from './tensor.ts';

/**
 * Whole-sequence recurrent operations with hand-written backpropagation through time. Fusing
 * the sequence into one graph node avoids thousands of tiny nodes per batch: the input
 * projections of all steps are one matrix product, and each step adds h·W_h.
 *
 * LSTM (Keras / ONNX gate order i, f, g, o; one bias): x [B, T, I], inputWeight [I, 4H],
 * recurrentWeight [H, 4H], bias [4H] → hidden states [B, T, H], starting from zeros.
 * GRU (PyTorch / ONNX linear_before_reset gate order r, z, n): inputWeight [I, 3H],
 * recurrentWeight [H, 3H], inputBias [3H], recurrentBias [3H];
 * n = tanh(x·W_n + b_n + r ⊙ (h·U_n + c_n)), h' = (1 − z) ⊙ n + z ⊙ h.
 *
 * @example
 *   const hs = lstm(x, wx, wh, b);            // [B, T, H]
 *   const last = slice(hs, 1, T - 1, T);      // [B, 1, H]
 */

let activationKernel: ActivationKernel | null | undefined;
/** The WebAssembly SIMD gate activations, created on first use; null without SIMD. */
function activations(): ActivationKernel | null {
  if (activationKernel === undefined) activationKernel = createActivationKernel();
  return activationKernel;
}

function inputProjection(x: Tensor, weight: Tensor, bias: Tensor, gates: number): Float32Array {
  const [batch, steps, inputs] = x.shape as [number, number, number];
  const projected = new Float32Array(batch * steps * gates);
  for (let r = 0; r < batch * steps; r++) projected.set(bias.data, r * gates);
  gemm(x.data, 0, weight.data, 0, projected, 0, batch * steps, inputs, gates, true);
  return projected;
}

/**
 * Backward of the input projection: dZ laid out [T][B][G] → dX, dW, db. x (small: I values a
 * row) is re-laid out to [T][B] order rather than dZ (G = 3H or 4H values a row), with a column
 * of ones appended so that one product [I + 1, G] = [x | 1]ᵀ·dZ gives dW and, in its last row,
 * db (no separate pass over dZ for the bias).
 */
function inputProjectionBackward(x: Tensor, weight: Tensor, bias: Tensor, dzTime: Float32Array, gates: number): void {
  const [batch, steps, inputs] = x.shape as [number, number, number];
  const rows = batch * steps;
  if (weight.requiresGrad || bias.requiresGrad) {
    const width = inputs + 1;
    const xTime = new Float32Array(rows * width);
    for (let t = 0; t < steps; t++) for (let b = 0; b < batch; b++) {
      const row = (t * batch + b) * width;
      xTime.set(x.data.subarray((b * steps + t) * inputs, (b * steps + t + 1) * inputs), row);
      xTime[row + inputs] = 1;
    }
    const product = new Float32Array(width * gates);
    gemmTN(xTime, 0, dzTime, 0, product, 0, width, rows, gates, false);
    if (weight.requiresGrad) {
      const gw = weight.ensureGrad();
      for (let i = 0; i < inputs * gates; i++) gw[i] += product[i] as number;
    }
    if (bias.requiresGrad) {
      const gb = bias.ensureGrad();
      for (let j = 0; j < gates; j++) gb[j] += product[inputs * gates + j] as number;
    }
  }
  if (x.requiresGrad) {
    const dxTime = new Float32Array(rows * inputs);
    gemmNT(dzTime, 0, weight.data, 0, dxTime, 0, rows, gates, inputs, false);
    const gx = x.ensureGrad();
    for (let t = 0; t < steps; t++) for (let b = 0; b < batch; b++) {
      const src = (t * batch + b) * inputs;
      const dst = (b * steps + t) * inputs;
      for (let i = 0; i < inputs; i++) gx[dst + i] += dxTime[src + i] as number;
    }
  }
}

function checkShapes(name: string, x: Tensor, inputWeight: Tensor, recurrentWeight: Tensor, gateCount: number): [number, number, number, number] {
  check(x.shape.length === 3, name, `input must be [B, T, I], got [${x.shape.join(', ')}]`);
  const [batch, steps, inputs] = x.shape as [number, number, number];
  const hidden = recurrentWeight.shape[0] as number;
  check(inputWeight.shape.length === 2 && inputWeight.shape[0] === inputs && inputWeight.shape[1] === gateCount * hidden, name, `input weight [${inputWeight.shape.join(', ')}] should be [${inputs}, ${gateCount * hidden}]`);
  check(recurrentWeight.shape.length === 2 && recurrentWeight.shape[1] === gateCount * hidden, name, `recurrent weight [${recurrentWeight.shape.join(', ')}] should be [${hidden}, ${gateCount * hidden}]`);
  return [batch, steps, inputs, hidden];
}

/** LSTM over a whole sequence; returns every hidden state [B, T, H]. */
export function lstm(x: Tensor, inputWeight: Tensor, recurrentWeight: Tensor, bias: Tensor): Tensor {
  const [batch, steps, , hidden] = checkShapes('lstm', x, inputWeight, recurrentWeight, 4);
  const G = 4 * hidden;
  const projected = inputProjection(x, inputWeight, bias, G);
  const gates = new Float32Array(steps * batch * G); // activated i, f, g, o per [t][b]
  const hs = new Float32Array((steps + 1) * batch * hidden); // [t][b][h], t = 0 is the zero state
  const cs = new Float32Array((steps + 1) * batch * hidden);
  const tcs = new Float32Array(steps * batch * hidden); // tanh(c) per [t][b], reused backward
  const out = new Float32Array(batch * steps * hidden);
  const wh = recurrentWeight.data;
  const act = activations();
  for (let t = 0; t < steps; t++) {
    const z = gates.subarray(t * batch * G, (t + 1) * batch * G);
    for (let b = 0; b < batch; b++) z.set(projected.subarray((b * steps + t) * G, (b * steps + t + 1) * G), b * G);
    gemm(hs, t * batch * hidden, wh, 0, z, 0, batch, hidden, G, true);
    // Gate activations as whole blocks (sigmoid over i and f, tanh over g, sigmoid over o), in
    // WebAssembly SIMD when available: z goes into wasm memory once per step.
    if (act) {
      act.reserve(batch * G);
      act.view().set(z, 0);
      for (let b = 0; b < batch; b++) {
        const zb = b * G;
        act.sigmoidAt(zb, zb + 2 * hidden);
        act.tanhAt(zb + 2 * hidden, zb + 3 * hidden);
        act.sigmoidAt(zb + 3 * hidden, zb + G);
      }
      z.set(act.view().subarray(0, batch * G));
    } else {
      for (let b = 0; b < batch; b++) {
        const zb = b * G;
        sigmoidInPlace(z, zb, zb + 2 * hidden);
        tanhInto(z, zb + 2 * hidden, z, zb + 2 * hidden, hidden);
        sigmoidInPlace(z, zb + 3 * hidden, zb + G);
      }
    }
    const prev = t * batch * hidden;
    const next = prev + batch * hidden;
    for (let b = 0; b < batch; b++) {
      const zb = b * G;
      const cb = b * hidden;
      for (let j = 0; j < hidden; j++) {
        cs[next + cb + j] = (z[zb + hidden + j] as number) * (cs[prev + cb + j] as number) + (z[zb + j] as number) * (z[zb + 2 * hidden + j] as number);
      }
    }
    if (act) act.tanh(cs, next, tcs, prev, batch * hidden);
    else tanhInto(cs, next, tcs, prev, batch * hidden);
    for (let b = 0; b < batch; b++) {
      const zb = b * G;
      const cb = b * hidden;
      const ob = (b * steps + t) * hidden;
      for (let j = 0; j < hidden; j++) {
        const h = (z[zb + 3 * hidden + j] as number) * (tcs[prev + cb + j] as number);
        hs[next + cb + j] = h;
        out[ob + j] = h;
      }
    }
  }
  return result(out, [batch, steps, hidden], [x, inputWeight, recurrentWeight, bias], (grad) => {
    const dzAll = new Float32Array(steps * batch * G);
    const dh = new Float32Array(batch * hidden);
    const dc = new Float32Array(batch * hidden);
    const dhNext = new Float32Array(batch * hidden);
    // W_hᵀ once (not a transposition per step); dW_h as one product over all steps at the end.
    const whT = new Float32Array(G * hidden);
    transposeInto(wh, 0, hidden, G, whT);
    for (let t = steps - 1; t >= 0; t--) {
      const dz = dzAll.subarray(t * batch * G, (t + 1) * batch * G);
      for (let b = 0; b < batch; b++) {
        const zb = t * batch * G + b * G;
        const prev = t * batch * hidden + b * hidden;
        for (let j = 0; j < hidden; j++) {
          const k = b * hidden + j;
          const dhv = (grad[(b * steps + t) * hidden + j] as number) + (dhNext[k] as number);
          dh[k] = dhv;
          const i = gates[zb + j] as number;
          const f = gates[zb + hidden + j] as number;
          const g = gates[zb + 2 * hidden + j] as number;
          const o = gates[zb + 3 * hidden + j] as number;
          const tc = tcs[prev + j] as number;
          const dcv = (dc[k] as number) + dhv * o * (1 - tc * tc);
          const dzb = b * G;
          dz[dzb + j] = dcv * g * i * (1 - i);
          dz[dzb + hidden + j] = dcv * (cs[prev + j] as number) * f * (1 - f);
          dz[dzb + 2 * hidden + j] = dcv * i * (1 - g * g);
          dz[dzb + 3 * hidden + j] = dhv * tc * o * (1 - o);
          dc[k] = dcv * f;
        }
      }
      if (t > 0) gemm(dz, 0, whT, 0, dhNext, 0, batch, G, hidden, false);
    }
    // dW_h = Σ_t h_{t-1}ᵀ·dz_t: hs rows 0..T-1 against dz, both laid out [t][b].
    if (recurrentWeight.requiresGrad) gemmTN(hs, 0, dzAll, 0, recurrentWeight.ensureGrad(), 0, hidden, steps * batch, G, true);
    inputProjectionBackward(x, inputWeight, bias, dzAll, G);
  });
}

/** GRU over a whole sequence; returns every hidden state [B, T, H]. */
export function gru(x: Tensor, inputWeight: Tensor, recurrentWeight: Tensor, inputBias: Tensor, recurrentBias: Tensor): Tensor {
  const [batch, steps, , hidden] = checkShapes('gru', x, inputWeight, recurrentWeight, 3);
  const G = 3 * hidden;
  check(recurrentBias.size === G && inputBias.size === G, 'gru', `biases must have ${G} values`);
  const projected = inputProjection(x, inputWeight, inputBias, G);
  const gates = new Float32Array(steps * batch * G); // r, z, n (activated) per [t][b]
  const hn = new Float32Array(steps * batch * hidden); // h·U_n + c_n
  const hs = new Float32Array((steps + 1) * batch * hidden);
  const hg = new Float32Array(batch * G);
  const out = new Float32Array(batch * steps * hidden);
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < batch; b++) hg.set(recurrentBias.data, b * G);
    gemm(hs, t * batch * hidden, recurrentWeight.data, 0, hg, 0, batch, hidden, G, true);
    for (let b = 0; b < batch; b++) {
      const xb = (b * steps + t) * G;
      const zb = t * batch * G + b * G;
      const prev = t * batch * hidden + b * hidden;
      const next = prev + batch * hidden;
      // r and z as one sigmoid block, then n as one tanh block, written straight into gates.
      for (let j = 0; j < 2 * hidden; j++) gates[zb + j] = (projected[xb + j] as number) + (hg[b * G + j] as number);
      sigmoidInPlace(gates, zb, zb + 2 * hidden);
      const hb = t * batch * hidden + b * hidden;
      for (let j = 0; j < hidden; j++) {
        const hnv = hg[b * G + 2 * hidden + j] as number;
        hn[hb + j] = hnv;
        gates[zb + 2 * hidden + j] = (projected[xb + 2 * hidden + j] as number) + (gates[zb + j] as number) * hnv;
      }
      tanhInto(gates, zb + 2 * hidden, gates, zb + 2 * hidden, hidden);
      const ob = (b * steps + t) * hidden;
      for (let j = 0; j < hidden; j++) {
        const z = gates[zb + hidden + j] as number;
        const h = (1 - z) * (gates[zb + 2 * hidden + j] as number) + z * (hs[prev + j] as number);
        hs[next + j] = h;
        out[ob + j] = h;
      }
    }
  }
  return result(out, [batch, steps, hidden], [x, inputWeight, recurrentWeight, inputBias, recurrentBias], (grad) => {
    const dxAll = new Float32Array(steps * batch * G);
    const dhgAll = new Float32Array(steps * batch * G);
    const dhNext = new Float32Array(batch * hidden);
    const gc = recurrentBias.requiresGrad ? recurrentBias.ensureGrad() : null;
    const uT = new Float32Array(G * hidden);
    transposeInto(recurrentWeight.data, 0, hidden, G, uT);
    for (let t = steps - 1; t >= 0; t--) {
      const dhg = dhgAll.subarray(t * batch * G, (t + 1) * batch * G);
      for (let b = 0; b < batch; b++) {
        const zb = t * batch * G + b * G;
        const prev = t * batch * hidden + b * hidden;
        for (let j = 0; j < hidden; j++) {
          const k = b * hidden + j;
          const dh = (grad[(b * steps + t) * hidden + j] as number) + (dhNext[k] as number);
          const r = gates[zb + j] as number;
          const z = gates[zb + hidden + j] as number;
          const n = gates[zb + 2 * hidden + j] as number;
          const hp = hs[prev + j] as number;
          const dan = dh * (1 - z) * (1 - n * n);
          const dar = dan * (hn[prev + j] as number) * r * (1 - r);
          const daz = dh * (hp - n) * z * (1 - z);
          dxAll[zb + j] = dar;
          dxAll[zb + hidden + j] = daz;
          dxAll[zb + 2 * hidden + j] = dan;
          dhg[b * G + j] = dar;
          dhg[b * G + hidden + j] = daz;
          dhg[b * G + 2 * hidden + j] = dan * r;
          dhNext[k] = dh * z;
        }
      }
      gemm(dhg, 0, uT, 0, dhNext, 0, batch, G, hidden, true);
      if (gc) for (let b = 0; b < batch; b++) for (let j = 0; j < G; j++) gc[j] += dhg[b * G + j] as number;
    }
    if (recurrentWeight.requiresGrad) gemmTN(hs, 0, dhgAll, 0, recurrentWeight.ensureGrad(), 0, hidden, steps * batch, G, true);
    inputProjectionBackward(x, inputWeight, inputBias, dxAll, G);
  });
}
