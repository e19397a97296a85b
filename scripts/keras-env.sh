#!/bin/sh
# Creates (when missing) the Python environment of the Keras oracle (tests/keras/) and prints its python.
#
#   scripts/keras-env.sh            # prints e.g. /root/.cache/layerlab/keras-venv/bin/python
#
# The environment lives outside the checkout, in ${LAYERLAB_KERAS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/layerlab/keras-venv},
# with the versions pinned in tests/keras/requirements.txt (keras 3.15.1, jax/jaxlib 0.10.2 CPU, and their
# dependencies). Idempotent: when the environment exists and was made from the same requirements file it
# only prints the path (well under a second). Otherwise it (re)creates it with `python3 -m venv` and pip
# (about 20 s to 3 min, depending on the package index; about 700 MB). Progress goes to stderr, the path to
# stdout. PYTHON picks the interpreter used to create it (default python3, which must be 3.10 or newer).
# Exit status: 0 with the path printed, 1 when python3 or pip fails (the reason on stderr).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
req="$here/tests/keras/requirements.txt"
venv=${LAYERLAB_KERAS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/layerlab/keras-venv}
py="$venv/bin/python"
stamp="$venv/.layerlab-requirements"
python=${PYTHON:-python3}

if [ -x "$py" ] && [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
  echo "$py"
  exit 0
fi

if ! command -v "$python" >/dev/null 2>&1; then
  echo "keras-env: '$python' not found; install Python 3.10+ (e.g. apt-get install python3 python3-venv) or set PYTHON." >&2
  exit 1
fi

if [ ! -x "$py" ]; then
  echo "keras-env: creating $venv with $("$python" --version 2>&1)" >&2
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv" >&2
fi
echo "keras-env: installing the pinned packages of $req (a few minutes the first time)" >&2
"$py" -m pip install --disable-pip-version-check -q -r "$req" >&2
# Check that what was installed imports and is the pinned Keras on JAX, before marking it done.
KERAS_BACKEND=jax "$py" -c "import keras, jax, sys; want = [l.strip().split('==')[1] for l in open(sys.argv[1]) if l.startswith('keras==')][0]; assert keras.__version__ == want, (keras.__version__, want); assert keras.backend.backend() == 'jax'" "$req" >&2
cp "$req" "$stamp"
echo "$py"
