# Sourced by the fixture scripts: `ensure_venv "<python import check>" <pip packages…>` makes .cache/venv
# exist and hold the packages, installing from the local pip mirror. Sets $venv.
# pip's global config lists the mirrors as extra index URLs; without an explicit --index-url pip tries PyPI
# first and only falls back to them after minutes of retries.
venv=".cache/venv"

ensure_venv() {
  local check="$1"
  shift
  mkdir -p .cache
  # Several fixture scripts share the venv; the lock keeps two of them from creating or filling it at once.
  exec 9>".cache/venv.lock"
  flock 9
  if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv" >&2
    python3 -m venv "$venv"
  fi
  if ! "$venv/bin/python" -c "$check" >/dev/null 2>&1; then
    local mirrors pip_args=()
    read -r -a mirrors <<<"$(python3 -m pip config get global.extra-index-url 2>/dev/null || true)"
    if [ "${#mirrors[@]}" -ge 1 ]; then pip_args+=(--index-url "${mirrors[0]}"); fi
    if [ "${#mirrors[@]}" -ge 2 ]; then pip_args+=(--extra-index-url "${mirrors[1]}"); fi
    echo "installing $* into $venv" >&2
    "$venv/bin/python" -m pip install --quiet "${pip_args[@]}" "$@"
  fi
  flock -u 9
}
