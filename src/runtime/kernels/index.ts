/**
 * Layerlab's kernels for the wasm backend: gradients stock tfjs-backend-wasm 4.22 lacks (so Conv2D and
 * DepthwiseConv2D cannot train there) or computes slowly. Each is a composition of kernels wasm already has
 * (mostly XNNPACK's forward convolutions) and is tested against the cpu backend (tests/unit/kernels*.test.ts).
 *
 * `registerWasmKernels(tf)` replaces tfjs's registration for backend 'wasm' (unregistering the stock kernel
 * first where there is one) and is idempotent; `unregisterWasmKernels(tf)` restores the stock set (for
 * benchmarks and tests). Neither needs the wasm backend to be initialised: kernels are looked up at call time.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../buildModel';
import { conv2dBackpropFilterWasm } from './conv2dBackpropFilter';
import { conv2dBackpropInputWasm } from './conv2dBackpropInput';
import { maxPoolGradWasm } from './maxPoolGrad';

/** A kernel of ours: its tfjs name and a factory of its kernel function. */
interface OurKernel {
  readonly name: string;
  readonly make: (tf: TF) => (args: never) => tfjs.TensorInfo;
}

/** The kernels registered, by tfjs kernel name. */
export const WASM_KERNELS: readonly OurKernel[] = [
  { name: 'Conv2DBackpropFilter', make: conv2dBackpropFilterWasm },
  { name: 'Conv2DBackpropInput', make: conv2dBackpropInputWasm },
  { name: 'MaxPoolGrad', make: maxPoolGradWasm },
];

/** Names of the kernels Layerlab registers for 'wasm'. */
export const WASM_KERNEL_NAMES: readonly string[] = WASM_KERNELS.map((k) => k.name);

/** Per tfjs module: the stock configs we replaced (undefined = there was none), to restore them. */
const replaced = new WeakMap<object, Map<string, tfjs.KernelConfig | undefined>>();

/** True when Layerlab's kernels are registered for 'wasm' in this tfjs module. */
export const wasmKernelsRegistered = (tf: TF): boolean => replaced.has(tf);

/**
 * Registers Layerlab's wasm kernels in `tf`'s kernel registry (idempotent). Call before training on wasm;
 * it is safe before or after `setBackend('wasm')`.
 * @returns the names of the kernels registered.
 */
export function registerWasmKernels(tf: TF): readonly string[] {
  if (replaced.has(tf)) return WASM_KERNEL_NAMES;
  const saved = new Map<string, tfjs.KernelConfig | undefined>();
  for (const k of WASM_KERNELS) {
    const stock = tf.getKernel(k.name, 'wasm');
    saved.set(k.name, stock);
    if (stock) tf.unregisterKernel(k.name, 'wasm');
    tf.registerKernel({ kernelName: k.name, backendName: 'wasm', kernelFunc: k.make(tf) as unknown as tfjs.KernelFunc });
  }
  replaced.set(tf, saved);
  return WASM_KERNEL_NAMES;
}

/** Restores the stock wasm kernels registration (no-op when ours are not registered). */
export function unregisterWasmKernels(tf: TF): void {
  const saved = replaced.get(tf);
  if (!saved) return;
  for (const [name, stock] of saved) {
    tf.unregisterKernel(name, 'wasm');
    if (stock) tf.registerKernel(stock);
  }
  replaced.delete(tf);
}
