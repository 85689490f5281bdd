# Shared shell helpers for ./scratchnet, ./test.sh and .ci/run. Sourced, not run.

# Where ScratchNet looks for Fashion-MNIST, in order (same order as the CLI's locator).
fashion_mnist_found() {
  local dir
  for dir in "${SCRATCHNET_DATA:-}" "${SCRATCHNET_DATA:+$SCRATCHNET_DATA/fashion-mnist}" "./data" "./data/fashion-mnist" "/usr/share/datasets/fashion-mnist"; do
    [[ -n "$dir" && -f "$dir/train-images-idx3-ubyte.gz" || -n "$dir" && -f "$dir/train-images-idx3-ubyte" ]] && return 0
  done
  return 1
}

# Installs a Debian package when missing: as root it installs it, otherwise it names the exact command.
ensure_deb() {
  local package="$1" probe="$2" why="$3"
  [[ -e "$probe" ]] && return 0
  if [[ "$(id -u)" != 0 ]]; then
    echo "scratchnet: $why needs the Debian package '$package'. Run: sudo apt-get install -y $package" >&2
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "scratchnet: $why needs '$package' and this system has no apt-get; see README.md (Data)." >&2
    return 1
  fi
  echo "scratchnet: installing $package ($why)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "$package" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$package" >/dev/null; } \
    || { echo "scratchnet: could not install $package; run: apt-get update && apt-get install -y $package" >&2; return 1; }
}

ensure_fashion_mnist() {
  fashion_mnist_found && return 0
  ensure_deb dataset-fashion-mnist /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz "Fashion-MNIST" \
    || echo "scratchnet: or download it with: ./scratchnet data fetch" >&2
}
