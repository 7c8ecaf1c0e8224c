#!/usr/bin/env bash
# Runs the notebooks in notebooks/ headlessly, as a test, in two JShell-based Java kernels: BeakerX 2.x's (what
# users run) and rapaio-jupyter-kernel. Every notebook counts its own checks and ends with "N passed, M failed";
# a notebook fails unless that line says M = 0 and N = the count it declares, and no cell shows an error.
#
#   notebooks/run-notebooks.sh                 build, run every notebook in both kernels, write the outputs back
#   notebooks/run-notebooks.sh --check         the same without touching the .ipynb files (CI)
#   notebooks/run-notebooks.sh [--check] [--skip-build] [--kernel beakerx|rapaio] [notebooks/NAME.ipynb ...]
#
# What it does (installing what is missing):
#   1. python3-nbclient (Debian; apt-get) to drive the kernels, and Fashion-MNIST (dataset-fashion-mnist) for
#      notebook 3 if apt-get can install it;
#   2. BeakerX 2.x's Java kernel, built from source by the project's shared script (../shared/beakerx/
#      build-kernel.sh beside the repository, or $BEAKERX_BUILD_SCRIPT; Debian's gradle, Maven Central; about a
#      minute), cached under $CAPSNET_NOTEBOOK_TOOLS/beakerx (default ~/.cache/capsnet4j-notebooks) and rebuilt
#      only when the script, its archives or the JDK change;
#   3. rapaio-jupyter-kernel (one self-contained jar, Java 17+, fetched with Maven), in the same cache;
#      each kernel gets its own private Jupyter directory with a kernelspec "java" (the user's are not touched);
#   4. builds the project (mvn -B -q -DskipTests package: capsnet-zoo/target/capsnet-zoo.jar and target/lib/);
#   5. run_notebook.py: per notebook, checks its sources for what BeakerX rejects, then runs it in each kernel
#      in notebooks/ (BeakerX: as it is, with its beakerx-only %classpath cell; rapaio: that cell removed and
#      its jars put on RJK_CLASSPATH) and checks the tally; prints the time per notebook and kernel. Outputs
#      written back are rapaio's (no BeakerX widgets or "null" results), and only if both kernels passed.
#
# Environment: CAPSNET_NOTEBOOK_TOOLS (the kernels' cache), BEAKERX_BUILD_SCRIPT, NOTEBOOK_JAVA_OPTS (extra JVM
# options of both kernels, e.g. -Xmx6g), NOTEBOOK_CELL_TIMEOUT (seconds per cell, default 300),
# MAVEN_LOCAL_REPOSITORY (default ~/.m2/repository), JAVA_HOME (a JDK 17: BeakerX is built and run with it).
set -euo pipefail

RAPAIO_ARTIFACT=io.github.padreati:rapaio-jupyter-kernel:3.0.1
RAPAIO_JAR=rapaio-jupyter-kernel-3.0.1.jar

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
check=0
build=1
kernels=()
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    --skip-build) build=0 ;;
    --kernel)
      case "${2:-}" in
        beakerx|rapaio) kernels+=("$2"); shift ;;
        *) echo "run-notebooks.sh: --kernel takes beakerx or rapaio" >&2; exit 2 ;;
      esac ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-notebooks.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) notebooks+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")") ;;
  esac
  shift
done
if [ ${#kernels[@]} -eq 0 ]; then
  kernels=(rapaio beakerx)               # rapaio first: its outputs are the ones written back
fi
if [ ${#notebooks[@]} -eq 0 ]; then
  notebooks=("$here"/*.ipynb)
fi
wants() { [[ " ${kernels[*]} " == *" $1 "* ]]; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}
apt_install() {
  command -v apt-get >/dev/null || return 1
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q "$@" || { as_root apt-get update -q && as_root apt-get install -y -q "$@"; }
}

# 1. The notebook runner: Debian's nbclient (a Python that can import it: Debian's, or the one on PATH).
find_python() {
  for candidate in /usr/bin/python3 "$(command -v python3 || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import nbclient, nbformat' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}
if ! python="$(find_python)"; then
  echo "== installing the notebook runner (python3-nbclient, python3-jupyter-client)"
  apt_install python3-nbclient python3-nbformat python3-jupyter-client >/dev/null \
    || { echo "run-notebooks.sh: cannot install python3-nbclient; install it (or pip install nbclient) and retry" >&2; exit 1; }
  python="$(find_python)" || { echo "run-notebooks.sh: nbclient is installed but no python3 imports it" >&2; exit 1; }
fi
if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  echo "== installing Fashion-MNIST (dataset-fashion-mnist) for notebook 3"
  apt_install dataset-fashion-mnist >/dev/null \
    || echo "   not installed; notebook 3 trains on MNIST digits instead"
fi

# The JDK both kernels run on (BeakerX's is also compiled with it).
if [ -n "${JAVA_HOME:-}" ]; then
  java_home="$JAVA_HOME"
elif command -v java >/dev/null; then
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
else
  echo "run-notebooks.sh: no Java found; install a JDK 17 or set JAVA_HOME" >&2; exit 1
fi
java_bin="$java_home/bin/java"
java_version="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
java_major="${java_version#1.}"          # "1.8" is Java 8
java_major="${java_major%%.*}"
if ! [ "${java_major:-0}" -ge 17 ] 2>/dev/null; then
  echo "run-notebooks.sh: the Java kernels need Java 17, but $java_bin is Java ${java_version:-unknown} (set JAVA_HOME)" >&2
  exit 1
fi
tools="${CAPSNET_NOTEBOOK_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/capsnet4j-notebooks}"
mkdir -p "$tools"

# 2. BeakerX 2.x's Java kernel, built by the project's shared script; rebuilt only when its inputs change.
if wants beakerx; then
  build_script="${BEAKERX_BUILD_SCRIPT:-$(dirname "$root")/shared/beakerx/build-kernel.sh}"
  if [ ! -f "$build_script" ]; then
    echo "run-notebooks.sh: BeakerX's build script $build_script is missing. Put a copy of the project's shared/" \
         "directory beside the repository (as ../shared), or point BEAKERX_BUILD_SCRIPT at build-kernel.sh" \
         "(or run only the other kernel: --kernel rapaio)" >&2
    exit 1
  fi
  if [ ! -x "$java_home/bin/javac" ]; then
    echo "run-notebooks.sh: BeakerX's kernel is built from source and needs a JDK, but $java_home has no javac" \
         "(set JAVA_HOME to a JDK 17)" >&2
    exit 1
  fi
  if [ "$java_major" != 17 ]; then
    echo "   note: BeakerX's kernel is tested on Java 17 only (on Java 25, interrupting a busy cell killed it);" \
         "this is Java $java_version"
  fi
  beakerx="$tools/beakerx"
  key="$( (sha256sum "$build_script" "$(dirname "$build_script")"/*.tar.gz | sed 's/ .*//'; "$java_bin" -version 2>&1; echo "$java_home") \
          | sha256sum | sed 's/ .*//')"
  (
    if command -v flock >/dev/null; then flock 9; fi   # one build at a time per cache
    if [ "$(cat "$beakerx/built-from" 2>/dev/null)" != "$key" ]; then
      command -v gradle >/dev/null || apt_install gradle >/dev/null \
        || { echo "run-notebooks.sh: building BeakerX needs Debian's gradle (apt-get install gradle)" >&2; exit 1; }
      echo "== building BeakerX's Java kernel with $build_script (about a minute; log: $tools/beakerx-build.log)"
      rm -f "$beakerx/built-from"
      JAVA_HOME="$java_home" bash "$build_script" "$beakerx" >"$tools/beakerx-build.log" 2>&1 \
        || { tail -20 "$tools/beakerx-build.log" >&2; echo "run-notebooks.sh: BeakerX's build failed (log above)" >&2; exit 1; }
      echo "$key" >"$beakerx/built-from"                # written last: an interrupted build is redone
    fi
  ) 9>"$tools/beakerx.lock"
  # the build's kernelspec, headless and with NOTEBOOK_JAVA_OPTS, in the runner's own Jupyter directory
  mkdir -p "$tools/jupyter-beakerx/kernels/java"
  "$python" - "$beakerx/jupyter/kernels/java/kernel.json" "$tools/jupyter-beakerx/kernels/java/kernel.json" \
      "${NOTEBOOK_JAVA_OPTS:-}" <<'EOF'
import json, shlex, sys
built, runner, opts = sys.argv[1:4]
with open(built) as f:
    spec = json.load(f)
spec["argv"][1:1] = ["-Djava.awt.headless=true", *shlex.split(opts)]
spec["display_name"] = "Java (BeakerX, capsnet4j notebooks)"
with open(runner, "w") as f:
    json.dump(spec, f, indent=1)
EOF
fi

# 3. rapaio-jupyter-kernel (Java 17+), one self-contained jar.
if wants rapaio; then
  mkdir -p "$tools/jupyter/kernels/java" "$tools/mima_cache"
  if [ ! -s "$tools/$RAPAIO_JAR" ]; then
    echo "== downloading the Java kernel $RAPAIO_ARTIFACT"
    # run outside the project so that Maven does not repeat it for every module
    (cd "$tools" && mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="$RAPAIO_ARTIFACT" -DoutputDirectory="$tools")
  fi
  "$python" - "$tools" "$java_bin" "${NOTEBOOK_JAVA_OPTS:-}" "$RAPAIO_JAR" <<'EOF'
import json, shlex, sys
tools, java, opts, jar = sys.argv[1:5]
spec = {
    "argv": [java, "-Djava.awt.headless=true", *shlex.split(opts), "-jar", f"{tools}/{jar}", "{connection_file}"],
    "display_name": "Java (rapaio, capsnet4j notebooks)",
    "language": "java",
    "interrupt_mode": "message",
    # RJK_CLASSPATH is set per notebook by run_notebook.py, from its beakerx-only cell
    "env": {"RJK_MIMA_CACHE": f"{tools}/mima_cache", "RJK_TIMEOUT_MILLIS": "-1", "RJK_COMPILER_OPTIONS": ""},
}
with open(f"{tools}/jupyter/kernels/java/kernel.json", "w") as f:
    json.dump(spec, f, indent=1)
EOF
fi

# 4. The project's jars.
if [ "$build" -eq 1 ]; then
  echo "== building the project (mvn -B -q -DskipTests package)"
  (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests package)
fi

# 5. The notebooks, in the kernels in the order asked for.
kernel_args=()
for kernel in "${kernels[@]}"; do
  case "$kernel" in
    beakerx) kernel_args+=(--kernel "beakerx=$tools/jupyter-beakerx") ;;
    rapaio) kernel_args+=(--kernel "rapaio=$tools/jupyter") ;;
  esac
done
runtime="$(mktemp -d -t capsnet4j-notebooks.XXXXXX)"
export JUPYTER_RUNTIME_DIR="$runtime"     # connection files and the kernels' logs; kept if a notebook fails
echo "== running ${#notebooks[@]} notebook(s) in ${kernels[*]} with $("$java_bin" -version 2>&1 | head -1)"
args=(--timeout "${NOTEBOOK_CELL_TIMEOUT:-300}" --log-dir "$runtime" "${kernel_args[@]}")
[ "$check" -eq 1 ] && args+=(--check)
args+=(--maven-repo "${MAVEN_LOCAL_REPOSITORY:-$HOME/.m2/repository}")   # for %classpath add mvn lines
status=0
"$python" "$here/run_notebook.py" "${args[@]}" "${notebooks[@]}" || status=$?
if [ "$status" -eq 0 ]; then
  rm -rf "$runtime"
else
  echo "the kernels' own logs are in $runtime"
fi
exit "$status"
