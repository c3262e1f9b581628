# Functions shared by setup.sh and test.sh (sourced, not run).

step() { printf '\n==> %s\n' "$*"; }

as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

# Everything the project builds and tests with, from Debian 12's own archive.
DEBIAN_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libtorch-dev python3-torch python3-numpy python3-opencv
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev ffmpeg
  libopencv-dev libsodium-dev libssl-dev libcurl4-openssl-dev libboost-dev libboost-system-dev
  libeigen3-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
)

install_debian_packages() {
  local missing=()
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
  if ((${#missing[@]})); then
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "all Debian packages present"
  fi
}

# The interoperability tests run independent implementations (sr25519, SCALE) under node; each
# folder tests/interop/<name>/ with a package-lock.json is one such npm project.
install_npm_packages() {
  local lock
  for lock in tests/interop/*/package-lock.json; do
    [[ -f "$lock" ]] || continue
    (cd "$(dirname "$lock")" && npm ci --no-audit --no-fund --loglevel=error)
  done
}

configure_and_build() {
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@"
  cmake --build "$dir" --parallel "$(nproc)"
}

run_tests() {
  local dir=$1
  ctest --test-dir "$dir" --output-on-failure --parallel "$(nproc)" --timeout 1200
}

run_demo() {
  local dir=$1
  echo "demo not available yet"
}
