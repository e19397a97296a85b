"""Keras's constructor signatures of layer classes, for the record tests/fixtures/keras/keras-signatures.json.

    KERAS_BACKEND=jax python tests/keras/signatures.py Dense Conv2D ... > out.json

For each class name (a class of `keras.layers`), `inspect.signature(cls.__init__)` without `self`: the arguments that
can be passed by position, in order, and those without a default (required). A name Keras lacks maps to null.
"""
import inspect
import json
import sys

import keras


def signature(name):
    cls = getattr(keras.layers, name, None)
    if cls is None:
        return None
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    named = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return {
        "positional": [p.name for p in params if p.kind in named],
        "required": [p.name for p in params if p.default is inspect.Parameter.empty and p.kind in named + (inspect.Parameter.KEYWORD_ONLY,)],
    }


if __name__ == "__main__":
    names = sorted(set(sys.argv[1:]))
    print(json.dumps({"keras": keras.__version__, "classes": {n: signature(n) for n in names}}, indent=1))
