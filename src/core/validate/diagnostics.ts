/**
 * Every diagnostic the validator can give, in one table. A diagnostic is a value
 * `{ code, severity, nodeId?, edgeId?, message }`; the UI only displays it.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** The node the problem is on (drawn red on the canvas). */
  readonly nodeId?: string;
  /** The edge the problem is on, when it is one connection. */
  readonly edgeId?: string;
  /** A full sentence: what is wrong and what to change, starting with the layer name. */
  readonly message: string;
}

/** Codes and what each means. Shape codes come from the layer definitions' ShapeError. */
export const DIAGNOSTIC_CODES = {
  cycle: 'Layers form a cycle; a model must be a directed acyclic graph.',
  'arity/missing': 'A layer has fewer inputs than it needs.',
  'arity/too-many': 'A layer has more inputs than it takes.',
  'param/invalid': 'A parameter value is out of range or of the wrong type.',
  'param/conflict': 'Two parameters that Keras and tfjs refuse together (strides > 1 with dilation_rate > 1).',
  'name/duplicate': 'Two layers share a name; Keras requires unique names.',
  'name/invalid': 'A layer or model name Keras or tfjs would refuse, or one that would hide characters in generated code.',
  'size/too-large': 'A dimension, output size, parameter count or MAC count (of a layer or of the model) beyond 2^53 − 1, the largest count held exactly.',
  'graph/unreachable': 'A layer is not connected to any Input.',
  'graph/no-input': 'The graph has layers but no Input.',
  'kind/unknown': 'A node of a layer kind Layerlab does not know.',
  'shape/rank': 'The input has the wrong number of axes for this layer.',
  'shape/unknown-dim': 'A dimension this layer needs is not known.',
  'shape/kernel-too-large': 'A convolution kernel is larger than its input.',
  'shape/window-too-large': 'A pooling window is larger than its input.',
  'shape/already-flat': 'Flatten on an input that is already flat.',
  'shape/concat-mismatch': 'Concatenate inputs disagree on an axis other than the join axis.',
  'shape/bad-axis': 'An axis argument outside the input rank, or one tfjs cannot use.',
  'shape/reshape-size': 'A Reshape whose target shape does not hold the same number of values as its input.',
  'shape/broadcast': 'Inputs of an element-wise merge whose shapes cannot be broadcast together.',
  'shape/dot-mismatch': 'Dot multiplies two axes of different sizes.',
  'shape/state': 'An initial state of a recurrent layer (inputs after the first) of the wrong number or shape: each is (batch, units).',
  'edge/output': 'A connection reads an output its layer does not return (e.g. state_h of an LSTM after return_state was turned off).',
  'shape/too-small': 'A cropping that leaves nothing of its input.',
  'shape/opaque-unknown':
    'A layer from an imported file that Layerlab cannot run (a Lambda, a class it lacks) whose output shape the file does not say: the user enters it.',
  'shape/mask': 'A layer tfjs 4.22 cannot run on the Keras mask it receives (from Masking or Embedding mask_zero).',
  'shared/incompatible': 'A call of a shared layer whose inputs do not fit the weights its first call made.',
  'block/unknown': 'A node belongs to a block (Keras nested model) the graph does not list.',
  'block/name': "A block's name is not a valid Keras name, or a layer or another nested model has it.",
  'block/input': 'An Input inside a block: a nested model receives the tensors that feed it as its inputs.',
  'block/structure':
    "A block's layers are not connected among themselves, a path leaves the block and comes back (not convex), or a layer is shared between the block and the outer model.",
  'block/call':
    'A further call of a nested model (shared weights) that does not repeat its first call: other layers, other connections, or an input fed several tensors.',
  'train/unsupported': 'A configuration tfjs 4.22 builds but cannot train (a warning: the model and its code stay valid).',
  'train/frozen':
    'Every layer with weights is frozen (trainable=False): a warning, since the model, its summary, code and export are fine, but tfjs cannot fit a model without trainable weights, so training is refused (`trainingBlock`).',
  'train/blocked':
    'A layer Layerlab cannot build in tfjs at all (`LayerDef.cannotRun`: a Lambda or unknown class from a file): a warning, since shapes, summary, code and export work, but training and the tfjs model are refused (`trainingBlock`).',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** True for a code in the table (ShapeError codes from layer files are checked against it). */
export const isDiagnosticCode = (c: string): c is DiagnosticCode => c in DIAGNOSTIC_CODES;
