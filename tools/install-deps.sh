#!/usr/bin/env bash
# Installs the Debian 12 packages redshield needs. `run` installs what
# building and serving need; `test` adds PostgreSQL, Chromium with CJK fonts,
# clang for fuzzing, and the benchmark references. Packages already present
# are skipped; apt-get update runs only when something is missing.
set -euo pipefail

build_pkgs=(build-essential cmake ninja-build ccache pkg-config python3 sqlite3
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libsimdjson-dev zlib1g-dev
  libsoci-dev libsqlite3-dev libpq-dev libvectorscan-dev libopencc-dev opencc libicu-dev
  libutf8proc-dev libsodium-dev libexpected-dev libcli11-dev libspdlog-dev libfmt-dev
  libxlsxwriter-dev libqrencode-dev libgtest-dev libbenchmark-dev)
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
