import type { NeuronModelDescription } from './equations.ts';

/**
 * The neuron model library. Each function returns a plain `NeuronModelDescription` (data you
 * can edit, serialise, or pass to a group); parameters have units and can be overridden.
 *
 * @example
 *   const group = { name: 'E', size: 100, model: lifConductance({ parameters: { tau_e: '3*ms' } }) };
 */
export interface ModelOverrides {
  parameters?: Record<string, string | number>;
  method?: NeuronModelDescription['method'];
  refractory?: string | number;
}

function withOverrides(model: NeuronModelDescription, overrides: ModelOverrides = {}): NeuronModelDescription {
  return {
    ...model,
    parameters: { ...model.parameters, ...overrides.parameters },
    ...(overrides.method ? { method: overrides.method } : {}),
    ...(overrides.refractory !== undefined ? { refractory: overrides.refractory } : {}),
  };
}

/** Leaky integrate-and-fire, current input I (amp, per neuron): exact integration. */
export function lifCurrent(overrides?: ModelOverrides): NeuronModelDescription {
  return withOverrides({
    equations: 'dv/dt = (El - v + R*I) / tau : volt (unless refractory)\nI : amp',
    threshold: 'v > Vt', reset: 'v = Vr', refractory: '2*ms', method: 'exact',
    parameters: { El: '-70*mV', Vt: '-50*mV', Vr: '-70*mV', tau: '20*ms', R: '100*Mohm' },
  }, overrides);
}

/** Conductance-based LIF with exponential excitatory (ge) and inhibitory (gi) conductances in siemens. */
export function lifConductance(overrides?: ModelOverrides): NeuronModelDescription {
  return withOverrides({
    equations: [
      'dv/dt = (gl*(El - v) + ge*(Ee - v) + gi*(Ei - v) + I) / C : volt (unless refractory)',
      'dge/dt = -ge / tau_e : siemens',
      'dgi/dt = -gi / tau_i : siemens',
      'I : amp',
    ].join('\n'),
    threshold: 'v > Vt', reset: 'v = Vr', refractory: '5*ms', method: 'euler',
    parameters: { C: '200*pF', gl: '10*nS', El: '-60*mV', Ee: '0*mV', Ei: '-80*mV', Vt: '-50*mV', Vr: '-60*mV', tau_e: '5*ms', tau_i: '10*ms' },
  }, overrides);
}

/**
 * Synaptic kernels as equation lines to add to a model: the postsynaptic variable `g` (what
 * on_pre increments) follows an instantaneous jump (none: add to v directly), an exponential
 * decay, or an alpha function (g driven by a helper `g_rise`; increment `g_rise_post`).
 *
 * @example
 *   synapticKernel('alpha', 'ge', '5*ms', 'siemens') // "dge/dt = (ge_rise - ge)/tau_ge : siemens\ndge_rise/dt = -ge_rise/tau_ge : siemens"
 */
export function synapticKernel(kind: 'exponential' | 'alpha', variable: string, tau: string, unit: string): { equations: string; parameters: Record<string, string> } {
  const tauName = `tau_${variable}`;
  if (kind === 'exponential') return { equations: `d${variable}/dt = -${variable} / ${tauName} : ${unit}`, parameters: { [tauName]: tau } };
  return {
    equations: `d${variable}/dt = (${variable}_rise - ${variable}) / ${tauName} : ${unit}\nd${variable}_rise/dt = -${variable}_rise / ${tauName} : ${unit}`,
    parameters: { [tauName]: tau },
  };
}

/** Izhikevich (2003) firing-pattern presets: a, b, c (mV), d. */
export const izhikevichPresets = {
  regular_spiking: { a: 0.02, b: 0.2, c: -65, d: 8 },
  intrinsically_bursting: { a: 0.02, b: 0.2, c: -55, d: 4 },
  chattering: { a: 0.02, b: 0.2, c: -50, d: 2 },
  fast_spiking: { a: 0.1, b: 0.2, c: -65, d: 2 },
  low_threshold_spiking: { a: 0.02, b: 0.25, c: -65, d: 2 },
} as const;

/**
 * Izhikevich (2003) simple model, dimensionless v (mV) and u, time in ms; a, b, c, d and the
 * input I are per-neuron values (set them in the group's `initial`).
 */
export function izhikevich(overrides?: ModelOverrides): NeuronModelDescription {
  return withOverrides({
    equations: [
      'dv/dt = (0.04*v**2 + 5*v + 140 - u + I) / ms : 1',
      'du/dt = a*(b*v - u) / ms : 1',
      'I : 1', 'a : 1', 'b : 1', 'c : 1', 'd : 1',
    ].join('\n'),
    threshold: 'v >= 30', reset: 'v = c; u += d', method: 'euler', parameters: {},
  }, overrides);
}

/** Adaptive exponential integrate-and-fire (Brette & Gerstner 2005), their Fig. 2 parameters. */
export function adaptiveExponential(overrides?: ModelOverrides): NeuronModelDescription {
  return withOverrides({
    equations: [
      'dv/dt = (gl*(El - v) + gl*DeltaT*exp((v - VT)/DeltaT) - w + I) / C : volt',
      'dw/dt = (a*(v - El) - w) / tau_w : amp',
      'I : amp',
    ].join('\n'),
    threshold: 'v > Vcut', reset: 'v = Vr; w += b', method: 'euler',
    parameters: { C: '281*pF', gl: '30*nS', El: '-70.6*mV', VT: '-50.4*mV', DeltaT: '2*mV', tau_w: '144*ms', a: '4*nS', b: '0.0805*nA', Vr: '-70.6*mV', Vcut: '-30.4*mV' },
  }, overrides);
}

/**
 * Hodgkin-Huxley type neuron (Traub & Miles 1991 kinetics, as in Brette et al. 2007's COBAHH),
 * exponential Euler. Area 20000 um^2.
 */
export function hodgkinHuxley(overrides?: ModelOverrides): NeuronModelDescription {
  return withOverrides({
    equations: [
      'dv/dt = (gl*(El - v) - g_na*(m*m*m)*h*(v - ENa) - g_kd*(n*n*n*n)*(v - EK) + I) / Cm : volt',
      'dm/dt = 0.32*(mV**-1)*(13*mV - v + VT)/(exp((13*mV - v + VT)/(4*mV)) - 1)/ms*(1 - m) - 0.28*(mV**-1)*(v - VT - 40*mV)/(exp((v - VT - 40*mV)/(5*mV)) - 1)/ms*m : 1',
      'dn/dt = 0.032*(mV**-1)*(15*mV - v + VT)/(exp((15*mV - v + VT)/(5*mV)) - 1)/ms*(1 - n) - 0.5*exp((10*mV - v + VT)/(40*mV))/ms*n : 1',
      'dh/dt = 0.128*exp((17*mV - v + VT)/(18*mV))/ms*(1 - h) - 4/(1 + exp((40*mV - v + VT)/(5*mV)))/ms*h : 1',
      'I : amp',
    ].join('\n'),
    threshold: 'v > -20*mV', refractory: '3*ms', method: 'exponential_euler',
    parameters: {
      area: '20000*umetre**2', Cm: '1*uF/cm**2 * area', gl: '5e-5*siemens/cm**2 * area', El: '-60*mV', EK: '-90*mV', ENa: '50*mV',
      g_na: '100*msiemens/cm**2 * area', g_kd: '30*msiemens/cm**2 * area', VT: '-63*mV',
    },
  }, overrides);
}
