"""Runs the code-import fixtures (tests/fixtures/code/*.py) in real Keras 3 and reports what Keras counts.

Usage: KERAS_BACKEND=jax python codeimport_fixtures.py RESULTS.json FILE.py...

Each file runs as a script (``__name__ == "__main__"``) in a fresh namespace and must leave its model in the
variable ``model``. RESULTS.json: {"keras": version, "results": [{"file", "ok", "total", "trainable", "non_trainable",
"printed": {"total", "trainable", "non_trainable"} | null, "outputs": [[dim | null, ...], ...] | null,
"error"?}]}: ``total`` is ``model.count_params()``,
``trainable`` / ``non_trainable`` the sums of the sizes of ``model.trainable_weights`` / ``non_trainable_weights``,
``outputs`` the shapes of ``model.outputs``, ``printed`` the figures ``model.summary()`` printed when the file calls it (what a reader of a tutorial sees).

Fixtures written for tf.keras (``from tensorflow import keras``) run on Keras 3 alone, as they do with TensorFlow
2.16 or newer (whose ``tf.keras`` is Keras 3): when TensorFlow is not installed, ``tensorflow`` is a small module
whose ``keras`` is Keras 3 (``tensorflow.keras.*`` the matching Keras modules) and whose ``nn`` has the activations.
It is given to the fixture's own imports only (not put in ``sys.modules``: Keras looks there for TensorFlow tensors).
"""

import contextlib
import importlib
import io
import json
import math
import os
import re
import sys
import traceback
import types

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402

KERAS_SUBMODULES = ("layers", "models", "applications", "optimizers", "losses", "metrics", "callbacks", "utils", "ops",
                    "activations", "initializers", "regularizers", "backend", "datasets")


def tensorflow_shim():
    """`tensorflow` modules by name, as Keras 3's host, when TensorFlow itself is absent (else {})."""
    try:
        importlib.import_module("tensorflow")
        return {}
    except ImportError:
        pass
    tf = types.ModuleType("tensorflow")
    tf.__path__ = []
    tf.keras = keras
    nn = types.ModuleType("tensorflow.nn")
    for name in ("relu", "sigmoid", "softmax", "tanh", "elu", "selu", "gelu", "swish", "silu", "softplus"):
        setattr(nn, name, getattr(keras.activations, name))
    tf.nn = nn
    mods = {"tensorflow": tf, "tensorflow.nn": nn, "tensorflow.keras": keras}
    for sub in KERAS_SUBMODULES:
        mods[f"tensorflow.keras.{sub}"] = getattr(keras, sub)
    return mods


def importer(shim):
    """builtins.__import__ that answers the shim's module names from it, everything else as usual."""
    real = __builtins__.__import__ if hasattr(__builtins__, "__import__") else __builtins__["__import__"]

    def imp(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name in shim:
            return shim[name] if fromlist else shim[name.split(".")[0]]
        return real(name, globals, locals, fromlist, level)

    return imp


def size(w):
    return int(math.prod(int(d) for d in w.shape))


def printed(text):
    """The three figures `model.summary()` printed (the last summary), or None when nothing was printed."""
    out = {}
    for key, label in (("total", "Total params"), ("trainable", "Trainable params"), ("non_trainable", "Non-trainable params")):
        found = re.findall(label + r":\s*([\d,]+)", text)
        if not found:
            return None
        out[key] = int(found[-1].replace(",", ""))
    return out


def output_shapes(model):
    """The shapes of the model's outputs (None for an unknown size), in order; None when Keras keeps no output list."""
    try:
        return [[None if d is None else int(d) for d in t.shape] for t in model.outputs]
    except (AttributeError, ValueError, TypeError):
        return None


def run_one(path, shim):
    out = io.StringIO()
    try:
        keras.backend.clear_session()
        with open(path, encoding="utf-8") as f:
            text = f.read()
        builtins = dict(vars(__import__("builtins")))
        builtins["__import__"] = importer(shim)
        namespace = {"__name__": "__main__", "__builtins__": builtins}
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(text, path, "exec"), namespace)
        model = namespace.get("model")
        if model is None:
            raise NameError("the file defines no `model`")
        return {
            "file": os.path.basename(path),
            "ok": True,
            "total": int(model.count_params()),
            "trainable": sum(size(w) for w in model.trainable_weights),
            "non_trainable": sum(size(w) for w in model.non_trainable_weights),
            "printed": printed(out.getvalue()),
            "outputs": output_shapes(model),
        }
    except Exception as e:  # noqa: BLE001 - every failure is a result
        tb = traceback.extract_tb(e.__traceback__)
        where = next((f"line {f.lineno}" for f in reversed(tb) if f.filename == path), "")
        return {"file": os.path.basename(path), "ok": False, "error": f"{type(e).__name__}: {str(e)[:500]} {where}".strip()}


def main():
    shim = tensorflow_shim()
    results = [run_one(p, shim) for p in sys.argv[2:]]
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump({"keras": keras.__version__, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
