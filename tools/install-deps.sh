#!/usr/bin/env bash
# Installs the Debian 12 packages redshield needs. `run` installs what
# building and serving need; `test` adds PostgreSQL, Chromium with CJK fonts,
# clang for fuzzing, and the benchmark references. Packages already present
# are skipped; apt-get update runs only when something is missing.
set -euo pipefail

build_pkgs=(build-essential cmake ninja-build ccache pkg-config python3 sqlite3
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libsimdjson-dev zlib1g-dev libzstd-dev
  libsoci-dev libsqlite3-dev libpq-dev libvectorscan-dev libopencc-dev opencc libicu-dev
  libutf8proc-dev libsodium-dev libexpected-dev libcli11-dev libspdlog-dev libfmt-dev
  libxlsxwriter-dev libqrencode-dev libgtest-dev libbenchmark-dev libgoogle-perftools-dev)
test_pkgs=(postgresql chromium fonts-noto-cjk clang libclang-rt-14-dev wrk nginx-light ripgrep)

want=("${build_pkgs[@]}")
[[ "${1:-run}" == "test" ]] && want+=("${test_pkgs[@]}")
command -v node >/dev/null 2>&1 || want+=(nodejs npm)

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "all ${#want[@]} packages present"
fi

# The web build (Vite 8, Vitest 4) needs Node.js >= 20.19; Debian 12's nodejs
# is 18. npm's registry carries the official Linux build as the package
# node-linux-<arch>: unpack it under /opt and put it first on PATH.
node_ok() { node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)' 2>/dev/null; }
if ! node_ok; then
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
  dir=/opt/redshield-node
  echo "Node.js $(node --version 2>/dev/null || echo missing) is too old for the web build: installing node-linux-$arch@20 from npm into $dir"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-$arch@20" >/dev/null)
  rm -rf "$dir" && mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
  ln -sf "$dir/bin/node" /usr/local/bin/node
  hash -r
  node_ok || { echo "Node.js >= 20.19 is needed for the web build" >&2; exit 1; }
fi
