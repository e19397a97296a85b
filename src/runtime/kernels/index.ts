/**
 * Layerlab's kernels for the wasm backend: gradients stock tfjs-backend-wasm 4.22 lacks (so Conv2D and
 * DepthwiseConv2D cannot train there) or computes slowly, and two forward kernels a training profile showed
 * slow (transposed matrix products, bias-gradient sums). Each is a composition of kernels wasm already has
 * (mostly XNNPACK's forward convolutions and matrix multiply), or one JavaScript pass over the wasm heap
 * (MaxPoolGrad), and is tested against the cpu backend (tests/unit/kernels.test.ts).
 *
 * `registerWasmKernels(tf)` replaces tfjs's registration for backend 'wasm' (unregistering the stock kernel
 * first where there is one) and is idempotent; `unregisterWasmKernels(tf)` restores the stock set (for
 * benchmarks and tests). Neither needs the wasm backend to be initialised (kernels are looked up when called),
 * but both must run after `@tensorflow/tfjs-backend-wasm` has been imported (it registers the stock kernels).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../buildModel';
import { batchMatMulWasm } from './batchMatMul';
import { conv2dBackpropFilterWasm } from './conv2dBackpropFilter';
import { conv2dBackpropInputWasm } from './conv2dBackpropInput';
import { depthwiseBackpropFilterWasm, depthwiseBackpropInputWasm } from './depthwiseConv2dBackprop';
import { maxPoolGradWasm } from './maxPoolGrad';
import { sumWasm } from './sum';
import { unsortedSegmentSumWasm } from './unsortedSegmentSum';

/** The stock wasm kernel function of a name, as registered before ours (throws when there is none). */
type StockOf = (name: string) => tfjs.KernelFunc;

/** A kernel of ours: its tfjs name and a factory of its kernel function. */
interface OurKernel {
  readonly name: string;
  readonly make: (tf: TF, stock: StockOf) => (args: never) => tfjs.TensorInfo;
}

/** The kernels registered, by tfjs kernel name. */
export const WASM_KERNELS: readonly OurKernel[] = [
  { name: 'Conv2DBackpropFilter', make: (tf) => conv2dBackpropFilterWasm(tf) },
  { name: 'Conv2DBackpropInput', make: (tf) => conv2dBackpropInputWasm(tf) },
  { name: 'MaxPoolGrad', make: (tf) => maxPoolGradWasm(tf) },
  { name: 'DepthwiseConv2dNativeBackpropFilter', make: (tf) => depthwiseBackpropFilterWasm(tf) },
  { name: 'DepthwiseConv2dNativeBackpropInput', make: (tf) => depthwiseBackpropInputWasm(tf) },
  { name: 'BatchMatMul', make: (tf, stock) => batchMatMulWasm(tf, stock('BatchMatMul')) },
  { name: 'Sum', make: (tf, stock) => sumWasm(tf, stock('Sum')) },
  { name: 'UnsortedSegmentSum', make: () => unsortedSegmentSumWasm() },
];

/** Names of the kernels Layerlab registers for 'wasm' (the same list as names.ts). */
export const WASM_KERNEL_NAMES: readonly string[] = WASM_KERNELS.map((k) => k.name);

/** Marks our kernel functions, so a second registration (even through another tfjs module object sharing the
 *  same kernel registry) is recognised and never saves one of ours as "stock". */
const OURS = Symbol.for('layerlab.wasmKernel');
const isOurs = (config: tfjs.KernelConfig | undefined): boolean => !!config && (config.kernelFunc as unknown as Record<symbol, unknown>)[OURS] === true;

/** The stock configs we replaced (undefined = there was none), while ours are registered. tfjs's kernel
 *  registry is global to the tfjs-core module, so this is too. */
let replaced: Map<string, tfjs.KernelConfig | undefined> | null = null;

/** True when Layerlab's kernels are registered for 'wasm'. */
export const wasmKernelsRegistered = (tf: TF): boolean => isOurs(tf.getKernel(WASM_KERNELS[0].name, 'wasm'));

/**
 * Registers Layerlab's wasm kernels in tfjs's kernel registry (idempotent). Call before training on wasm;
 * it is safe before or after `setBackend('wasm')`.
 * @returns the names of the kernels registered.
 * @throws Error when the stock wasm kernels a replacement wraps (BatchMatMul, Sum) are not registered
 *   (tfjs-backend-wasm not imported).
 */
export function registerWasmKernels(tf: TF): readonly string[] {
  if (wasmKernelsRegistered(tf)) return WASM_KERNEL_NAMES;
  const saved = new Map<string, tfjs.KernelConfig | undefined>();
  for (const k of WASM_KERNELS) saved.set(k.name, tf.getKernel(k.name, 'wasm'));
  const stock: StockOf = (name) => {
    const config = saved.has(name) ? saved.get(name) : tf.getKernel(name, 'wasm');
    if (!config) throw new Error(`The stock wasm kernel '${name}' is not registered: import '@tensorflow/tfjs-backend-wasm' first.`);
    return config.kernelFunc;
  };
  const made = WASM_KERNELS.map((k) => ({ name: k.name, fn: k.make(tf, stock) }));
  for (const { name, fn } of made) {
    Object.defineProperty(fn, OURS, { value: true });
    const old = saved.get(name);
    if (old) tf.unregisterKernel(name, 'wasm');
    // Keep the stock setup (it binds the wasm function the stock kernel calls, when the backend initialises):
    // our BatchMatMul and Sum call the stock kernels.
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: fn as unknown as tfjs.KernelFunc,
      ...(old?.setupFunc ? { setupFunc: old.setupFunc } : {}),
    });
  }
  replaced = saved;
  return WASM_KERNEL_NAMES;
}

/** Restores the stock wasm kernels' registration (no-op when ours are not registered). */
export function unregisterWasmKernels(tf: TF): void {
  if (!replaced || !wasmKernelsRegistered(tf)) return;
  for (const [name, stock] of replaced) {
    tf.unregisterKernel(name, 'wasm');
    if (stock) tf.registerKernel(stock);
  }
  replaced = null;
}
