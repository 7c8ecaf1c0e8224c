#!/usr/bin/env bash
# Runs the notebooks in notebooks/ headlessly, as a test: every notebook checks its own results and throws when
# one is wrong, so any cell error fails this script.
#
#   notebooks/run-notebooks.sh                 build, run every notebook, write the outputs back into the .ipynb files
#   notebooks/run-notebooks.sh --check         the same without touching the .ipynb files (CI)
#   notebooks/run-notebooks.sh [--check] [--skip-build] [notebooks/NAME.ipynb ...]
#
# What it does (installing what is missing):
#   1. python3-nbclient (Debian; apt-get) to drive the kernel, and Fashion-MNIST (dataset-fashion-mnist) for
#      notebook 3 if apt-get can install it;
#   2. the JShell-based Java kernel io.github.padreati:rapaio-jupyter-kernel (one self-contained jar, Java 17+,
#      fetched with Maven) as the kernelspec "java" in a private Jupyter directory (not the user's), under
#      $CAPSNET_NOTEBOOK_TOOLS (default ~/.cache/capsnet4j-notebooks);
#   3. builds the project (mvn -B -q -DskipTests package: capsnet-zoo/target/capsnet-zoo.jar and target/lib/*.jar);
#   4. per notebook (run_notebook.py): checks that the jars named in its beakerx-only cell exist, removes that
#      cell (BeakerX's %classpath magic), puts exactly those jars on the kernel's classpath, runs the notebook
#      in notebooks/ and fails on any cell error. Only a kernel that does not start is retried.
#
# Environment: CAPSNET_NOTEBOOK_TOOLS (where the kernel goes), NOTEBOOK_JAVA_OPTS (extra JVM options of the
# kernel, e.g. -Xmx6g), NOTEBOOK_CELL_TIMEOUT (seconds per cell, default 600), MAVEN_LOCAL_REPOSITORY
# (default ~/.m2/repository), JAVA_HOME.
set -euo pipefail

KERNEL_ARTIFACT=io.github.padreati:rapaio-jupyter-kernel:3.0.1
KERNEL_JAR=rapaio-jupyter-kernel-3.0.1.jar

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
check=0
build=1
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    --skip-build) build=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-notebooks.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) notebooks+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")") ;;
  esac
  shift
done
if [ ${#notebooks[@]} -eq 0 ]; then
  notebooks=("$here"/*.ipynb)
fi

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
  echo "== installing the notebook runner (python3-nbclient, jupyter-client)"
  apt_install python3-nbclient python3-nbformat jupyter-client >/dev/null \
    || { echo "run-notebooks.sh: cannot install python3-nbclient; install it (or pip install nbclient) and retry" >&2; exit 1; }
  python="$(find_python)" || { echo "run-notebooks.sh: nbclient is installed but no python3 imports it" >&2; exit 1; }
fi
if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  echo "== installing Fashion-MNIST (dataset-fashion-mnist) for notebook 3"
  apt_install dataset-fashion-mnist >/dev/null \
    || echo "   not installed; notebook 3 trains on the bundled digits instead"
fi

# 2. The JShell-based Java kernel (Java 17+) as kernelspec "java" in a private Jupyter directory.
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
java_version="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
java_major="${java_version#1.}"          # "1.8" is Java 8
java_major="${java_major%%.*}"
if ! [ "${java_major:-0}" -ge 17 ] 2>/dev/null; then
  echo "run-notebooks.sh: the Java kernel needs Java 17 or newer, but $java_bin is Java ${java_version:-unknown}" >&2
  exit 1
fi
tools="${CAPSNET_NOTEBOOK_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/capsnet4j-notebooks}"
mkdir -p "$tools/jupyter/kernels/java" "$tools/mima_cache"
if [ ! -s "$tools/$KERNEL_JAR" ]; then
  echo "== downloading the Java kernel $KERNEL_ARTIFACT"
  # run outside the project so that Maven does not repeat it for every module; the jar is self-contained
  (cd "$tools" && mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="$KERNEL_ARTIFACT" -DoutputDirectory="$tools")
fi
"$python" - "$tools" "$java_bin" "${NOTEBOOK_JAVA_OPTS:-}" <<'EOF'
import json, shlex, sys
tools, java, opts = sys.argv[1:4]
spec = {
    "argv": [java, "-Djava.awt.headless=true", *shlex.split(opts), "-jar", f"{tools}/rapaio-jupyter-kernel-3.0.1.jar", "{connection_file}"],
    "display_name": "Java (capsnet4j notebooks)",
    "language": "java",
    "interrupt_mode": "message",
    # RJK_CLASSPATH is set per notebook by run_notebook.py, from its beakerx-only cell
    "env": {"RJK_MIMA_CACHE": f"{tools}/mima_cache", "RJK_TIMEOUT_MILLIS": "-1", "RJK_COMPILER_OPTIONS": ""},
}
with open(f"{tools}/jupyter/kernels/java/kernel.json", "w") as f:
    json.dump(spec, f, indent=1)
EOF
export JUPYTER_PATH="$tools/jupyter"      # searched before the user's and the system's kernelspecs

# 3. The project's jars.
if [ "$build" -eq 1 ]; then
  echo "== building the project (mvn -B -q -DskipTests package)"
  (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests package)
fi

# 4. The notebooks.
runtime="$(mktemp -d -t capsnet4j-notebooks.XXXXXX)"
export JUPYTER_RUNTIME_DIR="$runtime"     # connection files and the kernels' logs; kept if a notebook fails
echo "== running ${#notebooks[@]} notebook(s) with $("$java_bin" -version 2>&1 | head -1)"
args=(--timeout "${NOTEBOOK_CELL_TIMEOUT:-600}" --log-dir "$runtime")
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
