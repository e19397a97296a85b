"""Runs the forward-value cases of forward.oracle.test.ts in one Keras 3 process.

Usage: KERAS_BACKEND=jax python forward.py BATCH.json RESULTS.json

BATCH.json: {"cases": [{"id": str, "class": str, "config": {...}, "call": "single" | "list" | "positional" | "initialState",
  "inputs": [{"shape": [int...], "data": [float...]}], "weights": [{"shape": [int...], "data": [float...]}]}]}
  Each case builds `getattr(keras.layers, class)(**config)` (the Keras arguments Layerlab writes: core
  `kerasArgs`), calls it once to build it — on `inputs[0]` ("single"), on the list of inputs ("list":
  `Attention()([q, v])`) or on the inputs as separate arguments ("positional": `MultiHeadAttention()(q, v, k)`) —,
  sets its weights (`layer.set_weights`, in the order of `layer.weights`: the order tfjs's class lists them
  in must be the same) and calls it again with training=False.

RESULTS.json: {"keras": version, "backend": name, "results": [{"id", "ok": true, "shape", "data", "weights":
  [{"name", "shape"}]} | {"id", "ok": false, "error"}]}: the output (row-major, float32) and Keras's own
  weight names and shapes in its order. Each case is caught on its own.
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


def call(layer, form, xs):
    """Calls the layer the way Keras code does for this kind, outside training."""
    if form == "positional":
        return layer(*xs, training=False)
    if form == "list":
        return layer(list(xs), training=False)
    if form == "initialState":
        return layer(xs[0], initial_state=list(xs[1:]), training=False)
    return layer(xs[0], training=False)


def run_one(case):
    """One case: build, set weights, call; the output or the error, never raises."""
    try:
        cls = getattr(keras.layers, case["class"])
        layer = cls(**case["config"])
        xs = [array(t) for t in case["inputs"]]
        call(layer, case["call"], xs)
        theirs = [{"name": w.path, "shape": [int(d) for d in w.shape]} for w in layer.weights]
        given = [array(w) for w in case["weights"]]
        if len(given) != len(layer.weights):
            raise ValueError(f"Keras's layer has {len(layer.weights)} weights, tfjs's {len(given)}")
        layer.set_weights(given)
        # A preprocessing layer reads its state weights through finalize_state() (Normalization: mean and
        # variance from adapt_mean / adapt_variance), which Keras also runs when it loads saved weights.
        if hasattr(layer, "finalize_state"):
            layer.finalize_state()
        y = np.asarray(keras.ops.convert_to_numpy(call(layer, case["call"], xs)), dtype="float64")
        # NaN and infinities are not JSON: written as null, which the comparison counts as a difference.
        data = [v if math.isfinite(v) else None for v in y.reshape(-1).tolist()]
        return {"id": case["id"], "ok": True, "shape": list(y.shape), "data": data, "weights": theirs}
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
