/**
 * The one WebAssembly builder of Cajal: the hand-written SIMD kernels of `formats` (EDF decode),
 * `signal` (FFT), `sim` (neuron updates and spike scatters, generated at run time from the model)
 * and `nn` (gemm, pooling, activations, Adam) emit their modules through it, as bytes at run time,
 * so no toolchain or binary file ships. Hand-written: the kernels need a few dozen instructions
 * and run-time generation (sim), which no well-kept small JavaScript library offers without a
 * text-format parser or a toolchain in the browser.
 *
 * A module has types (deduplicated in order of first use), an imported or own memory, globals,
 * functions and exports, written in the specification's section order. A function has named,
 * typed locals (`f.local('i32')`, allocated in order; runs of one type share a declaration),
 * structured control with labels (`f.block`, `f.loop`, `f.if`; `br(label)` / `brIf(label)`
 * resolve the depth) and instructions from the typed tables below (`i32.add`, `f64x2.mul`,
 * `v128.load(offset, align)`, ...). Misuse throws `CajalError('INVALID_ARGUMENT')` with
 * `location.field` `'local'`, `'label'` or `'block'`.
 *
 * @example
 *   const m = new WasmModuleBuilder();
 *   m.memory({ initial: 1 });
 *   const f = m.function({ params: ['i32', 'i32'], results: ['f64'] }); // sum(p, end) of float64s
 *   const [p, end] = f.params as [WasmLocal, WasmLocal];
 *   const sum = f.local('f64');
 *   f.block((done) => f.loop((next) => {
 *     f.emit(localGet(p), localGet(end), i32.geU, brIf(done));
 *     f.emit(localGet(sum), localGet(p), f64.load(), f64.add, localSet(sum));
 *     f.emit(localGet(p), i32.const(8), i32.add, localSet(p), br(next));
 *   }));
 *   f.emit(localGet(sum));
 *   m.exportFunction('sum', f).exportMemory('memory');
 *   const bytes = m.bytes();                                           // WebAssembly.validate(bytes)
 */
import { CajalError } from './errors.ts';
import { signedLeb, unsignedLeb } from './wasm-bytes.ts';

/** The value types the kernels use. */
export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const TYPE_CODE: Record<ValueType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };
const END = 0x0b;

/** A parameter or local of one function (from `WasmFunctionBuilder.params` or `.local(type)`). */
export class WasmLocal {
  /** @internal */
  constructor(readonly owner: WasmFunctionBuilder, readonly index: number, readonly type: ValueType) {}
}

/** An open `block`, `loop` or `if` of one function; a branch to a loop goes to its start, to the others to their end. */
export class WasmLabel {
  /** @internal */
  constructor(readonly owner: WasmFunctionBuilder, readonly kind: 'block' | 'loop' | 'if') {}
}

/** A global of one module (from `WasmModuleBuilder.global`). */
export class WasmGlobal {
  /** @internal */
  constructor(readonly owner: WasmModuleBuilder, readonly index: number, readonly type: ValueType) {}
}

/** `local.get` / `local.set` / `local.tee` of a local, resolved to its index when emitted. */
export interface LocalAccess { readonly access: 'local'; readonly opcode: number; readonly local: WasmLocal }
/** `br` / `br_if` to a label, resolved to its depth when emitted. */
export interface Branch { readonly access: 'branch'; readonly opcode: number; readonly label: WasmLabel }
/** `global.get` of a global. */
export interface GlobalAccess { readonly access: 'global'; readonly opcode: number; readonly global: WasmGlobal }

/** What `emit` takes: an opcode byte, an encoded instruction, or a local, branch or global reference. */
export type Instruction = number | readonly number[] | LocalAccess | Branch | GlobalAccess;

/** `local.get local`. */
export const localGet = (local: WasmLocal): LocalAccess => ({ access: 'local', opcode: 0x20, local });
/** `local.set local`. */
export const localSet = (local: WasmLocal): LocalAccess => ({ access: 'local', opcode: 0x21, local });
/** `local.tee local`. */
export const localTee = (local: WasmLocal): LocalAccess => ({ access: 'local', opcode: 0x22, local });
/** `global.get global`. */
export const globalGet = (global: WasmGlobal): GlobalAccess => ({ access: 'global', opcode: 0x23, global });
/** `br label`: to the start of a loop, past the end of a block or if. */
export const br = (label: WasmLabel): Branch => ({ access: 'branch', opcode: 0x0c, label });
/** `br_if label` (pops an i32 condition). */
export const brIf = (label: WasmLabel): Branch => ({ access: 'branch', opcode: 0x0d, label });

const misuse = (field: 'local' | 'label' | 'block', message: string): CajalError => new CajalError('INVALID_ARGUMENT', `WebAssembly builder: ${message}`, { field });

/** A length-prefixed UTF-8 name (imports, exports). */
function encodeName(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsignedLeb(bytes.length), ...bytes];
}

/** A vector: element count, then the elements. */
const vector = (items: number[][]): number[] => [...unsignedLeb(items.length), ...items.flat()];

/** The body of one function: its locals, instructions and control stack. */
export class WasmFunctionBuilder {
  /** The parameters, locals 0 to params.length − 1. */
  readonly params: readonly WasmLocal[];
  private readonly localTypes: ValueType[] = [];
  private code: number[] = [];
  private readonly open: WasmLabel[] = [];

  /** @internal Use `WasmModuleBuilder.function`. */
  constructor(readonly index: number, readonly typeIndex: number, params: readonly ValueType[]) {
    this.params = params.map((type, i) => new WasmLocal(this, i, type));
  }

  /** A new local of `type` (index after the parameters and the locals before it). */
  local(type: ValueType): WasmLocal {
    this.localTypes.push(type);
    return new WasmLocal(this, this.params.length + this.localTypes.length - 1, type);
  }

  /** `count` new locals of `type`, in order: `const [x, y] = f.locals('v128', 2)`. */
  locals(type: ValueType, count: number): WasmLocal[] {
    return Array.from({ length: count }, () => this.local(type));
  }

  /** Append instructions, resolving locals, labels and globals. */
  emit(...parts: Instruction[]): this {
    this.encodeInto(this.code, parts);
    return this;
  }

  /**
   * Put instructions before everything emitted so far, outside any block (sim sets its constant
   * locals from globals it discovers while generating the body).
   */
  prepend(...parts: Instruction[]): this {
    const head: number[] = [];
    const open = this.open.splice(0);
    try {
      this.encodeInto(head, parts);
    } finally {
      this.open.push(...open);
    }
    this.code = [...head, ...this.code];
    return this;
  }

  /** Open a `block` (empty block type); with `body`, run it and close the block. Returns its label. */
  block(body?: (label: WasmLabel) => void): WasmLabel {
    return this.structure('block', 0x02, body);
  }

  /** Open a `loop`: a branch to its label goes back to the start. */
  loop(body?: (label: WasmLabel) => void): WasmLabel {
    return this.structure('loop', 0x03, body);
  }

  /** Open an `if` (pops an i32 condition; no else arm). */
  if(body?: (label: WasmLabel) => void): WasmLabel {
    return this.structure('if', 0x04, body);
  }

  /** Close the innermost open block (which must be `label` when given). */
  end(label?: WasmLabel): this {
    const innermost = this.open[this.open.length - 1];
    if (!innermost) throw misuse('block', 'end() with no block open');
    if (label && label !== innermost) throw misuse('block', `end() of a ${label.kind} that is not the innermost open block`);
    this.open.pop();
    this.code.push(END);
    return this;
  }

  /** @internal The code-section entry: byte size, local declarations, code, end. */
  encode(): number[] {
    if (this.open.length > 0) throw misuse('block', `function ${this.index} ends with ${this.open.length} block(s) still open`);
    const runs: number[][] = [];
    let i = 0;
    while (i < this.localTypes.length) {
      let j = i;
      while (j < this.localTypes.length && this.localTypes[j] === this.localTypes[i]) j++;
      runs.push([...unsignedLeb(j - i), TYPE_CODE[this.localTypes[i] as ValueType]]);
      i = j;
    }
    const body = [...vector(runs), ...this.code, END];
    return [...unsignedLeb(body.length), ...body];
  }

  private structure(kind: WasmLabel['kind'], opcode: number, body?: (label: WasmLabel) => void): WasmLabel {
    const label = new WasmLabel(this, kind);
    this.code.push(opcode, 0x40);
    this.open.push(label);
    if (body) {
      body(label);
      this.end(label);
    }
    return label;
  }

  private encodeInto(out: number[], parts: readonly Instruction[]): void {
    for (const part of parts) {
      if (typeof part === 'number') out.push(part);
      else if (Array.isArray(part)) {
        for (const byte of part as readonly number[]) out.push(byte);
      } else {
        const reference = part as LocalAccess | Branch | GlobalAccess;
        if (reference.access === 'local') {
          const local = reference.local;
          if (local.owner !== this || local.index >= this.params.length + this.localTypes.length) throw misuse('local', `local ${local.index} does not belong to function ${this.index}`);
          out.push(reference.opcode, ...unsignedLeb(local.index));
        } else if (reference.access === 'branch') {
          const at = this.open.lastIndexOf(reference.label);
          if (at < 0) throw misuse('label', `branch to a ${reference.label.kind} that is not open`);
          out.push(reference.opcode, ...unsignedLeb(this.open.length - 1 - at));
        } else out.push(reference.opcode, ...unsignedLeb(reference.global.index));
      }
    }
  }
}

/** Memory limits in 64 KiB pages; a shared memory needs `maximum`. */
export interface MemoryLimits { initial: number; maximum?: number; shared?: boolean }

const encodeLimits = (limits: MemoryLimits): number[] => [
  (limits.maximum === undefined ? 0 : 1) | (limits.shared ? 2 : 0),
  ...unsignedLeb(limits.initial),
  ...(limits.maximum === undefined ? [] : unsignedLeb(limits.maximum)),
];

/** A module being assembled; `bytes()` encodes it (WebAssembly core specification, section 5). */
export class WasmModuleBuilder {
  private readonly types: string[] = [];
  private readonly typeBytes: number[][] = [];
  private readonly imports: number[][] = [];
  private readonly functions: WasmFunctionBuilder[] = [];
  private readonly memories: number[][] = [];
  private readonly globals: number[][] = [];
  private readonly exports: number[][] = [];

  /** Import a memory (memory 0), e.g. `importMemory('env', 'memory', { initial: 0 })`. */
  importMemory(module: string, name: string, limits: MemoryLimits): this {
    this.imports.push([...encodeName(module), ...encodeName(name), 0x02, ...encodeLimits(limits)]);
    return this;
  }

  /** Define the module's own memory (memory 0). */
  memory(limits: MemoryLimits): this {
    this.memories.push(encodeLimits(limits));
    return this;
  }

  /** A global initialised by a constant instruction, e.g. `global('v128', v128.const(...), true)`. */
  global(type: ValueType, init: readonly number[], mutable = false): WasmGlobal {
    this.globals.push([TYPE_CODE[type], mutable ? 1 : 0, ...init, END]);
    return new WasmGlobal(this, this.globals.length - 1, type);
  }

  /** A new function of this signature (its type shared with earlier functions of the same one). */
  function(signature: { params: readonly ValueType[]; results?: readonly ValueType[] }): WasmFunctionBuilder {
    const encoded = [0x60, ...vector(signature.params.map((t) => [TYPE_CODE[t]])), ...vector((signature.results ?? []).map((t) => [TYPE_CODE[t]]))];
    const key = encoded.join(',');
    let typeIndex = this.types.indexOf(key);
    if (typeIndex < 0) {
      typeIndex = this.types.push(key) - 1;
      this.typeBytes.push(encoded);
    }
    const f = new WasmFunctionBuilder(this.functions.length, typeIndex, signature.params);
    this.functions.push(f);
    return f;
  }

  /** Export a function under `name` (exports are written in the order of these calls). */
  exportFunction(name: string, f: WasmFunctionBuilder): this {
    this.exports.push([...encodeName(name), 0x00, ...unsignedLeb(f.index)]);
    return this;
  }

  /** Export memory 0 under `name`. */
  exportMemory(name: string): this {
    this.exports.push([...encodeName(name), 0x02, 0]);
    return this;
  }

  /** The module's bytes; empty sections are left out. */
  bytes(): Uint8Array<ArrayBuffer> {
    const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, items: number[][], body = vector(items)): void => {
      if (items.length === 0) return;
      out.push(id, ...unsignedLeb(body.length), ...body);
    };
    section(1, this.typeBytes);
    section(2, this.imports);
    section(3, this.functions.map((f) => unsignedLeb(f.typeIndex)));
    section(5, this.memories);
    section(6, this.globals);
    section(7, this.exports);
    section(10, this.functions.map((f) => f.encode()));
    return new Uint8Array(out);
  }
}

/*
 * The typed instruction tables: opcodes as in the specification (section 5.4; SIMD opcodes follow
 * the 0xfd prefix). Only what some kernel uses is named; add names here, never opcodes in a kernel.
 */

/** A SIMD instruction without immediates (after the 0xfd prefix). */
const simd = (opcode: number): readonly number[] => [0xfd, ...unsignedLeb(opcode)];
/** A memory instruction: opcode bytes, alignment exponent, offset. */
const memory = (opcode: readonly number[], align: number, offset: number): readonly number[] => [...opcode, align, ...unsignedLeb(offset)];
const bytesOf = (values: Float32Array | Float64Array | Int32Array | Uint8Array): number[] => [...new Uint8Array(values.buffer, values.byteOffset, values.byteLength)];

/** `drop`. */
export const drop: readonly number[] = [0x1a];

/** i32 instructions; loads and stores take a byte offset and log2 of the alignment (natural by default). */
export const i32 = {
  const: (value: number): readonly number[] => [0x41, ...signedLeb(value)],
  eqz: [0x45], ltS: [0x48], gtU: [0x4b], geS: [0x4e], geU: [0x4f],
  add: [0x6a], sub: [0x6b], mul: [0x6c], and: [0x71], shl: [0x74], shrU: [0x76],
  load: (offset = 0, align = 2) => memory([0x28], align, offset),
  load16S: (offset = 0, align = 1) => memory([0x2e], align, offset),
  store: (offset = 0, align = 2) => memory([0x36], align, offset),
} as const;

/** i64 instructions. */
export const i64 = { extendI32S: [0xac] } as const;

/** f32 instructions; `f32.const(x)` rounds x to float32. */
export const f32 = {
  const: (value: number): readonly number[] => [0x43, ...bytesOf(Float32Array.of(value))],
  add: [0x92], sub: [0x93], demoteF64: [0xb6],
  load: (offset = 0, align = 2) => memory([0x2a], align, offset),
  store: (offset = 0, align = 2) => memory([0x38], align, offset),
} as const;

/** f64 instructions. */
export const f64 = {
  const: (value: number): readonly number[] => [0x44, ...bytesOf(Float64Array.of(value))],
  add: [0xa0], sub: [0xa1], mul: [0xa2], convertI32S: [0xb7],
  load: (offset = 0, align = 3) => memory([0x2b], align, offset),
  store: (offset = 0, align = 3) => memory([0x39], align, offset),
} as const;

/** v128 instructions: loads and stores (offset, log2 alignment), constants and bitwise operations. */
export const v128 = {
  /** `v128.const` holding the first 16 bytes of `values` (e.g. `Float32Array.of(x, x, x, x)`). */
  const: (values: Float32Array | Float64Array | Int32Array | Uint8Array): readonly number[] => [0xfd, 0x0c, ...bytesOf(values).slice(0, 16)],
  load: (offset = 0, align = 4) => memory(simd(0x00), align, offset),
  store: (offset = 0, align = 4) => memory(simd(0x0b), align, offset),
  load16x4S: (offset = 0, align = 3) => memory(simd(0x03), align, offset),
  load32x2S: (offset = 0, align = 3) => memory(simd(0x05), align, offset),
  load32Splat: (offset = 0, align = 2) => memory(simd(0x09), align, offset),
  load64Splat: (offset = 0, align = 3) => memory(simd(0x0a), align, offset),
  /** `v128.store64_lane`: stores lane `lane` (0 or 1) of the i64x2 view. */
  store64Lane: (lane: number, offset = 0, align = 3): readonly number[] => [...memory(simd(0x5b), align, offset), lane],
  not: simd(0x4d), and: simd(0x4e), andNot: simd(0x4f), or: simd(0x50), xor: simd(0x51),
  bitselect: simd(0x52),
} as const;

/** `i8x16.shuffle` with its 16 lane indexes (0–15 first operand, 16–31 second). */
export const i8x16 = { shuffle: (lanes: readonly number[]): readonly number[] => [0xfd, 0x0d, ...lanes] } as const;

/** i32x4 instructions. */
export const i32x4 = {
  splat: simd(0x11), eq: simd(0x37), ltS: simd(0x39), add: simd(0xae), shl: simd(0xab),
  bitmask: simd(0xa4), truncSatF32x4S: simd(0xf8),
} as const;

/** i64x2 instructions. */
export const i64x2 = { splat: simd(0x12), ltS: simd(0xd8), bitmask: simd(0xc4) } as const;

/** f32x4 instructions (`relaxedMadd` needs relaxed SIMD: a·b + c, fused where the hardware has FMA). */
export const f32x4 = {
  splat: simd(0x13),
  eq: simd(0x41), ne: simd(0x42), lt: simd(0x43), gt: simd(0x44), le: simd(0x45), ge: simd(0x46),
  abs: simd(0xe0), neg: simd(0xe1), sqrt: simd(0xe3), nearest: simd(0x6a),
  add: simd(0xe4), sub: simd(0xe5), mul: simd(0xe6), div: simd(0xe7), min: simd(0xe8), max: simd(0xe9),
  relaxedMadd: simd(0x105), demoteF64x2Zero: simd(0x5e),
} as const;

/** f64x2 instructions. */
export const f64x2 = {
  splat: simd(0x14),
  /** `f64x2.replace_lane lane`. */
  replaceLane: (lane: number): readonly number[] => [...simd(0x22), lane],
  eq: simd(0x47), ne: simd(0x48), lt: simd(0x49), gt: simd(0x4a), le: simd(0x4b), ge: simd(0x4c),
  abs: simd(0xec), neg: simd(0xed), sqrt: simd(0xef),
  add: simd(0xf0), sub: simd(0xf1), mul: simd(0xf2), div: simd(0xf3),
  convertLowI32x4S: simd(0xfe), promoteLowF32x4: simd(0x5f),
} as const;
