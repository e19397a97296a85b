"""Runs the forward-value cases of forward.oracle.test.ts in one Keras 3 process.

Usage: KERAS_BACKEND=jax python forward.py BATCH.json RESULTS.json

BATCH.json: {"cases": [{"id": str, "class": str, "config": {...}, "call": "single" | "list" | "positional" | "initialState",
  "callArgs": {...}, "inputs": [{"shape": [int...], "data": [float...]}], "weights": [{"shape": [int...], "data": [float...]}]}]}
  Each case builds `getattr(keras.layers, class)(**config)` (the Keras arguments Layerlab writes: core
  `kerasArgs`), calls it once to build it — on `inputs[0]` ("single"), on the list of inputs ("list":
  `Attention()([q, v])`), on the inputs as separate arguments ("positional": `MultiHeadAttention()(q, v, k)`) or on
  the sequence with the rest as its initial states ("initialState": `LSTM()(x, initial_state=[h, c])`), with the
  call arguments "callArgs" as keywords (core `kerasCallArgs`: `mha(q, v, use_causal_mask=True)`) —,
  sets its weights (`layer.set_weights`, in the order of `layer.weights`: the order tfjs's class lists them
  in must be the same) and calls it again with training=False.

RESULTS.json: {"keras": version, "backend": name, "results": [{"id", "ok": true, "outputs": [{"shape", "data"}],
  "weights": [{"name", "shape"}]} | {"id", "ok": false, "error"}]}: every output the layer returns, in order (one,
  or several: an LSTM with return_state, a MultiHeadAttention with return_attention_scores; row-major, float32),
  and Keras's own weight names and shapes in its order. Each case is caught on its own.
"""

import json
import math
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402


def array(t):
    """A {"shape", "data"} record as a float32 numpy array."""
    return np.asarray(t["data"], dtype="float32").reshape(t["shape"])


def call(layer, form, xs, kwargs):
    """Calls the layer the way Keras code does for this kind, outside training, with its call arguments."""
    if form == "positional":
        return layer(*xs, training=False, **kwargs)
    if form == "list":
        return layer(list(xs), training=False, **kwargs)
    if form == "initialState":
        return layer(xs[0], initial_state=list(xs[1:]), training=False, **kwargs)
    return layer(xs[0], training=False, **kwargs)


def values(y):
    """One output as {"shape", "data"}: NaN and infinities, which are not JSON, become null (a difference)."""
    y = np.asarray(keras.ops.convert_to_numpy(y), dtype="float64")
    return {"shape": list(y.shape), "data": [v if math.isfinite(v) else None for v in y.reshape(-1).tolist()]}


def run_one(case):
    """One case: build, set weights, call; the output or the error, never raises."""
    try:
        cls = getattr(keras.layers, case["class"])
        layer = cls(**case["config"])
        xs = [array(t) for t in case["inputs"]]
        kwargs = case.get("callArgs", {})
        call(layer, case["call"], xs, kwargs)
        theirs = [{"name": w.path, "shape": [int(d) for d in w.shape]} for w in layer.weights]
        given = [array(w) for w in case["weights"]]
        if len(given) != len(layer.weights):
            raise ValueError(f"Keras's layer has {len(layer.weights)} weights, tfjs's {len(given)}")
        layer.set_weights(given)
        # A preprocessing layer reads its state weights through finalize_state() (Normalization: mean and
        # variance from adapt_mean / adapt_variance), which Keras also runs when it loads saved weights.
        if hasattr(layer, "finalize_state"):
            layer.finalize_state()
        y = call(layer, case["call"], xs, kwargs)
        outputs = [values(t) for t in y] if isinstance(y, (list, tuple)) else [values(y)]
        return {"id": case["id"], "ok": True, "outputs": outputs, "weights": theirs}
    except Exception as e:  # noqa: BLE001 - every failure is a result
        return {"id": case["id"], "ok": False, "error": f"{e.__class__.__name__}: {str(e)[:600]}"}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        batch = json.load(f)
    results = [run_one(c) for c in batch["cases"]]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump({"keras": keras.__version__, "backend": keras.backend.backend(), "results": results}, f)


if __name__ == "__main__":
    main()
