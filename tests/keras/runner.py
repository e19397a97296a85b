"""Runs a batch of Layerlab-generated Keras programs and model JSON files in one Keras 3 process.

Usage: KERAS_BACKEND=jax python runner.py BATCH.json RESULTS.json

BATCH.json: {"programs": [{"id": str, "kind": "python" | "json", "text": str}, ...]}
  kind "python": the model-building part of a generated program (the test cuts it before `compile`); it is
    executed in a fresh namespace and must leave a Keras model in the variable `model`. What it prints
    (`model.summary()`) is captured.
  kind "json": model JSON text, loaded with `keras.models.model_from_json`.

RESULTS.json: {"keras": version, "backend": name, "results": [{"id", "ok", "error"?, "model"?}, ...]} where
  "model" is {"class", "layers": [{"name", "class", "shapes": [[dim | null, ...] per call], "connected":
  ["<layer>[<node>][<tensor>]" for each input of each call, as the summary's "Connected to"], "trainable",
  "non_trainable"}], "inputs": [layer names], "outputs": [layer names], "trainable", "non_trainable", "total",
  "printed_total"} — a layer's "shapes" lists the output shape of each of its calls inside the model,
  in Keras's node order; parameter counts are sums of the weights' sizes. "printed_total" is the figure
  `model.summary()` printed after "Total params:" (None when nothing was printed); for a program,
  "to_json" is the model's Keras 3 `to_json()` (the file a Keras 3 user would open in Layerlab).

A program may define a `keras.Model` subclass (the Model subclassing form) and call it once on `keras.Input`s. Keras
records no nodes inside a subclassed model (its layers run on JAX tracers in `call`), so the runner records them
itself: while a program's subclass runs `call`, every layer call's output tensors are noted (the last trace of
`call` counts; Keras traces it when it builds the model and again when it calls it). Such a model's "layers"
then give each call's output shapes from that trace and no "connected"; "outputs" names the layer that produced
each returned tensor (`<input k>` for the k-th input returned as is; "a|b" when several layers returned that
very tensor object, as a Dropout at inference returns its input); "input_shapes" gives the shapes `call`
received, in order; "subclassed" is true; "to_json" is absent (a subclass's config cannot rebuild it).

Each program is caught on its own: an exception becomes {"ok": false, "error": "<class>: <message>"}.
"""

import contextlib
import io
import json
import math
import os
import re
import sys
import time
import traceback

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402


def size(w):
    """Number of scalars in a weight (a Keras Variable)."""
    return int(math.prod(int(d) for d in w.shape))


def shape_of(t):
    """A KerasTensor's shape as a JSON list, None for an unknown (batch) dimension."""
    return [None if d is None else int(d) for d in t.shape]


from keras.src.layers.layer import Layer as _Layer  # noqa: E402
from keras.src.models.functional import Functional as _Functional  # noqa: E402

# The layer calls of the subclassed model's `call` being traced: [(layer, outputs)], or None outside one.
_trace = None
# The last trace of each subclassed model, by id() of the model (kept off the model: Keras tracks a built
# layer's attributes and refuses new ones holding layers).
_traces = {}
_layer_call = _Layer.__call__


def _recording_call(self, *args, **kwargs):
    """Layer.__call__, noting the call's outputs while a program's subclassed model traces its `call`."""
    out = _layer_call(self, *args, **kwargs)
    if _trace is not None:
        _trace.append((self, out))
    return out


_Layer.__call__ = _recording_call


def _dims(t):
    """A traced tensor's shape as a JSON list: an int for a known size, None for a symbolic (unknown) one."""
    return [d if isinstance(d, int) else None for d in t.shape]


def _recording_subclass(cls, **kwargs):
    """Wraps the `call` of each keras.Model subclass a program defines, to keep its last trace (see above)."""
    super(keras.Model, cls).__init_subclass__(**kwargs)
    own = cls.__dict__.get("call")
    if own is None or cls.__module__ != "__layerlab_program__":
        return

    def call(self, *args, **kwargs):
        global _trace
        outer, _trace = _trace, []
        try:
            out = own(self, *args, **kwargs)
            # Who made each tensor object. A layer that returns its input as is at inference (Dropout,
            # GaussianNoise, Identity…) "makes" the same object again: every such name is kept, "a|b".
            made = {}
            for k, t in enumerate(keras.tree.flatten(args[0] if args else kwargs.get("inputs"))):
                made[id(t)] = [f"<input {k}>"]
            for layer, o in _trace:
                for t in keras.tree.flatten(o):
                    made.setdefault(id(t), []).append(layer.name)
            _traces[id(self)] = {
                "calls": _trace,
                "outputs": ["|".join(made.get(id(t), ["?"])) for t in keras.tree.flatten(out)],
                "input_shapes": [_dims(t) for t in keras.tree.flatten(args[0] if args else kwargs.get("inputs"))],
            }
        finally:
            _trace = outer
        return out

    cls.call = call


keras.Model.__init_subclass__ = classmethod(_recording_subclass)


def describe_subclassed(model):
    """A subclassed model from its last traced `call`: each attribute layer's calls' output shapes, counts."""
    trace = _traces.pop(id(model), None)
    if trace is None:
        raise RuntimeError("the subclassed model was never called, so it has no layers to compare")
    layers = []
    for layer in model.layers:
        shapes = [[_dims(t) for t in keras.tree.flatten(o)] for l, o in trace["calls"] if l is layer]
        layers.append(
            {
                "name": layer.name,
                "class": layer.__class__.__name__,
                "shapes": [s[0] if len(s) == 1 else s for s in shapes],
                "connected": [],
                "trainable": sum(size(w) for w in layer.trainable_weights),
                "non_trainable": sum(size(w) for w in layer.non_trainable_weights),
            }
        )
    return {
        "class": model.__class__.__name__,
        "subclassed": True,
        "layers": layers,
        "inputs": [],
        "input_shapes": trace["input_shapes"],
        "outputs": trace["outputs"],
        "trainable": sum(size(w) for w in model.trainable_weights),
        "non_trainable": sum(size(w) for w in model.non_trainable_weights),
        "total": model.count_params(),
    }


def describe(model):
    """Every layer of a built model: name, class, output shape of each call inside the model, counts."""
    if not isinstance(model, (keras.Sequential, _Functional)):
        return describe_subclassed(model)
    graph = model._functional if isinstance(model, keras.Sequential) else model
    own = set(getattr(graph, "_nodes", ()))
    layers = []
    for layer in model.layers:
        shapes = []
        connected = []
        for i, node in enumerate(layer._inbound_nodes):
            key = f"{id(layer)}_ib-{i}"
            if own and key not in own:
                continue
            shapes.append([shape_of(t) for t in node.outputs])
            for t in node.arguments.keras_tensors:
                op, node_index, tensor_index = t._keras_history
                # Keras 3 computes a mask outside the layer (Masking, Embedding mask_zero) with operations
                # (NotEqual, Any) whose output goes in as `mask=`; its summary lists them too. They are not
                # layers, and Layerlab (like tf.keras 2 and tfjs) does not list them: left out here.
                if isinstance(op, keras.layers.Layer):
                    connected.append(f"{op.name}[{node_index}][{tensor_index}]")
        layers.append(
            {
                "name": layer.name,
                "class": layer.__class__.__name__,
                "shapes": [s[0] if len(s) == 1 else s for s in shapes],
                "connected": connected,
                "trainable": sum(size(w) for w in layer.trainable_weights),
                "non_trainable": sum(size(w) for w in layer.non_trainable_weights),
            }
        )
    trainable = sum(size(w) for w in model.trainable_weights)
    non_trainable = sum(size(w) for w in model.non_trainable_weights)
    return {
        "class": model.__class__.__name__,
        "layers": layers,
        "inputs": [t._keras_history[0].name for t in graph.inputs],
        "outputs": [t._keras_history[0].name for t in graph.outputs],
        "trainable": trainable,
        "non_trainable": non_trainable,
        "total": model.count_params(),
    }


def printed_total(text):
    """The figure after "Total params:" in what `model.summary()` printed, as an int, or None."""
    m = re.search(r"Total params:\s*([\d,]+)", text)
    return int(m.group(1).replace(",", "")) if m else None


def run_one(program):
    """Builds one program's model; returns its description or the error, never raises."""
    t0 = time.perf_counter()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            if program["kind"] == "python":
                namespace = {"__name__": "__layerlab_program__"}
                exec(compile(program["text"], program["id"], "exec"), namespace)
                model = namespace.get("model")
                if model is None:
                    raise NameError("the program defined no `model`")
            else:
                model = keras.models.model_from_json(program["text"])
            result = describe(model)
        result["printed_total"] = printed_total(out.getvalue())
        if program["kind"] == "python" and not result.get("subclassed"):
            result["to_json"] = model.to_json()
        return {"id": program["id"], "ok": True, "model": result, "seconds": time.perf_counter() - t0}
    except Exception as e:  # noqa: BLE001 - every failure is a result
        tb = traceback.extract_tb(e.__traceback__)
        where = next((f"line {f.lineno}: {f.line}" for f in reversed(tb) if f.filename == program["id"]), None)
        # Keras appends the whole config to some messages ("Full object config: {...}"): keep the sentence.
        text = str(e).strip().split(" Full object config:")[0]
        message = f"{e.__class__.__name__}: {text}"
        return {"id": program["id"], "ok": False, "error": message[:600], "where": where}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        batch = json.load(f)
    results = []
    for i, program in enumerate(batch["programs"]):
        # Every layer in the programs is named, so Keras's name counters do not matter; clearing the
        # session costs a garbage collection (~80 ms), so it is done only now and then, to free memory.
        if i % 50 == 0:
            keras.backend.clear_session()
        results.append(run_one(program))
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump({"keras": keras.__version__, "backend": keras.backend.backend(), "results": results}, f)


if __name__ == "__main__":
    main()
