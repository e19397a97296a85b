"""
Layerlab's recording stand-in for Keras (src/codeimport/python/keras_standin.py).

User code runs against this module instead of Keras: it records what the code builds (inputs, layers, calls on
symbolic tensors, models) and writes the chosen model as Keras 3 ``model.to_json()`` text, always in the Functional
form (a Sequential too, and nested models inside it: every inbound node then records its tensors' shapes), which
Layerlab's importer (src/core/serialize/kerasImport.ts) turns into a graph. Nothing is computed: shapes, when the code asks
for them, come from Layerlab's core through the JavaScript module ``layerlab_core`` (run.ts registers it):

- ``layerlab_core.layer_shapes(class_name, config_json, call_json, shapes_json)`` -> JSON
  ``{"shapes": [[...], ...] | null, "count": n, "error": str | null}``: the output shapes of one layer call;
- ``layerlab_core.model_info(model_json)`` -> JSON ``{"total": n, "outputs": [[...], ...] | null, "error": ...}``;
- ``layerlab_core.application(class_name, args_json)`` -> JSON of the layers of a Keras Application (VGG16, ResNet50,
  MobileNet) for the arguments the code gave, built from Layerlab's template (applications.ts), or its refusal.

The known layer classes and their positional arguments come from the core too (``install(spec_json)``): the Keras
class names of every kind (and each kind's aliases) with its parameters in the core's order.

Modules installed into ``sys.modules`` on each run (fresh state each time): ``keras`` (``layers``, ``models``,
``ops``, ``activations``, ``initializers``, ``regularizers``, ``constraints``, ``optimizers``, ``losses``,
``metrics``, ``callbacks``, ``utils``, ``datasets``, ``backend``, ``applications``: VGG16, ResNet50, MobileNet),
``tensorflow`` (``tf.keras``
is the same module; ``tf.nn`` activations), ``tensorflow.keras`` and a ``numpy`` stub (numpy itself is not loaded:
it takes seconds in Pyodide; the stub accepts the usual data preparation and returns placeholders that keep
array shapes where easy). User code sees only those modules and a few pure standard ones (``ALLOWED_STDLIB``);
any other import raises an ImportError naming the module.
"""

import builtins
import json
import math
import re
import sys
import types

USER_FILE = "<layerlab>"

ALLOWED_STDLIB = {
    "math", "random", "functools", "itertools", "collections", "typing", "dataclasses", "re", "string",
    "os", "warnings", "time", "json", "abc", "enum", "copy", "operator", "numbers", "__future__", "datetime",
    "textwrap", "pprint", "statistics", "fractions", "decimal", "typing_extensions", "logging", "pathlib", "glob",
    "shutil", "zipfile", "tarfile", "io", "csv", "string", "contextlib", "inspect",
}
STANDIN_MODULES = {"keras", "tensorflow", "tf_keras", "numpy", "matplotlib"}
# Data, plotting and progress libraries tutorials import around the model: accepted, every call a placeholder.
DATA_MODULES = {"pandas", "sklearn", "seaborn", "scipy", "PIL", "tqdm", "tensorflow_datasets", "cv2", "plotly", "h5py", "IPython"}
# Keras preprocessing layers that return a tensor of their input's shape (augmentation is the identity at inference):
# unknown to Layerlab's core, they become placeholders whose output shape is their input's.
SHAPE_KEEPING = {
    "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness",
    "RandomGrayscale", "RandomHue", "RandomSaturation", "RandomSharpness", "RandomColorJitter", "AutoContrast",
    "Solarization", "RandomInvert", "RandomPosterization", "Equalization", "RandomGaussianBlur", "ActivityRegularization",
}

_SPEC = {"classes": {}}
_core = None
_state = None


def _to_snake_case(name):
    # Keras 3 keras/src/utils/naming.py to_snake_case.
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def user_line(outside_init=False):
    """
    The line of the user's code being run (the innermost frame in the user's file), or None. `outside_init`: the first
    such frame that is not an `__init__` (a subclassed model is made where `MyModel()` is called, not in its __init__).
    """
    f = sys._getframe(1)
    while f is not None:
        if f.f_code.co_filename == USER_FILE and not (outside_init and f.f_code.co_name == "__init__"):
            return f.f_lineno
        f = f.f_back
    return None


class _State:
    def __init__(self):
        self.uids = {}
        self.models = []
        self.notes = []
        self.noted = set()
        self.unknown = {}
        self.layer_count = 0
        self.lines = {}

    def made(self, obj):
        if obj._line is not None:
            self.lines.setdefault(obj.name, obj._line)

    def auto_name(self, prefix):
        # Keras 3 keras/src/backend/common/global_state.py + naming.uniquify: 'dense', 'dense_1', 'dense_2', ...
        n = self.uids.get(prefix, 0)
        self.uids[prefix] = n + 1
        return prefix if n == 0 else f"{prefix}_{n}"

    def note(self, key, text):
        if key not in self.noted:
            self.noted.add(key)
            self.notes.append(text)


def _ignored(what):
    line = user_line()
    _state.note(what, f"{what} at line {line} ignored." if line else f"{what} ignored.")


# ----------------------------------------------------------------------------------------------------------------
# JSON of recorded values


class _Serializable:
    """A Keras object written into a config as {module, class_name, config, registered_name}."""

    def __init__(self, module, class_name, config):
        self._module = module
        self._class_name = class_name
        self._config = config

    def _to_json(self):
        return {"module": self._module, "class_name": self._class_name, "config": _jsonable(self._config), "registered_name": None}

    def __call__(self, *args, **kwargs):
        return _Dummy(f"{self._class_name}(...)")

    def __repr__(self):
        return f"<{self._class_name}>"


class _Activation:
    def __init__(self, name):
        self.__name__ = name
        self._name = name

    def __call__(self, x, *args, **kwargs):
        if isinstance(x, KerasTensor):
            return layers_module().Activation(self._name)(x)
        return _Dummy(self._name)

    def __repr__(self):
        return f"<activation {self._name}>"


def _jsonable(v, depth=0):
    if depth > 30:
        raise ValueError("a layer argument is nested too deeply to record")
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError(f"a layer argument is {v}, not a finite number")
        return v
    if isinstance(v, (list, tuple)):
        return [_jsonable(x, depth + 1) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x, depth + 1) for k, x in v.items()}
    if isinstance(v, Layer):
        return v._entry_without_nodes()
    if isinstance(v, _Serializable):
        return v._to_json()
    if isinstance(v, _Activation):
        return v._name
    if isinstance(v, _DType):
        return v.name
    if isinstance(v, _Dummy):
        return v._json()
    if isinstance(v, KerasTensor):
        raise TypeError(f"a tensor ({v._describe()}) was given as a layer setting; pass tensors when calling the layer")
    if callable(v):
        return f"<function {getattr(v, '__name__', 'lambda')}>"
    raise TypeError(f"a layer argument of type {type(v).__name__} cannot be recorded")


# ----------------------------------------------------------------------------------------------------------------
# Tensors, calls and layers


class StandInUnsupported(NotImplementedError):
    """Something real Keras does that the stand-in does not record (an op on tensors, slicing)."""


class KerasTensor:
    """A symbolic tensor: output `index` of call `node` of a layer."""

    def __init__(self, node, index):
        self._node = node
        self._index = index

    def _describe(self):
        return f"output of '{self._node.layer.name}'"

    @property
    def shape(self):
        s = self._node.shapes[self._index] if self._node.shapes is not None else None
        if s is None:
            raise ValueError(
                f"the shape of the {self._describe()} is unknown to Layerlab ({self._node.layer._class}: "
                f"{self._node.unknown_reason or 'a layer before it has no known output shape'})"
            )
        return tuple(s)

    @property
    def dtype(self):
        return "float32"

    @property
    def name(self):
        return self._node.layer.name

    @property
    def ndim(self):
        return len(self.shape)

    def __len__(self):
        raise TypeError(f"len() of a symbolic tensor ({self._describe()}): use x.shape")

    def __iter__(self):
        raise TypeError(f"cannot iterate over a symbolic tensor ({self._describe()}); it is one tensor")

    def __getitem__(self, key):
        shape = _sliced_shape(self, key)
        return _op("GetItem", [self], shape, {"key": _key_text(key)})

    def __bool__(self):
        raise TypeError(f"a symbolic tensor ({self._describe()}) has no truth value")

    def _merge(self, other, cls, op, reverse=False):
        if isinstance(other, KerasTensor) and cls in ("Add", "Subtract", "Multiply"):
            pair = [other, self] if reverse else [self, other]
            return getattr(layers_module(), cls)()(pair)
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            if op == "+":
                return layers_module().Rescaling(1.0, offset=float(other))(self)
            if op == "-" and not reverse:
                return layers_module().Rescaling(1.0, offset=-float(other))(self)
            if op == "-" and reverse:
                return layers_module().Rescaling(-1.0, offset=float(other))(self)
            if op == "*":
                return layers_module().Rescaling(float(other))(self)
            if op == "/" and not reverse and other != 0:
                return layers_module().Rescaling(1.0 / float(other))(self)
        raise StandInUnsupported(
            f"Layerlab's Keras stand-in cannot apply '{op}' to a tensor ({self._describe()}) and {type(other).__name__}"
        )

    def __add__(self, o):
        return self._merge(o, "Add", "+")

    def __radd__(self, o):
        return self._merge(o, "Add", "+", True)

    def __sub__(self, o):
        return self._merge(o, "Subtract", "-")

    def __rsub__(self, o):
        return self._merge(o, "Subtract", "-", True)

    def __mul__(self, o):
        return self._merge(o, "Multiply", "*")

    def __rmul__(self, o):
        return self._merge(o, "Multiply", "*", True)

    def __truediv__(self, o):
        return self._merge(o, "Divide", "/")

    def __repr__(self):
        try:
            s = self.shape
        except ValueError:
            s = "unknown"
        return f"<KerasTensor shape={s}, name={self._node.layer.name}>"


class _Node:
    """One call of a layer (or of a model used as a layer): its arguments as called, its output tensors."""

    seq = 0

    def __init__(self, layer, args, kwargs, line):
        self.layer = layer
        self.args = args
        self.kwargs = kwargs
        self.line = line
        self.shapes = None
        self.unknown_reason = None
        self.outputs = []
        _Node.seq += 1
        self.seq = _Node.seq

    def input_tensors(self):
        found = []
        _walk(self.args, found)
        for k, v in self.kwargs.items():
            if k != "mask":
                _walk(v, found)
        return found


def _walk(v, found, depth=0):
    if depth > 20:
        return
    if isinstance(v, KerasTensor):
        found.append(v)
    elif isinstance(v, (list, tuple)):
        for x in v:
            _walk(x, found, depth + 1)
    elif isinstance(v, dict):
        for x in v.values():
            _walk(x, found, depth + 1)


def _call_json(v, tensors, depth=0):
    """A call's arguments with each tensor as {"__t__": k} (k = its place in `tensors`, appended in order)."""
    if isinstance(v, KerasTensor):
        for i, t in enumerate(tensors):
            if t is v or (t._node is v._node and t._index == v._index):
                return {"__t__": i}
        tensors.append(v)
        return {"__t__": len(tensors) - 1}
    if isinstance(v, (list, tuple)):
        return [_call_json(x, tensors, depth + 1) for x in v]
    if isinstance(v, dict):
        return {str(k): _call_json(x, tensors, depth + 1) for k, x in v.items()}
    return _jsonable(v, depth)


def _flat_kwargs(kwargs):
    return {k: v for k, v in kwargs.items() if k != "mask" or v is not None}


class Layer:
    """Base of every recorded layer. Subclasses for Keras classes set `_class` (and `_positional`)."""

    _class = None
    _positional = ()
    _module = "keras.layers"

    def __init__(self, *args, **kwargs):
        _state.layer_count += 1
        if _state.layer_count > 20000:
            raise RuntimeError("the code made more than 20,000 layers; Layerlab stops there")
        generated = "_class" in type(self).__dict__
        self._line = user_line(outside_init=not generated)
        base = next((c for c in type(self).__mro__ if "_class" in c.__dict__ and c.__dict__["_class"]), None)
        # A user's subclass: run its call() inline when it has one; otherwise it is its Keras base class.
        self._user_call = not generated and type(self).call is not Layer.call
        cls = type(self).__name__ if (self._user_call or base is None) and not generated else (self._class or type(self).__name__)
        self._recorded_class = cls
        self._nodes = []
        self._in_model_call = False
        config = {}
        if len(args) > len(self._positional) and not getattr(type(self), "_unknown", False):
            raise TypeError(
                f"{cls}() takes {len(self._positional)} positional arguments but {len(args)} were given"
                + (f" ({', '.join(self._positional)})" if self._positional else "")
            )
        if getattr(type(self), "_unknown", False) and args:
            # A class Layerlab does not have: its positional arguments are kept as Keras names the first ones
            # (Lambda's function) or in order.
            keys = (["function"] if cls == "Lambda" else []) + [f"arg{i}" for i in range(len(args))]
            config.update(zip(keys, args))
            args = ()
        for k, v in zip(self._positional, args):
            config[k] = v
        for k, v in kwargs.items():
            if k in config:
                raise TypeError(f"{cls}() got multiple values for argument '{k}'")
            config[k] = v
        for k in getattr(type(self), "_required", ()):
            if k not in config:
                raise TypeError(f"{cls}.__init__() missing 1 required positional argument: '{k}'")
        for k, v in getattr(type(self), "_defaults", {}).items():
            config.setdefault(k, v)
        shape = config.pop("input_shape", None)
        dim = config.pop("input_dim", None) if cls not in ("Embedding",) else None
        if cls == "Embedding" and shape is None and isinstance(config.get("input_length"), int):
            # Keras 2 read the sequence length of a first Embedding from input_length (Keras 3 ignores it).
            shape = (config["input_length"],)
        batch = config.pop("batch_input_shape", None) or config.pop("batch_shape", None)
        config.pop("batch_size", None)
        self._input_batch_shape = None
        if batch is not None:
            self._input_batch_shape = tuple(batch)
        elif shape is not None:
            self._input_batch_shape = (None,) + tuple(shape if isinstance(shape, (list, tuple)) else (shape,))
        elif dim is not None:
            self._input_batch_shape = (None, dim)
        name = config.pop("name", None)
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{cls}() name must be a string, got {type(name).__name__}")
        self.name = name or _state.auto_name(_to_snake_case(cls))
        for k in ("activation", "recurrent_activation"):
            if k in config and config[k] is None:
                config[k] = "linear"
        if cls == "GRU":
            # Keras 3's GRU defaults to reset_after=True (two bias vectors, 3 × units more weights than False), where
            # Layerlab's GRU defaults to False: written out so that the import keeps Keras's layer and count.
            config.setdefault("reset_after", True)
        # GlobalAveragePooling2D(keepdims=True) and the like: Layerlab's global pooling has no keepdims; recorded as the
        # pooling followed by a Reshape to the kept axes (the same function, no weights).
        self._keepdims = cls.startswith("Global") and "Pooling" in cls and config.pop("keepdims", False) is True
        self._config = config
        self.trainable = config.get("trainable", True)
        _state.made(self)

    # -- what Keras code reads
    @property
    def output(self):
        if not self._nodes:
            raise AttributeError(f"Layer '{self.name}' has never been called, so it has no output yet")
        return _single(self._nodes[0].outputs)

    @property
    def input(self):
        if not self._nodes:
            raise AttributeError(f"Layer '{self.name}' has never been called, so it has no input yet")
        ins = self._nodes[0].input_tensors()
        return ins[0] if len(ins) == 1 else ins

    @property
    def output_shape(self):
        o = self.output
        return [t.shape for t in o] if isinstance(o, list) else o.shape

    def get_config(self):
        c = {"name": self.name, **_jsonable(self._config)}
        if self.trainable is False:
            c["trainable"] = False
        return c

    def count_params(self):
        if not self._nodes:
            raise ValueError(f"Layer '{self.name}' is not built yet (never called), so it has no weights")
        return _model_info(_standalone_json(self))["total"]

    def compute_output_shape(self, input_shape):
        return None

    def build(self, input_shape):
        return None

    def adapt(self, *args, **kwargs):
        # Preprocessing layers (Normalization, TextVectorization) learn their state from data: nothing to record.
        _ignored(f"{self.name}.adapt(...)")

    def add_weight(self, *args, **kwargs):
        return _Dummy("weight")

    def _entry_without_nodes(self):
        return {"module": self._module, "class_name": self._recorded_class, "config": self.get_config(), "registered_name": None}

    # -- calling
    def __call__(self, *args, **kwargs):
        if getattr(self, "_user_call", False):
            try:
                return self.call(*args, **{k: v for k, v in kwargs.items() if k != "training"})
            except StandInUnsupported as e:
                _state.note(
                    ("inline", self._recorded_class),
                    f"{self._recorded_class}.call() (line {self._line}) uses something Layerlab cannot record ({e}); "
                    "the layer is kept as a placeholder",
                )
        node = _Node(self, list(args), _flat_kwargs(kwargs), user_line())
        ins = node.input_tensors()
        if not ins:
            const = next((a for a in list(args) + list(kwargs.values()) if isinstance(a, _Dummy)), None)
            if const is not None:
                # A value computed by the code, not from the model's inputs: ops.arange(...) for position embeddings.
                raise TypeError(
                    f"Layer '{self.name}' ({self._recorded_class}) was called on {const._what}, a value the code computes "
                    "rather than a tensor from the model's inputs; Layerlab records layers applied to the model's tensors "
                    "only (a learned position embedding added to every sample has no Layerlab layer yet)"
                )
            raise TypeError(f"Layer '{self.name}' ({self._recorded_class}) was called without a tensor of the model")
        for a in args:
            _check_call_arg(self, a)
        self._nodes.append(node)
        self._compute(node, ins)
        n = len(node.shapes) if node.shapes is not None else node.count
        node.outputs = [KerasTensor(node, i) for i in range(n)]
        if getattr(self, "_keepdims", False):
            return self._kept_dims(ins[0], node.outputs[0])
        return _single(node.outputs)

    def _kept_dims(self, x, pooled):
        rank = len(x.shape)
        _state.note(
            ("keepdims", self.name),
            f"{self._recorded_class} '{self.name}' (line {self._line}) has keepdims=True, which Layerlab's global pooling "
            f"does not have: it is recorded as the pooling followed by a Reshape '{self.name}_keepdims' to "
            f"{(1,) * (rank - 2) + (pooled.shape[-1],)} (the same output, no weights)",
        )
        return layers_module().Reshape((1,) * (rank - 2) + (pooled.shape[-1],), name=f"{self.name}_keepdims")(pooled)

    def _compute(self, node, ins):
        user = self._recorded_class != self._class
        custom = user and type(self).compute_output_shape is not Layer.compute_output_shape
        if user and not custom and self._user_call:
            # A user's layer class: kept as an opaque layer of its class name; its output shape is not known.
            node.shapes = None
            node.count = 1
            node.unknown_reason = f"a layer class Layerlab does not have ({self._recorded_class})"
            _state.unknown.setdefault(self._recorded_class, self._line)
            return
        if custom:
            _state.unknown.setdefault(self._recorded_class, self._line)
            shp = [t._node.shapes[t._index] if t._node.shapes else None for t in ins]
            if any(s is None for s in shp):
                node.shapes, node.count = None, 1
                return
            r = self.compute_output_shape(tuple(shp[0]) if len(shp) == 1 else [tuple(s) for s in shp])
            node.shapes = [list(r)] if r is not None else None
            node.count = 1
            return
        tensors = []
        call = {"args": _call_json(node.args, tensors), "kwargs": _call_json(node.kwargs, tensors)}
        shapes = [t._node.shapes[t._index] if t._node.shapes is not None else None for t in tensors]
        res = json.loads(
            _core.layer_shapes(self._recorded_class, json.dumps(self.get_config()), json.dumps(call), json.dumps(shapes))
        )
        if res.get("error"):
            raise ValueError(res["error"])
        node.shapes = res.get("shapes")
        node.count = res.get("count") or 1
        if node.shapes is None and res.get("opaque") and self._recorded_class in SHAPE_KEEPING and len(shapes) == 1:
            node.shapes = [shapes[0]] if shapes[0] is not None else None
            if node.shapes is not None:
                # Written into the config (as Keras's Lambda takes it), so the importer knows the placeholder's shape
                # even where no layer of the same model reads it (the last layer of a nested augmentation model).
                self._config.setdefault("output_shape", list(shapes[0][1:]))
        if node.shapes is None:
            node.unknown_reason = res.get("unknown") or None
            if res.get("opaque"):
                _state.unknown.setdefault(self._recorded_class, self._line)


Layer.call = lambda self, *a, **k: None


def _check_call_arg(layer, a):
    if isinstance(a, (list, tuple)):
        for x in a:
            _check_call_arg(layer, x)
    elif not isinstance(a, KerasTensor) and not (a is None or isinstance(a, (bool, int, float, str))):
        raise TypeError(
            f"Layer '{layer.name}' ({layer._recorded_class}) was called on {type(a).__name__}, not on a tensor of the "
            "model (keras.Input or a layer's output)"
        )


class _OpLayer(Layer):
    """
    A Keras operation applied to model tensors (`x[:, -1]`, `keras.ops.mean(x, axis=1)`) that Layerlab has no layer for:
    recorded as an opaque layer of the operation's class (module keras.src.ops.numpy, as Keras 3 writes operations in a
    Functional model) whose config carries the output shape the stand-in computed (`output_shape`, without the batch
    axis), so the importer knows it. It has no weights; the imported model cannot be trained while it is there.
    """

    _class = None

    def __init__(self, cls, config, batch_shape):
        _state.layer_count += 1
        self._line = user_line()
        self._recorded_class = cls
        self._module = "keras.src.ops.numpy"
        self._user_call = False
        self._keepdims = False
        self._nodes = []
        self._in_model_call = False
        self._input_batch_shape = None
        self.name = _state.auto_name(_to_snake_case(cls))
        self._config = dict(config, output_shape=list(batch_shape[1:]))
        self._out = list(batch_shape)
        self.trainable = True
        _state.made(self)
        _state.note(
            ("op", cls),
            f"{cls} (line {self._line}) is an operation on a model tensor that Layerlab has no layer for: it is kept as a "
            "placeholder of the output shape Keras gives it (no weights); training is off while it is in the model",
        )

    def _compute(self, node, ins):
        node.shapes = [list(self._out)]
        node.count = 1


def _op(cls, tensors, batch_shape, config=None):
    """Applies the operation `cls` to `tensors` as an `_OpLayer` whose output has `batch_shape` (batch axis first)."""
    if batch_shape is None:
        raise StandInUnsupported(f"{cls}: the shape of its input is unknown to Layerlab")
    if len(batch_shape) < 2:
        raise StandInUnsupported(
            f"{cls} on the {tensors[0]._describe()} gives one number per sample (shape {tuple(batch_shape)}); Layerlab's "
            "placeholders keep at least one axis after the batch axis: add a Reshape((1,)) after it"
        )
    if len(batch_shape) > 6:
        raise StandInUnsupported(f"{cls} gives a tensor of rank {len(batch_shape)}; Layerlab's placeholders go up to rank 6")
    return _OpLayer(cls, config or {}, batch_shape)(tensors[0] if len(tensors) == 1 else list(tensors))


def _key_text(key):
    """A subscript as Python writes it (`:, -1, :`), for the placeholder's config."""
    def one(k):
        if k is Ellipsis:
            return "..."
        if k is None:
            return "None"
        if isinstance(k, slice):
            parts = ["" if v is None else str(v) for v in (k.start, k.stop)]
            return ":".join(parts) + (f":{k.step}" if k.step is not None else "")
        return repr(k)
    return ", ".join(one(k) for k in (key if isinstance(key, tuple) else (key,)))


def _sliced_shape(t, key):
    """
    The shape of `t[key]` as NumPy basic indexing gives it (Keras's GetItem): an int removes its axis, a slice keeps
    it (length from `slice.indices`), None adds an axis of 1, `...` stands for the axes not named. Tensors as indices
    (advanced indexing) and indexing the batch axis (other than `:`) raise StandInUnsupported.
    """
    shape = list(t.shape)
    keys = list(key) if isinstance(key, tuple) else [key]
    for k in keys:
        if isinstance(k, (KerasTensor, list)) or not (k is None or k is Ellipsis or isinstance(k, (int, slice))) or isinstance(k, bool):
            raise StandInUnsupported(
                f"indexing the {t._describe()} with {type(k).__name__} is not supported by Layerlab's Keras stand-in "
                "(only integers, slices, None and ...)"
            )
    if keys.count(Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    named = sum(1 for k in keys if k is not None and k is not Ellipsis)
    if named > len(shape):
        raise IndexError(f"too many indices for the {t._describe()}: it has {len(shape)} axes (the batch axis included)")
    if Ellipsis in keys:
        i = keys.index(Ellipsis)
        keys = keys[:i] + [slice(None)] * (len(shape) - named) + keys[i + 1:]
    else:
        keys = keys + [slice(None)] * (len(shape) - named)
    out, axis = [], 0
    for k in keys:
        if k is None:
            out.append(1)
            continue
        n = shape[axis]
        if axis == 0 and k != slice(None):
            raise StandInUnsupported(
                f"indexing the batch axis of the {t._describe()} (the first index) is not supported by Layerlab's Keras "
                "stand-in: a model keeps the batch axis first; index the axes after it (x[:, ...])"
            )
        if isinstance(k, int):
            if n is not None and not -n <= k < n:
                raise IndexError(f"index {k} is out of bounds for axis {axis} of size {n} of the {t._describe()}")
        elif n is None:
            out.append(None)
        else:
            out.append(len(range(*k.indices(n))))
        axis += 1
    return out


def _axes(x, axis):
    """`axis` (an int, a tuple, or None for all) as sorted non-negative axes of x."""
    rank = len(x.shape)
    if axis is None:
        return list(range(rank))
    axs = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    out = []
    for a in axs:
        if not isinstance(a, int) or isinstance(a, bool) or not -rank <= a < rank:
            raise ValueError(f"axis {a!r} is out of range for the {x._describe()} of rank {rank}")
        out.append(a % rank)
    return sorted(set(out))


def _reduce(name):
    cls = {"mean": "Mean", "sum": "Sum", "max": "Max", "min": "Min", "prod": "Prod", "std": "Std", "var": "Var",
           "amax": "Max", "amin": "Min", "logsumexp": "Logsumexp", "all": "All", "any": "Any", "argmax": "Argmax",
           "argmin": "Argmin"}[name]

    def f(x, axis=None, keepdims=False, **kw):
        if not isinstance(x, KerasTensor):
            return _Dummy(f"ops.{name}(...)")
        axs = _axes(x, axis)
        if 0 in axs:
            raise StandInUnsupported(
                f"keras.ops.{name} over the batch axis of the {x._describe()} is not supported by Layerlab's Keras "
                "stand-in (a model keeps the batch axis): give axis= the axes after it"
            )
        s = list(x.shape)
        # Layerlab's global pooling layers compute exactly these reductions (channels last, no mask).
        rank = len(s)
        if not keepdims and name in ("mean", "max") and 3 <= rank <= 5 and axs == list(range(1, rank - 1)):
            kind = ("GlobalAveragePooling" if name == "mean" else "GlobalMaxPooling") + f"{rank - 2}D"
            _state.note(
                ("reduce", name, rank),
                f"keras.ops.{name}(x, axis={axis!r}) at line {user_line()} is recorded as {kind}, which computes the same",
            )
            return getattr(layers_module(), kind)()(x)
        out = [1 if i in axs else d for i, d in enumerate(s)] if keepdims else [d for i, d in enumerate(s) if i not in axs]
        return _op(cls, [x], out, {"axis": axis, "keepdims": bool(keepdims)})

    return f


def _ops_reshape(x, newshape=None, **kw):
    newshape = kw.get("new_shape", newshape)
    if not isinstance(x, KerasTensor):
        return _Dummy("ops.reshape(...)")
    ns = [newshape] if isinstance(newshape, int) else list(newshape)
    if not ns or ns[0] not in (-1, None) and ns[0] != x.shape[0]:
        raise StandInUnsupported(
            f"keras.ops.reshape of the {x._describe()} to {tuple(ns)} changes the batch axis; Layerlab models keep it: "
            "start the new shape with -1 (or use layers.Reshape)"
        )
    return layers_module().Reshape(tuple(ns[1:]))(x)


def _ops_transpose(x, axes=None):
    if not isinstance(x, KerasTensor):
        return _Dummy("ops.transpose(...)")
    rank = len(x.shape)
    axs = list(reversed(range(rank))) if axes is None else [a % rank for a in axes]
    if axs[0] != 0:
        raise StandInUnsupported(
            f"keras.ops.transpose of the {x._describe()} with axes {tuple(axs)} moves the batch axis; Layerlab models keep "
            "it first (use axes starting with 0, which is layers.Permute)"
        )
    return layers_module().Permute(tuple(axs[1:]))(x)


def _known(x, what):
    s = list(x.shape)
    if any(d is None for d in s[1:]):
        raise StandInUnsupported(f"{what} of the {x._describe()} needs every size after the batch axis known, got {tuple(s)}")
    return s


def _ops_expand_dims(x, axis):
    if not isinstance(x, KerasTensor):
        return _Dummy("ops.expand_dims(...)")
    s = _known(x, "keras.ops.expand_dims")
    i = axis if axis >= 0 else len(s) + 1 + axis
    if i <= 0 or i > len(s):
        raise StandInUnsupported(f"keras.ops.expand_dims at axis {axis} of the {x._describe()} adds a batch axis")
    return layers_module().Reshape(tuple(s[1:i] + [1] + s[i:]))(x)


def _ops_squeeze(x, axis=None):
    if not isinstance(x, KerasTensor):
        return _Dummy("ops.squeeze(...)")
    s = _known(x, "keras.ops.squeeze")
    axs = [i for i, d in enumerate(s) if i and d == 1] if axis is None else _axes(x, axis)
    for i in axs:
        if i == 0 or s[i] != 1:
            raise ValueError(f"cannot squeeze axis {i} of the {x._describe()}: its size is {s[i]}, not 1")
    out = [d for i, d in enumerate(s) if i not in axs][1:]
    if not out:
        raise StandInUnsupported(f"keras.ops.squeeze of the {x._describe()} leaves only the batch axis")
    return layers_module().Reshape(tuple(out))(x)


def _ops_elementwise(name):
    def f(x, *a, **k):
        if not isinstance(x, KerasTensor):
            return _Dummy(f"ops.{name}(...)")
        return _op(name[:1].upper() + re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name[1:]), [x], list(x.shape), {})
    return f


def _ops_matmul(a, b):
    if not isinstance(a, KerasTensor) or not isinstance(b, KerasTensor):
        raise StandInUnsupported("keras.ops.matmul of a model tensor and a constant is not supported by Layerlab's Keras stand-in")
    sa, sb = list(a.shape), list(b.shape)
    if len(sa) < 2 or len(sa) != len(sb) or (sa[-1] is not None and sb[-2] is not None and sa[-1] != sb[-2]):
        raise ValueError(f"keras.ops.matmul: shapes {tuple(sa)} and {tuple(sb)} do not multiply")
    return _op("Matmul", [a, b], sa[:-1] + [sb[-1]], {})


def _single(outputs):
    return outputs[0] if len(outputs) == 1 else list(outputs)


def _make_layer_class(cls, positional, module, required=(), defaults=None):
    return type(
        cls,
        (Layer,),
        {"_class": cls, "_positional": tuple(positional), "_module": module, "_required": tuple(required), "_defaults": defaults or {}},
    )


class InputLayer(Layer):
    _class = "InputLayer"

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None, **kwargs):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("tensor", None)
        kwargs.pop("optional", None)
        kwargs.pop("ragged", None)
        if kwargs:
            raise TypeError(f"Input() got an unexpected keyword argument '{next(iter(kwargs))}'")
        if batch_shape is None:
            if shape is None:
                raise ValueError("keras.Input needs a shape, e.g. keras.Input(shape=(28, 28, 1))")
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        batch_shape = tuple(batch_shape)
        for d in batch_shape[1:]:
            if d is not None and (not isinstance(d, int) or isinstance(d, bool)):
                raise TypeError(f"keras.Input shape entries must be whole numbers or None, got {d!r}")
        _state.layer_count += 1
        self._recorded_class = "InputLayer"
        self._line = user_line()
        self._nodes = []
        self._input_batch_shape = batch_shape
        self.name = name or _state.auto_name("input_layer")
        _state.made(self)
        self._config = {"batch_shape": list(batch_shape), "dtype": dtype if isinstance(dtype, str) else "float32", "sparse": bool(sparse)}
        self.trainable = True
        node = _Node(self, [], {}, self._line)
        node.shapes = [list(batch_shape)]
        node.count = 1
        node.outputs = [KerasTensor(node, 0)]
        self._nodes.append(node)

    def get_config(self):
        return {**self._config, "name": self.name}

    def __call__(self, *args, **kwargs):
        raise TypeError(f"Input layer '{self.name}' cannot be called on a tensor")


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None, tensor=None, optional=False, **kw):
    """keras.Input: a symbolic tensor of the given shape (without the batch axis)."""
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse, batch_shape=batch_shape, name=name, **kw)._nodes[0].outputs[0]


# ----------------------------------------------------------------------------------------------------------------
# Models


def _as_list(v):
    # Keras 3 flattens a dict of inputs or outputs in the order of its sorted keys (keras.tree.flatten): model.outputs of
    # outputs={"price": p, "category": c} is [c, p].
    if isinstance(v, dict):
        return [v[k] for k in sorted(v, key=str)]
    if isinstance(v, (list, tuple)):
        return list(v)
    return [v]


class Model(Layer):
    """keras.Model: Functional (inputs=, outputs=) or subclassed (call())."""

    _class = "Functional"
    _module = "keras.src.models.functional"

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", None)
        outputs = kwargs.pop("outputs", None)
        if args:
            inputs = args[0]
            if len(args) > 1:
                outputs = args[1]
        name = kwargs.pop("name", None)
        trainable = kwargs.pop("trainable", True)
        _state.layer_count += 1
        self._subclassed = type(self) not in (Model, Functional)
        self._line = user_line(outside_init=self._subclassed)
        self._nodes = []
        self._built_graph = None
        self._config = {}
        self.trainable = trainable
        self._input_batch_shape = None
        if inputs is None and outputs is None:
            if not self._subclassed:
                raise TypeError("keras.Model() needs inputs= and outputs= (or subclass keras.Model and define call())")
            self._recorded_class = type(self).__name__
            self.name = name or _state.auto_name(_to_snake_case(type(self).__name__))
        else:
            self._recorded_class = "Functional"
            self.name = name or _state.auto_name("functional")
            self._set_graph(inputs, outputs)
        _state.made(self)
        _state.models.append(self)

    def __setattr__(self, k, v):
        object.__setattr__(self, k, v)
        if k == "trainable" and isinstance(v, bool) and "_nodes" in self.__dict__:
            # As in Keras, (un)freezing a model (un)freezes its layers: a model reading base.output has them frozen too,
            # and code that unfreezes the base again for fine-tuning imports.
            try:
                inner = [l for l in self.layers if not isinstance(l, InputLayer)]
            except (ValueError, AttributeError):
                inner = []
            for l in inner:
                l.trainable = v

    def _set_graph(self, inputs, outputs):
        ins = _as_list(inputs)
        outs = _as_list(outputs)
        for t in ins + outs:
            if not isinstance(t, KerasTensor):
                raise TypeError(f"Model '{self.name}': inputs and outputs must be tensors of the model, got {type(t).__name__}")
        for t in ins:
            if not isinstance(t._node.layer, InputLayer):
                raise ValueError(
                    f"Model '{self.name}': an input is the {t._describe()}, not a keras.Input; a model's inputs are keras.Input tensors"
                )
        self._built_graph = (ins, outs)
        self._input_batch_shape = tuple(ins[0]._node.shapes[0]) if len(ins) == 1 else None

    def _graph(self):
        if self._built_graph is None:
            self._build_from_call()
        return self._built_graph

    def _build_from_call(self):
        if self._built_graph is not None:
            return
        err = ValueError(
            f"the model '{self.name}' ({self._recorded_class}) was never built, so its input shape is unknown: call "
            "model.build(input_shape) or model(keras.Input(shape=...)) in the code"
        )
        err._layerlab_line = self._line
        raise err

    # -- subclassed models
    def call(self, *args, **kwargs):
        raise NotImplementedError(f"the model '{self.name}' defines no call()")

    def build(self, input_shape=None):
        if not self._subclassed or self._built_graph is not None:
            return
        if input_shape is None:
            raise ValueError(f"model.build() needs an input shape for '{self.name}'")
        shapes = input_shape
        many = isinstance(shapes, (list, tuple)) and len(shapes) > 0 and isinstance(shapes[0], (list, tuple))
        ins = [Input(batch_shape=tuple(s)) for s in shapes] if many else [Input(batch_shape=tuple(shapes))]
        out = self._run_call(ins if many else ins[0])
        self._set_graph(ins, out)

    def _run_call(self, x, **kwargs):
        kwargs = {k: v for k, v in kwargs.items() if k != "training"}
        return self.call(x, **kwargs)

    def __call__(self, *args, **kwargs):
        if self._subclassed and self._built_graph is None:
            x = args[0] if args else kwargs.pop("inputs")
            out = self._run_call(x, **{k: v for k, v in kwargs.items()})
            ins = _as_list(x)
            if all(isinstance(t, KerasTensor) and isinstance(t._node.layer, InputLayer) for t in ins):
                self._set_graph(ins, out)
            return out
        if self._subclassed:
            x = args[0] if args else kwargs.pop("inputs")
            return self._run_call(x, **kwargs)
        ins_g, outs_g = self._graph()
        node = _Node(self, list(args), _flat_kwargs({k: v for k, v in kwargs.items() if k in ("mask",)}), user_line())
        given = node.input_tensors()
        if len(given) != len(ins_g):
            raise ValueError(f"Model '{self.name}' takes {len(ins_g)} input(s) but was called on {len(given)}")
        self._nodes.append(node)
        node.count = len(outs_g)
        node.shapes = _model_call_shapes(self, given)
        node.outputs = [KerasTensor(node, i) for i in range(len(outs_g))]
        return _single(node.outputs)

    # -- what Keras code reads
    @property
    def inputs(self):
        return list(self._graph()[0])

    @property
    def outputs(self):
        return list(self._graph()[1])

    @property
    def input(self):
        i = self.inputs
        return i[0] if len(i) == 1 else i

    @property
    def output(self):
        o = self.outputs
        return o[0] if len(o) == 1 else o

    @property
    def input_shape(self):
        i = self.inputs
        return i[0].shape if len(i) == 1 else [t.shape for t in i]

    @property
    def output_shape(self):
        o = self.outputs
        return o[0].shape if len(o) == 1 else [t.shape for t in o]

    @property
    def layers(self):
        return [l for l in _model_layers(self) if not isinstance(l, InputLayer) or not isinstance(self, Sequential)]

    def get_layer(self, name=None, index=None):
        ls = self.layers
        if index is not None:
            return ls[index]
        for l in ls:
            if l.name == name:
                return l
        raise ValueError(f"No such layer: {name}")

    def count_params(self):
        return _model_info(model_json(self))["total"]

    def get_config(self):
        return _model_config(self)

    def _entry_without_nodes(self):
        return _model_entry(self)

    def summary(self, *a, **k):
        _ignored(f"{self.name}.summary()")

    def compile(self, *a, **k):
        _ignored(f"{self.name}.compile(...)")

    def fit(self, *a, **k):
        _ignored(f"{self.name}.fit(...)")
        return _Dummy("history")

    def evaluate(self, *a, **k):
        _ignored(f"{self.name}.evaluate(...)")
        return _Dummy("evaluation")

    def predict(self, *a, **k):
        _ignored(f"{self.name}.predict(...)")
        return _Dummy("predictions")

    def save(self, *a, **k):
        _ignored(f"{self.name}.save(...)")

    def save_weights(self, *a, **k):
        _ignored(f"{self.name}.save_weights(...)")

    def load_weights(self, *a, **k):
        _ignored(f"{self.name}.load_weights(...)")

    def to_json(self, *a, **k):
        return model_json(self)

    def __getattr__(self, k):
        # Training helpers Layerlab does not model (train_on_batch, optimizer, history, ...); other names are errors.
        if k in TRAINING_ATTRS:
            return _IgnoredCall(f"{object.__getattribute__(self, 'name')}.{k}")
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{k}'")


TRAINING_ATTRS = {
    "train_on_batch", "test_on_batch", "predict_on_batch", "fit_generator", "evaluate_generator", "predict_generator",
    "optimizer", "history", "stop_training", "metrics_names", "reset_states", "reset_metrics", "export", "loss",
    "make_train_function", "trainable_weights", "weights", "get_weights", "set_weights", "compiled_loss",
}


class Functional(Model):
    pass


class Sequential(Model):
    """keras.Sequential: a list of layers, `.add()`, `input_shape=` on the first layer or keras.Input in the list."""

    _class = "Sequential"
    _module = "keras"

    def __init__(self, layers=None, name=None, **kwargs):
        trainable = kwargs.pop("trainable", True)
        _state.layer_count += 1
        self._line = user_line()
        self._nodes = []
        self._built_graph = None
        self._config = {}
        self.trainable = trainable
        self._subclassed = False
        self._recorded_class = "Sequential"
        self._input_batch_shape = None
        self._seq_input = None
        self._seq_layers = []
        self._chain_out = None
        self._chain_len = 0
        self.name = name or _state.auto_name("sequential")
        _state.made(self)
        _state.models.append(self)
        for l in layers or []:
            self.add(l)

    def add(self, layer):
        if isinstance(layer, KerasTensor) and isinstance(layer._node.layer, InputLayer):
            if self._seq_input is not None or self._seq_layers:
                raise ValueError(f"Sequential '{self.name}': keras.Input must come first, and only once")
            self._seq_input = layer
            return
        if isinstance(layer, InputLayer):
            return self.add(layer._nodes[0].outputs[0])
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential '{self.name}' can only add layers, got {type(layer).__name__}")
        if not self._seq_layers and self._seq_input is None:
            if isinstance(layer, Sequential) and layer._seq_input is not None:
                # A Sequential first in a Sequential (data augmentation): the outer model takes its input shape.
                self._seq_input = Input(batch_shape=tuple(layer._seq_input._node.shapes[0]))
            elif isinstance(layer, Model) and layer._built_graph is not None and len(layer._built_graph[0]) == 1:
                self._seq_input = Input(batch_shape=tuple(layer._built_graph[0][0]._node.shapes[0]))
            elif layer._input_batch_shape is not None:
                self._seq_input = Input(batch_shape=layer._input_batch_shape)
        self._seq_layers.append(layer)
        self._built_graph = None
        # Keras 3 builds a Sequential as layers are added once its input is known, so errors come at once.
        self._extend()

    def pop(self):
        self._seq_layers.pop()
        self._chain_out = None
        self._chain_len = 0
        self._built_graph = None

    def _extend(self):
        if self._seq_input is None:
            return
        x = self._chain_out if self._chain_out is not None else self._seq_input
        for l in self._seq_layers[self._chain_len:]:
            try:
                x = l(x)
            except Exception as e:
                if getattr(e, "_layerlab_line", None) is None:
                    e._layerlab_line = l._line
                raise
            if isinstance(x, list):
                err = ValueError(f"Sequential '{self.name}': layer '{l.name}' returns several tensors; use the Functional API")
                err._layerlab_line = l._line
                raise err
            self._chain_out = x
            self._chain_len += 1

    def _graph(self):
        if self._built_graph is None:
            if self._seq_input is None:
                err = ValueError(
                    f"the Sequential model '{self.name}' does not know its input shape: give its first layer input_shape=(...) "
                    "or start the list with keras.Input(shape=(...)), or call model.build(input_shape)"
                )
                err._layerlab_line = self._line
                raise err
            if not self._seq_layers:
                raise ValueError(f"the Sequential model '{self.name}' has no layers")
            self._extend()
            self._built_graph = ([self._seq_input], [self._chain_out])
        return self._built_graph

    def build(self, input_shape=None):
        if self._seq_input is None and input_shape is not None:
            self._seq_input = Input(batch_shape=tuple(input_shape))
        self._graph()

    @property
    def layers(self):
        return list(self._seq_layers)

    def __call__(self, *args, **kwargs):
        if self._seq_input is None:
            x = args[0] if args else kwargs.get("inputs")
            if isinstance(x, KerasTensor):
                self._seq_input = Input(batch_shape=x.shape)
        return Model.__call__(self, *args, **kwargs)


class _IgnoredData:
    """A data library's attribute: calls give placeholders (no note each: the import said it once)."""

    def __init__(self, what):
        self._what = what

    def __call__(self, *a, **k):
        return _Dummy(f"{self._what}(...)")

    def __getattr__(self, k):
        if k.startswith("__"):
            raise AttributeError(k)
        return _IgnoredData(f"{self._what}.{k}")


class _IgnoredCall:
    def __init__(self, what):
        self._what = what

    def __call__(self, *a, **k):
        _ignored(f"{self._what}(...)")
        return _Dummy(self._what)

    def __getattr__(self, k):
        if k.startswith("__"):
            raise AttributeError(k)
        return _IgnoredCall(f"{self._what}.{k}")


def _model_layers(model):
    """The layers of a model in Keras's order (topological, each once), Input layers included."""
    ins, outs = model._graph()
    nodes = _model_nodes(model)
    seen, order = set(), []
    for n in nodes:
        if id(n.layer) not in seen:
            seen.add(id(n.layer))
            order.append(n.layer)
    return order


def _model_nodes(model):
    """The calls that make the model's outputs from its inputs, in a topological order (inputs first)."""
    ins, outs = model._graph()
    input_nodes = {id(t._node) for t in ins}
    order, state = [], {}
    stack = []
    for t in reversed(outs):
        stack.append((t._node, False))
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            if state.get(key) != 2:
                state[key] = 2
                order.append(node)
            continue
        if state.get(key):
            continue
        state[key] = 1
        stack.append((node, True))
        if key in input_nodes:
            continue
        if isinstance(node.layer, InputLayer):
            raise ValueError(
                f"Model '{model.name}': its outputs depend on the input '{node.layer.name}', which is not among the model's inputs"
            )
        for t in reversed(node.input_tensors()):
            if not state.get(id(t._node)):
                stack.append((t._node, False))
    # Inputs first, in the order given; then the calls in the order the code made them (always a topological order).
    inputs = [t._node for t in ins]
    rest = sorted((n for n in order if id(n) not in input_nodes), key=lambda n: n.seq)
    return inputs + rest


def _tensor_json(t, index_of):
    n = t._node
    shape = n.shapes[t._index] if n.shapes is not None and t._index < len(n.shapes) else None
    cfg = {"dtype": "float32", "keras_history": [n.layer.name, index_of(n), t._index]}
    if shape is not None:
        cfg["shape"] = list(shape)
    return {"class_name": "__keras_tensor__", "config": cfg}


def _args_json(v, index_of, depth=0):
    if isinstance(v, KerasTensor):
        return _tensor_json(v, index_of)
    if isinstance(v, (list, tuple)):
        return [_args_json(x, index_of, depth + 1) for x in v]
    if isinstance(v, dict):
        return {str(k): _args_json(x, index_of, depth + 1) for k, x in v.items()}
    return _jsonable(v, depth)


def _model_config(model):
    # A Sequential is written in the Functional form too (Keras 3 reads both): its inbound nodes then record every
    # tensor's shape, which gives placeholders such as RandomFlip their output shape.
    ins, outs = model._graph()
    nodes = _model_nodes(model)
    # Node indices as Keras 3 writes them: each layer's calls inside this model, numbered from 0 in call order.
    per_layer = {}
    for n in nodes:
        per_layer.setdefault(id(n.layer), []).append(n)
    for lst in per_layer.values():
        lst.sort(key=lambda n: n.layer._nodes.index(n))
    index = {id(n): i for lst in per_layer.values() for i, n in enumerate(lst)}

    def index_of(n):
        if id(n) not in index:
            raise ValueError(f"Model '{model.name}': layer '{n.layer.name}' is read but not part of the model")
        return index[id(n)]

    entries, seen = [], set()
    for n in nodes:
        if id(n.layer) in seen:
            continue
        seen.add(id(n.layer))
        e = n.layer._entry_without_nodes()
        e["name"] = n.layer.name
        e["inbound_nodes"] = [] if isinstance(n.layer, InputLayer) else [
            {"args": _args_json(m.args, index_of), "kwargs": _args_json(m.kwargs, index_of)} for m in per_layer[id(n.layer)]
        ]
        entries.append(e)
    ref = lambda t: [t._node.layer.name, index_of(t._node), t._index]
    return {
        "name": model.name,
        # A frozen model (base_model.trainable = False) says so; the importer refuses it by name, as it refuses a file.
        "trainable": model.trainable is not False,
        "layers": entries,
        "input_layers": [ref(t) for t in ins],
        "output_layers": [ref(t) for t in outs],
    }


def _model_entry(model):
    cls = "Functional"
    return {
        "module": "keras" if cls == "Sequential" else "keras.src.models.functional",
        "class_name": cls,
        "config": _model_config(model),
        "registered_name": None if cls == "Sequential" else "Functional",
    }


def model_json(model):
    """The model as Keras 3 `model.to_json()` text."""
    return json.dumps(_model_entry(model))


def _standalone_json(layer):
    node = layer._nodes[0]
    ins = []
    for t in node.input_tensors():
        s = t._node.shapes[t._index] if t._node.shapes else None
        if s is None:
            raise ValueError(f"the input shape of layer '{layer.name}' is unknown")
    m = {"class_name": "Functional", "config": {"name": "m", "layers": [], "input_layers": [], "output_layers": []}}
    tensors = []
    call = {"args": _call_json(node.args, tensors), "kwargs": _call_json(node.kwargs, tensors)}
    for k, t in enumerate(tensors):
        nm = f"__in{k}"
        ins.append(nm)
        m["config"]["layers"].append({"class_name": "InputLayer", "name": nm, "config": {"name": nm, "batch_shape": list(t._node.shapes[t._index])}, "inbound_nodes": []})

    def sub(v):
        if isinstance(v, dict) and "__t__" in v:
            return {"class_name": "__keras_tensor__", "config": {"keras_history": [ins[v["__t__"]], 0, 0]}}
        if isinstance(v, list):
            return [sub(x) for x in v]
        if isinstance(v, dict):
            return {k: sub(x) for k, x in v.items()}
        return v

    e = layer._entry_without_nodes()
    e["name"] = layer.name
    e["inbound_nodes"] = [{"args": sub(call["args"]), "kwargs": sub(call["kwargs"])}]
    m["config"]["layers"].append(e)
    m["config"]["input_layers"] = [[n, 0, 0] for n in ins]
    m["config"]["output_layers"] = [[layer.name, 0, 0]]
    return json.dumps(m)


def _model_info(text):
    res = json.loads(_core.model_info(text))
    if res.get("error"):
        raise ValueError(res["error"])
    return res


def _model_call_shapes(model, given):
    ins, outs = model._graph()
    shapes = []
    for t in outs:
        s = t._node.shapes[t._index] if t._node.shapes is not None else None
        shapes.append(s)
    if any(s is None for s in shapes):
        return None
    # Calling a model on tensors of other batch sizes keeps the model's own output shapes (the batch axis is None).
    return [list(s) for s in shapes]


# ----------------------------------------------------------------------------------------------------------------
# Placeholders for everything that only prepares data, trains or plots


class _Dummy:
    """A placeholder value: any attribute, call, index or arithmetic gives another placeholder."""

    def __init__(self, what="value", shape=None):
        object.__setattr__(self, "_what", what)
        known = shape is not None and not isinstance(shape, _UnknownShape)
        object.__setattr__(self, "shape", tuple(shape) if known else _UnknownShape(what))

    def __getattr__(self, k):
        if k.startswith("__"):
            raise AttributeError(k)
        if k == "reshape":
            return lambda *s, **kw: _Dummy(self._what, _reshape(self.shape, s))
        if k == "astype":
            return lambda *a, **kw: _Dummy(self._what, self.shape)
        if k == "ndim" and isinstance(self.shape, tuple):
            return len(self.shape)
        if k == "T" and isinstance(self.shape, tuple):
            return _Dummy(self._what, tuple(reversed(self.shape)))
        return _Dummy(f"{self._what}.{k}")

    def __setattr__(self, k, v):
        pass

    def __call__(self, *a, **k):
        return _Dummy(f"{self._what}(...)")

    def __getitem__(self, k):
        known = isinstance(self.shape, tuple)
        if known and self.shape and isinstance(k, slice):
            n = self.shape[0]
            if n is not None:
                return _Dummy(self._what, (len(range(*k.indices(n))),) + tuple(self.shape[1:]))
        if known and self.shape and isinstance(k, int):
            return _Dummy(self._what, self.shape[1:])
        return _Dummy(f"{self._what}[...]")

    def __setitem__(self, k, v):
        pass

    def _unknown(self, *a):
        raise ValueError(
            f"{self._what} is a placeholder: it comes from data the code loads or prepares, which Layerlab does not run, "
            "so its size or value is not known; write the number in the code"
        )

    def __len__(self):
        if isinstance(self.shape, tuple) and self.shape and isinstance(self.shape[0], int):
            return self.shape[0]
        self._unknown()

    def __iter__(self):
        inner = self.shape[1:] if isinstance(self.shape, tuple) and self.shape else None
        # Unpacked (`a, b, c, d = train_test_split(...)`): as many placeholders as the statement takes.
        n = _unpack_count(sys._getframe(1))
        if n is None:
            n = min(self.shape[0], 2) if isinstance(self.shape, tuple) and self.shape and isinstance(self.shape[0], int) else 1
        return iter([_Dummy(self._what, inner) for _ in range(n)])

    def __fspath__(self):
        return "/nonexistent/layerlab-placeholder"

    def __bool__(self):
        return True

    __float__ = __int__ = __index__ = _unknown

    def __format__(self, spec):
        return f"<{self._what}>"

    def _json(self):
        return None

    def __repr__(self):
        return f"<placeholder {self._what}>"

    def _same(self, *a, **k):
        return _Dummy(self._what, self.shape)

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _same
    __floordiv__ = __rfloordiv__ = __pow__ = __mod__ = __neg__ = __abs__ = _same
    __lt__ = __le__ = __gt__ = __ge__ = __and__ = __or__ = __invert__ = _same

    def __eq__(self, o):
        return self is o

    def __hash__(self):
        return id(self)


def _unpack_count(frame):
    """The n of the UNPACK_SEQUENCE instruction `frame` is running (CPython bytecode), or None."""
    try:
        import dis

        code = frame.f_code.co_code
        i = frame.f_lasti
        if dis.opname[code[i]] == "UNPACK_SEQUENCE":
            return code[i + 1]
    except Exception:  # noqa: BLE001 - any other interpreter: not an unpacking we can read
        return None
    return None


class _UnknownShape:
    """The shape of data Layerlab does not load: reading a size from it says so."""

    def __init__(self, what):
        self._what = what

    def _fail(self, *a, **k):
        raise ValueError(
            f"the shape of {self._what} is not known to Layerlab: it comes from data the code loads or prepares, which "
            "Layerlab does not run; write the size as a number"
        )

    __getitem__ = __len__ = __iter__ = __index__ = __int__ = _fail

    def __bool__(self):
        return False

    def __repr__(self):
        return "<unknown shape>"


def _reshape(shape, s):
    if len(s) == 1 and isinstance(s[0], (tuple, list)):
        s = tuple(s[0])
    if not all(isinstance(d, int) for d in s):
        return None
    if not isinstance(shape, tuple) or any(d is None for d in shape):
        return None if -1 in s else tuple(s)
    total = 1
    for d in shape:
        total *= d
    known = 1
    for d in s:
        if d != -1:
            known *= d
    return tuple(total // known if d == -1 and known else d for d in s)


class _DType:
    def __init__(self, name):
        self.name = name

    def __call__(self, v=0):
        return v

    def __repr__(self):
        return self.name


# ----------------------------------------------------------------------------------------------------------------
# Module construction


class _Module(types.ModuleType):
    """A stand-in module; `fallback(name)` answers attributes it lacks (None: AttributeError)."""

    def __init__(self, name, fallback=None, doc=None):
        super().__init__(name, doc)
        self._fallback = fallback

    def __getattr__(self, k):
        if k.startswith("__"):
            raise AttributeError(k)
        fb = self.__dict__.get("_fallback")
        v = fb(k) if fb else None
        if v is None:
            raise AttributeError(f"module '{self.__name__}' has no attribute '{k}' in Layerlab's Keras stand-in")
        return v


_LAYERS = None


def layers_module():
    return _LAYERS


def _unknown_layer_class(name):
    if not name[:1].isupper():
        return None
    cls = _make_layer_class(name, (), "keras.layers")
    cls._unknown = True
    return cls


def _merge_fn(cls):
    def f(inputs, *args, **kwargs):
        return getattr(_LAYERS, cls)(*args, **kwargs)(inputs)

    f.__name__ = _to_snake_case(cls)
    return f


ACTIVATIONS = [
    "linear", "relu", "relu6", "sigmoid", "softmax", "tanh", "elu", "selu", "softplus", "softsign", "swish", "silu",
    "gelu", "hard_sigmoid", "log_softmax", "mish", "exponential", "leaky_relu",
]


def _objects_module(name, kind):
    """keras.initializers / regularizers / constraints / optimizers / losses / metrics / callbacks: recorded objects."""

    def fb(k):
        if k[:1].isupper():
            def make(*args, **kwargs):
                return _Serializable(f"keras.{kind}", k, dict({f"arg{i}": a for i, a in enumerate(args)}, **kwargs))
            make.__name__ = k
            return make
        if kind == "regularizers" and k in ("l1", "l2", "l1_l2"):
            cls = {"l1": "L1", "l2": "L2", "l1_l2": "L1L2"}[k]

            def reg(*args, **kwargs):
                keys = {"l1": ["l1"], "l2": ["l2"], "l1_l2": ["l1", "l2"]}[k]
                return _Serializable("keras.regularizers", cls, dict(zip(keys, args), **kwargs))
            return reg
        return _IgnoredCall(f"keras.{kind}.{k}")

    return _Module(name, fb)


DATASETS = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "boston_housing": ((404, 13), (404,), (102, 13), (102,)),
    "imdb": ((25000,), (25000,), (25000,), (25000,)),
    "reuters": ((8982,), (8982,), (2246,), (2246,)),
}


def _datasets_module():
    m = _Module("keras.datasets")
    for k, (a, b, c, d) in DATASETS.items():
        def load_data(*args, _k=k, _s=(a, b, c, d), **kwargs):
            _ignored(f"keras.datasets.{_k}.load_data()")
            return (_Dummy("x_train", _s[0]), _Dummy("y_train", _s[1])), (_Dummy("x_test", _s[2]), _Dummy("y_test", _s[3]))
        sub = _Module(f"keras.datasets.{k}", lambda n: _IgnoredCall(f"keras.datasets.{n}"))
        sub.load_data = load_data
        setattr(m, k, sub)
    return m


def _to_categorical(y, num_classes=None, *a, **k):
    _ignored("keras.utils.to_categorical(...)")
    n = y.shape[0] if isinstance(y, _Dummy) and isinstance(y.shape, tuple) and y.shape else None
    return _Dummy("one-hot labels", (n, num_classes) if n is not None and isinstance(num_classes, int) else None)


def _ops_module():
    def concatenate(xs, axis=-1):
        return _LAYERS.Concatenate(axis=axis)(list(xs))

    def fb(k):
        def unsupported(*a, **kw):
            if any(isinstance(x, KerasTensor) for x in a):
                raise StandInUnsupported(
                    f"keras.ops.{k} on a model tensor is not supported by Layerlab's Keras stand-in: use a layer instead"
                )
            return _Dummy(f"ops.{k}(...)")
        return unsupported

    m = _Module("keras.ops", fb)
    m.add = lambda a, b: _LAYERS.Add()([a, b])
    m.subtract = lambda a, b: _LAYERS.Subtract()([a, b])
    m.multiply = lambda a, b: _LAYERS.Multiply()([a, b])
    m.maximum = lambda a, b: _LAYERS.Maximum()([a, b])
    m.minimum = lambda a, b: _LAYERS.Minimum()([a, b])
    m.concatenate = concatenate
    for a in ACTIVATIONS:
        if a not in ("linear",):
            setattr(m, a, _Activation(a))
    for k in ("mean", "sum", "max", "min", "prod", "std", "var", "amax", "amin", "logsumexp", "argmax", "argmin", "all", "any"):
        setattr(m, k, _reduce(k))
    m.reshape = _ops_reshape
    m.transpose = _ops_transpose
    m.expand_dims = _ops_expand_dims
    m.squeeze = _ops_squeeze
    m.matmul = _ops_matmul
    for k in ("exp", "log", "sqrt", "square", "abs", "negative", "sign", "floor", "ceil", "round", "log1p", "expm1",
              "sin", "cos", "erf", "reciprocal", "rsqrt", "stop_gradient", "cast", "clip", "absolute"):
        setattr(m, k, _ops_elementwise(k))
    m.shape = lambda x: x.shape if isinstance(x, KerasTensor) else getattr(x, "shape", _Dummy("ops.shape(...)"))
    return m


# Keras 3.15's signatures of the applications the stand-in builds (keras/src/applications/*.py), in positional order.
APPLICATION_ARGS = {
    "VGG16": ("include_top", "weights", "input_tensor", "input_shape", "pooling", "classes", "classifier_activation", "name"),
    "ResNet50": ("include_top", "weights", "input_tensor", "input_shape", "pooling", "classes", "classifier_activation", "name"),
    "MobileNet": ("input_shape", "alpha", "depth_multiplier", "dropout", "include_top", "weights", "input_tensor", "pooling",
                  "classes", "classifier_activation", "name"),
}
# Submodules code imports them from (keras.applications.resnet50.ResNet50, keras.applications.vgg16.VGG16, ...).
APPLICATION_MODULES = {"vgg16": "VGG16", "resnet50": "ResNet50", "resnet": "ResNet50", "mobilenet": "MobileNet"}


def _application(cls):
    """keras.applications.<cls>: the architecture built from Layerlab's template (applications.ts), as a nested model."""

    def make(*args, **kwargs):
        names = APPLICATION_ARGS[cls]
        if len(args) > len(names):
            raise TypeError(f"{cls}() takes at most {len(names)} positional arguments but {len(args)} were given")
        given = dict(zip(names, args))
        for k, v in kwargs.items():
            if k not in names:
                raise TypeError(f"{cls}() got an unexpected keyword argument '{k}'")
            if k in given:
                raise TypeError(f"{cls}() got multiple values for argument '{k}'")
            given[k] = v
        tensor = given.pop("input_tensor", None)
        name = given.pop("name", None)
        if tensor is not None:
            if not isinstance(tensor, KerasTensor) or not isinstance(tensor._node.layer, InputLayer):
                raise StandInUnsupported(
                    f"keras.applications.{cls}(input_tensor=...) with a tensor other than a keras.Input is not supported "
                    "by Layerlab's Keras stand-in: call the model on that tensor instead (base(x))"
                )
            given.setdefault("input_shape", tuple(tensor.shape[1:]))
        weights = given.get("weights", "imagenet")
        if weights is not None and not isinstance(weights, str):
            raise TypeError(f"{cls}(): weights must be None, 'imagenet' or a file path")
        if weights is not None:
            line = user_line()
            _state.note(
                ("weights", cls),
                f"keras.applications.{cls}(weights={weights!r}) at line {line}: Layerlab builds the architecture; weights are "
                "not loaded (they change no shape or count)",
            )
        res = json.loads(_core.application(cls, json.dumps(_jsonable(given))))
        if not res.get("ok"):
            raise ValueError(res.get("error") or f"keras.applications.{cls} could not be built")
        x = tensor if tensor is not None else Input(shape=tuple(res["input_shape"]))
        made = {"input": x}
        out = x
        for l in res["layers"]:
            layer = getattr(_LAYERS, l["class_name"])(**l["args"], **({"name": l["name"]} if l["name"] else {}))
            ins = [made[n] for n in l["inputs"]]
            out = layer(ins if len(ins) > 1 else ins[0])
            made[layer.name] = out
        return Model(x, out, name=name or res["name"])

    make.__name__ = cls
    return make


def _applications_module():
    def fb(k):
        if k in APPLICATION_MODULES:
            sub = _Module(f"keras.applications.{k}", lambda n, _k=k: _IgnoredCall(f"keras.applications.{_k}.{n}"))
            setattr(sub, APPLICATION_MODULES[k], _application(APPLICATION_MODULES[k]))
            return sub
        if k[:1].isupper():
            raise NotImplementedError(
                f"keras.applications.{k} is not an architecture Layerlab can build; it builds "
                f"{', '.join(APPLICATION_ARGS)} (from its templates of the same models)"
            )
        return _IgnoredCall(f"keras.applications.{k}")

    m = _Module("keras.applications", fb)
    m.__path__ = []
    for cls in APPLICATION_ARGS:
        setattr(m, cls, _application(cls))
    return m


def _numpy_module():
    """numpy stand-in: numpy is not loaded (seconds in Pyodide); data preparation gets placeholders."""

    def arr(name):
        def f(*args, **kwargs):
            shape = kwargs.get("size") or kwargs.get("shape")
            if shape is None and args and all(isinstance(a, int) for a in args) and name in ("rand", "randn"):
                shape = args
            if shape is None and args and isinstance(args[0], (tuple, list)) and name in ("zeros", "ones", "empty", "full", "random", "normal", "uniform"):
                shape = args[0]
            if isinstance(shape, int):
                shape = (shape,)
            return _Dummy(f"numpy.{name}(...)", shape)
        return f

    def prod(v, *a, **k):
        if isinstance(v, (list, tuple)) and all(isinstance(x, int) for x in v):
            return math.prod(v)
        return _Dummy("numpy.prod(...)")

    def fb(k):
        if k in ("float32", "float64", "int32", "int64", "uint8", "bool_", "float16"):
            return _DType(k)
        return arr(k)

    np = _Module("numpy", fb, "Layerlab's numpy stand-in: accepts data preparation and returns placeholders.")
    np.prod = prod
    np.pi = math.pi
    np.e = math.e
    np.newaxis = None
    np.ndarray = _Dummy
    np.expand_dims = lambda a, axis=-1: _Dummy("numpy.expand_dims(...)", _expand(getattr(a, "shape", None), axis))
    rnd = _Module("numpy.random", lambda k: arr(k))
    np.random = rnd
    return np, rnd


def _expand(shape, axis):
    if not isinstance(shape, tuple):
        return None
    s = list(shape)
    i = axis if axis >= 0 else len(s) + 1 + axis
    s.insert(i, 1)
    return tuple(s)


def install(spec_json):
    """Reads the core's layer list (class names, aliases, positional argument order); called once after load."""
    global _SPEC, _core
    _SPEC = json.loads(spec_json)
    import layerlab_core

    _core = layerlab_core


def _build_modules():
    global _LAYERS, _state
    _state = _State()
    keras = _Module("keras", doc="Layerlab's recording stand-in for Keras 3.")
    keras.__path__ = []
    layers = _Module("keras.layers", _unknown_layer_class)
    layers.__path__ = []
    _LAYERS = layers
    for cls, info in _SPEC["classes"].items():
        if cls == "InputLayer":
            continue
        setattr(
            layers,
            cls,
            _make_layer_class(info["canonical"], info["positional"], info.get("module") or "keras.layers", info.get("required"), info.get("defaults")),
        )
    layers.Layer = Layer
    experimental = _Module("keras.layers.experimental", lambda k: getattr(layers, k, None))
    experimental.preprocessing = layers
    layers.experimental = experimental
    layers.InputLayer = InputLayer
    layers.Input = Input
    for fn in ("add", "concatenate", "multiply", "average", "maximum", "minimum", "subtract", "dot"):
        cls = {"add": "Add", "concatenate": "Concatenate", "multiply": "Multiply", "average": "Average", "maximum": "Maximum",
               "minimum": "Minimum", "subtract": "Subtract", "dot": "Dot"}[fn]
        if hasattr(layers, cls):
            setattr(layers, fn, _merge_fn(cls))
    models = _Module("keras.models", lambda k: _IgnoredCall(f"keras.models.{k}"))
    models.Model = Model
    models.Sequential = Sequential
    models.Functional = Functional
    models.__path__ = []

    def load_model(*a, **k):
        raise NotImplementedError("keras.models.load_model reads a saved file, which Layerlab cannot see; open the model's JSON with Open… instead")

    models.load_model = load_model
    keras.layers = layers
    keras.models = models
    keras.Model = Model
    keras.Sequential = Sequential
    keras.Input = Input
    keras.Layer = Layer
    keras.ops = _ops_module()
    acts = _Module("keras.activations", lambda k: None)
    for a in ACTIVATIONS:
        setattr(acts, a, _Activation(a))
    acts.get = lambda n: _Activation(n) if isinstance(n, str) else n
    keras.activations = acts
    subs = {}
    for kind in ("initializers", "regularizers", "constraints", "optimizers", "losses", "metrics", "callbacks"):
        m = _objects_module(f"keras.{kind}", kind)
        setattr(keras, kind, m)
        subs[f"keras.{kind}"] = m
    utils = _Module("keras.utils", lambda k: _IgnoredCall(f"keras.utils.{k}"))
    utils.to_categorical = _to_categorical
    utils.plot_model = _IgnoredCall("keras.utils.plot_model")
    keras.utils = utils
    keras.datasets = _datasets_module()
    backend = _Module("keras.backend", lambda k: _IgnoredCall(f"keras.backend.{k}"))
    backend.clear_session = lambda *a, **k: None
    keras.backend = backend

    keras.applications = _applications_module()
    keras.__version__ = "3.15.0"
    keras.version = lambda: "3.15.0"
    keras.config = _Module("keras.config", lambda k: _IgnoredCall(f"keras.config.{k}"))
    keras.preprocessing = _Module("keras.preprocessing", lambda k: _IgnoredCall(f"keras.preprocessing.{k}"))
    keras.random = _Module("keras.random", lambda k: _IgnoredCall(f"keras.random.{k}"))
    keras.saving = _Module("keras.saving", lambda k: _IgnoredCall(f"keras.saving.{k}"))
    keras.saving.register_keras_serializable = lambda *a, **k: (lambda c: c)
    keras.utils.register_keras_serializable = keras.saving.register_keras_serializable

    tf = _Module("tensorflow", lambda k: _IgnoredCall(f"tf.{k}"), "Layerlab's stand-in for TensorFlow: tf.keras only.")
    tf.__path__ = []
    tf.keras = keras
    nn = _Module("tensorflow.nn", lambda k: None)
    for a in ACTIVATIONS:
        setattr(nn, a, _Activation(a))
    tf.nn = nn
    tf.float32 = _DType("float32")
    tf.concat = lambda xs, axis=-1, name=None: _LAYERS.Concatenate(axis=axis)(list(xs))
    tf.add = keras.ops.add
    tf.multiply = keras.ops.multiply
    for k in ("mean", "sum", "max", "min", "prod", "std", "logsumexp", "all", "any"):
        setattr(tf, f"reduce_{k}", _reduce(k))
    tf.reshape = lambda x, shape, name=None: _ops_reshape(x, shape)
    tf.transpose = lambda x, perm=None, **k: _ops_transpose(x, perm)
    tf.expand_dims = lambda x, axis, name=None: _ops_expand_dims(x, axis)
    tf.squeeze = lambda x, axis=None, name=None: _ops_squeeze(x, axis)
    tf.matmul = lambda a, b, **k: _ops_matmul(a, b)
    tf.__version__ = "2.20.0"
    np, rnd = _numpy_module()
    mpl = _Module("matplotlib", lambda k: _IgnoredCall(f"matplotlib.{k}"))
    mpl.__path__ = []
    plt = _Module("matplotlib.pyplot", lambda k: _IgnoredCall(f"matplotlib.pyplot.{k}"))
    mpl.pyplot = plt
    mods = {
        "keras": keras,
        "keras.layers": layers,
        "keras.models": models,
        "keras.ops": keras.ops,
        "keras.activations": acts,
        "keras.utils": utils,
        "keras.datasets": keras.datasets,
        "keras.backend": backend,
        "keras.applications": keras.applications,
        "keras.saving": keras.saving,
        "keras.config": keras.config,
        "keras.preprocessing": keras.preprocessing,
        "tensorflow": tf,
        "tensorflow.keras": keras,
        "tensorflow.nn": nn,
        "tf_keras": keras,
        "numpy": np,
        "numpy.random": rnd,
        "matplotlib": mpl,
        "matplotlib.pyplot": plt,
        **subs,
    }
    for k in APPLICATION_MODULES:
        mods[f"keras.applications.{k}"] = getattr(keras.applications, k)
    for k, m in list(mods.items()):
        if k.startswith("keras."):
            mods["tensorflow." + k] = m
            mods["tf_keras." + k[len("keras."):]] = m
    for k, sub in list(vars(keras.datasets).items()):
        if isinstance(sub, _Module):
            mods[f"keras.datasets.{k}"] = sub
            mods[f"tensorflow.keras.datasets.{k}"] = sub
    return mods


class ImportRefused(ModuleNotFoundError):
    """An import the stand-in does not offer (reported as ModuleNotFoundError)."""


def _guarded_import(mods):
    real = builtins.__import__

    def imp(name, globals=None, locals=None, fromlist=(), level=0):
        if level:
            raise ImportRefused("relative imports are not available: the code runs as one file")
        top = name.split(".")[0]
        if name in mods:
            m = mods[name]
            if fromlist:
                return m
            return mods[top]
        if top in ("keras", "tensorflow", "tf_keras"):
            # A submodule the stand-in does not list: layers from keras.layers.*, anything else accepted and ignored.
            m = _LAYERS if ".layers" in name else _Module(name, lambda k, _n=name: _IgnoredCall(f"{_n}.{k}"))
            m.__path__ = []
            mods[name] = m
            return m if fromlist else mods[top]
        if top in DATA_MODULES:
            _state.note(("data", top), f"'{top}' is not available in the page: its calls are accepted and give placeholders (import at line {user_line()}).")
            for i in range(1, len(name.split(".")) + 1):
                part = ".".join(name.split(".")[:i])
                if part not in mods:
                    m = _Module(part, lambda k, _n=part: _IgnoredData(f"{_n}.{k}"))
                    m.__path__ = []
                    mods[part] = m
            return mods[name] if fromlist else mods[top]
        if top in STANDIN_MODULES:
            raise ImportRefused(
                f"No module named '{name}' in Layerlab's stand-in for {top} (it provides the parts model-building code uses)",
                name=name,
            )
        if top in ALLOWED_STDLIB:
            return real(name, globals, locals, fromlist, level)
        raise ImportRefused(
            f"'import {name}': Layerlab runs Keras code with stand-ins for keras, tensorflow (tf.keras) and numpy; "
            f"'{top}' is not available in the page",
            name=name,
        )

    return imp


def _frame_line(tb):
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == USER_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _message(e):
    if isinstance(e, RecursionError):
        return "RecursionError: the code recurses without end (Python's recursion limit was reached)"
    text = str(e)
    if isinstance(e, KeyError):
        text = repr(e.args[0]) if e.args else ""
    kind = "ModuleNotFoundError" if isinstance(e, ImportRefused) else "NotImplementedError" if isinstance(e, StandInUnsupported) else type(e).__name__
    return f"{kind}: {text}" if text else kind


def _choose(ns):
    m = ns.get("model")
    if isinstance(m, Model):
        return m
    top = [m for m in _state.models]
    return top[-1] if top else None


def run(code):
    """Runs user code against fresh stand-in modules; returns JSON {ok, json, notes} or {ok: false, reason, line}."""
    mods = _build_modules()
    saved = {k: sys.modules.get(k) for k in mods}
    sys.modules.update(mods)
    try:
        try:
            compiled = compile(code, USER_FILE, "exec")
        except SyntaxError as e:
            return json.dumps({"ok": False, "reason": f"{type(e).__name__}: {e.msg}", "line": e.lineno})
        safe_builtins = dict(builtins.__dict__)
        safe_builtins["__import__"] = _guarded_import(mods)
        safe_builtins["print"] = lambda *a, **k: None
        safe_builtins["input"] = lambda *a, **k: ""
        safe_builtins["open"] = _no_open
        for k in ("exit", "quit", "breakpoint", "help", "copyright", "credits", "license"):
            safe_builtins.pop(k, None)
        ns = {"__name__": "__main__", "__builtins__": safe_builtins}
        try:
            exec(compiled, ns)
            model = _choose(ns)
            if model is None:
                return json.dumps({"ok": False, "reason": "The code ran but never built a Keras model (keras.Model or keras.Sequential)."})
            if getattr(model, "_subclassed", False):
                model._build_from_call()
            text = model_json(model)
        except Exception as e:  # noqa: BLE001 - every error of the user's code is reported with its line
            # The line of the layer a Sequential was building when it failed, else the innermost line of the user's code.
            line = getattr(e, "_layerlab_line", None) or _frame_line(e.__traceback__)
            out = {"ok": False, "reason": _message(e), "lines": _state.lines}
            if line is not None:
                out["line"] = line
            return json.dumps(out)
        notes = list(_state.notes)
        for cls, line in _state.unknown.items():
            notes.append(
                f"{cls} (line {line}) is a layer class Layerlab does not have: it is kept as a placeholder with its settings;"
                " enter its output shape in the inspector" if line else f"{cls} is a layer class Layerlab does not have"
            )
        chosen = f"The model is '{model.name}'"
        if len(_state.models) > 1:
            notes.insert(0, f"{chosen} (the code built {len(_state.models)} models; Layerlab takes the one named `model`, else the last).")
        return json.dumps({"ok": True, "json": text, "notes": notes, "name": model.name, "lines": _state.lines})
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


def _no_open(*a, **k):
    raise PermissionError("the code cannot read or write files in Layerlab")
