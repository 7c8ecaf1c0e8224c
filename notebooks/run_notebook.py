#!/usr/bin/env python3
"""Executes capsnet4j notebooks headlessly in one or more Java kernels; called by run-notebooks.sh.

Kernels (--kernel NAME=JUPYTER_DIR, a directory holding kernels/java/kernel.json; repeatable, run in that order):
  beakerx  BeakerX 2.x's Java kernel. The notebook runs as it is, its ``beakerx-only`` classpath cell included;
           that cell must not write to stderr (BeakerX reports a bad ``%classpath`` there, not as an error).
  rapaio   rapaio-jupyter-kernel. The ``beakerx-only`` cell is removed and exactly the jars it names are put on
           the kernel's classpath (RJK_CLASSPATH) instead.

For each notebook, before any kernel starts, its sources are checked for what BeakerX rejects: a code cell that
starts with a ``/** ... */`` comment, and a ``%classpath add jar`` path that BeakerX refuses (a wildcard other
than one final ``*``) or that matches nothing after the build.

Then, in each kernel, the notebook passes only if
  1. no cell has an error output (BeakerX shows only compile errors: it swallows runtime exceptions);
  2. the LAST output line of its last code cell is ``N passed, M failed`` with M = 0 and N = the count the
     notebook declares up front (``int expectedChecks = N;``). The notebooks count their own checks and count a
     check that was never reached as failed, so a kernel that swallows exceptions cannot hide a wrong result.
Only a kernel that does not start ("Kernel didn't respond") is retried, up to 3 times; a notebook never is.
Unless --check, a notebook that passed in every kernel is written back with the outputs of the FIRST kernel
(its beakerx-only cell unexecuted). Prints the time per notebook and kernel.

Needs python3-nbclient (nbformat, jupyter_client). Exit status 1 if any notebook failed in any kernel.
"""
import argparse
import asyncio
import copy
import glob
import os
import re
import signal
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

BEAKERX_TAG = "beakerx-only"
KERNEL_NAME = "java"                    # the notebooks' kernelspec name, in each kernel's Jupyter directory
EXPECTED_CHECKS = re.compile(r"^\s*int\s+expectedChecks\s*=\s*(\d+)\s*;", re.MULTILINE)
TALLY = re.compile(r"(\d+) passed, (\d+) failed")
START_ATTEMPTS = 4                      # the first start and up to 3 retries
# jupyter_client's messages when a kernel process starts but never answers (seen under load)
START_FAILURES = ("Kernel didn't respond",)


class NotebookFailure(Exception):
    pass


class Client(NotebookClient):
    """nbclient's client that, when a cell times out, first has the kernel's JVM print its threads (SIGQUIT) into
    the kernel log, to show where a cell hung."""

    async def _async_handle_timeout(self, timeout, cell=None):
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGQUIT)
            await asyncio.sleep(2)
        return await super()._async_handle_timeout(timeout, cell)


def beakerx_cells(nb):
    return [i for i, cell in enumerate(nb.cells) if BEAKERX_TAG in cell.get("metadata", {}).get("tags", [])]


def code_sources(nb):
    return [(i, cell.source) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]


def check_sources(nb):
    """What BeakerX rejects at compile time, found before running anything; returns the declared check count."""
    for index, source in code_sources(nb):
        if source.lstrip().startswith("/**"):
            raise NotebookFailure(f"cell {index} starts with a '/** ... */' comment, which these notebooks avoid"
                                  " (reported as a BeakerX compile error before a declaration): use '//' comments")
    declared = [int(m.group(1)) for _, source in code_sources(nb) for m in EXPECTED_CHECKS.finditer(source)]
    if len(declared) != 1:
        raise NotebookFailure("the notebook must declare its number of checks once, as 'int expectedChecks = N;'"
                              f" (found {len(declared)} declarations)")
    return declared[0]


def classpath_from_beakerx_cells(nb, nb_dir, maven_repo):
    """The jars that the beakerx-only cells add, checked as BeakerX checks them; returns absolute jar globs."""
    entries = []
    for index in beakerx_cells(nb):
        for line in nb.cells[index].source.splitlines():
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            jar = re.fullmatch(r"%classpath\s+add\s+jar\s+(\S+)", line)
            mvn = re.fullmatch(r"%classpath\s+add\s+mvn\s+(\S+)\s+(\S+)\s+(\S+)", line)
            if jar:
                path = jar.group(1)
                absolute = os.path.normpath(os.path.join(nb_dir, path))
                if "*" in path:
                    # BeakerX's rule (ClasspathMagicCommand): one '*', at the end; it adds that directory's *.jar
                    if path.count("*") != 1 or not path.endswith("*"):
                        raise NotebookFailure(f"BeakerX rejects '{line}' (a wildcard path can only end with one '*',"
                                              f" e.g. 'dir/*'; '*.jar' is not accepted)")
                    absolute = os.path.join(os.path.dirname(absolute), "*.jar")
                if not glob.glob(absolute):
                    raise NotebookFailure(f"the beakerx-only cell adds '{path}' but no jar matches {absolute}"
                                          " after the build")
                entries.append(absolute)
            elif mvn:
                group, artifact, version = mvn.groups()
                path = os.path.join(maven_repo, *group.split("."), artifact, version, f"{artifact}-{version}.jar")
                if not os.path.isfile(path):
                    raise NotebookFailure(f"the beakerx-only cell adds Maven artifact {group}:{artifact}:{version}"
                                          f" but {path} does not exist after the build")
            else:
                raise NotebookFailure(f"unexpected line in the beakerx-only cell (only %classpath add jar/mvn): {line}")
    if not entries:
        raise NotebookFailure(f"no cell tagged '{BEAKERX_TAG}' with a '%classpath add jar ...' line")
    return entries


class Kernel:
    """How one kernel runs a notebook: which copy of it, with which environment, and what to check after."""

    startup_timeout = 60                 # seconds for a started kernel to answer

    def __init__(self, name, jupyter_dir):
        self.name, self.jupyter_dir = name, jupyter_dir

    def prepare(self, nb, classpath):
        """The notebook to execute and the kernel's environment."""
        return copy.deepcopy(nb), dict(os.environ, JUPYTER_PATH=self.jupyter_dir)

    def started(self, log_file, marker):
        """Called once the kernel process runs, before the client connects."""

    def check_executed(self, executed):
        """Kernel-specific checks of the executed notebook."""


class BeakerX(Kernel):
    def check_executed(self, executed):
        for index in beakerx_cells(executed):
            for output in executed.cells[index].outputs:
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    raise NotebookFailure(f"the beakerx-only cell {index} reported: {output.get('text', '').strip()}")


class Rapaio(Kernel):
    # rapaio-jupyter-kernel 3.0.1 fails to start in some 10-20 % of starts on a loaded machine (measured here with
    # two busy cores): its shell thread runs but never handles a request, so the kernel never answers and waiting
    # longer does not help; a working one answers in about a second. Such a kernel is started anew.
    startup_timeout = 20

    def prepare(self, nb, classpath):
        run, env = super().prepare(nb, classpath)
        run.cells = [cell for i, cell in enumerate(nb.cells) if i not in beakerx_cells(nb)]
        env["RJK_CLASSPATH"] = ";".join(classpath)
        return run, env

    def started(self, log_file, marker):
        """Waits until the kernel's log shows its five ZeroMQ channels bound (at most 30 s).

        rapaio-jupyter-kernel 3.0.1 binds its sockets before it registers its message handlers; a request that
        arrives in between kills its shell thread (NullPointerException in Channels.getHandler) and the kernel
        never answers. jupyter_client sends its first request as soon as it connects, so it connects only once
        the kernel has bound everything, plus a moment.
        """
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open(log_file) as log:
                attempt_log = log.read().rsplit(marker, 1)[-1]
            if len(re.findall(r"\[(Shell|IOPub|Control|Stdin|Heartbeat)Channel\]: Binding", attempt_log)) >= 5:
                break
            time.sleep(0.2)
        time.sleep(1.0)


KERNELS = {"beakerx": BeakerX, "rapaio": Rapaio}


def start_kernel(kernel, nb, nb_dir, env, timeout, log_file):
    """A NotebookClient with a started kernel. Only a kernel that does not start is retried."""
    for attempt in range(1, START_ATTEMPTS + 1):
        client = Client(nb, timeout=timeout, startup_timeout=kernel.startup_timeout, kernel_name=KERNEL_NAME,
                                resources={"metadata": {"path": nb_dir}}, record_timing=False, allow_errors=False)
        marker = f"--- attempt {attempt}\n"
        try:
            with open(log_file, "a") as log:
                log.write(marker)
                log.flush()
                os.environ["JUPYTER_PATH"] = env["JUPYTER_PATH"]          # where the kernel manager finds "java"
                client.km = client.create_kernel_manager()
                client.start_new_kernel(env=env, stdout=log, stderr=log)   # the kernel's own output goes to its log
            kernel.started(log_file, marker)
            client.start_new_kernel_client()                               # waits until the kernel answers
            return client
        except RuntimeError as e:
            if not any(text in str(e) for text in START_FAILURES):
                raise
            print(f"    kernel did not start ({e}; attempt {attempt} of {START_ATTEMPTS}, kernel log: {log_file})",
                  flush=True)
            if attempt == START_ATTEMPTS:
                raise
            time.sleep(2)


def output_text(output):
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    if "text/plain" in data:
        return data["text/plain"]
    return re.sub(r"<[^>]*>", "", data.get("text/html", ""))   # rapaio shows a String result as HTML only


def check_tally(executed, expected):
    """The last output line of the last code cell must be 'N passed, 0 failed' with N = expected."""
    failed_checks = [line for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs
                     for line in output_text(output).splitlines() if line.startswith("FAILED: ")]
    last = [cell for cell in executed.cells if cell.cell_type == "code"][-1]
    lines = "".join(output_text(output) for output in last.outputs).strip().splitlines()
    tally = TALLY.fullmatch(lines[-1].strip()) if lines else None
    if tally is None:
        raise NotebookFailure(f"the last output line is {lines[-1].strip() if lines else 'missing'!r}, not"
                              " 'N passed, M failed'")
    passed, failed = int(tally.group(1)), int(tally.group(2))
    if failed != 0 or passed != expected:
        details = "".join(f"\n      {line}" for line in failed_checks)
        raise NotebookFailure(f"{passed} passed, {failed} failed (failed or never reached); the notebook declares"
                              f" {expected} checks{details}")
    return passed


def coalesce_streams(nb):
    """Joins consecutive stdout (or stderr) outputs of a cell into one: the kernels send every write as its own
    output, so one printf line could otherwise be stored, and shown by some viewers, as a dozen fragments."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        merged = []
        for output in cell.outputs:
            previous = merged[-1] if merged else None
            if (output.output_type == "stream" and previous is not None and previous.output_type == "stream"
                    and previous.name == output.name):
                previous.text += output.text
            else:
                merged.append(output)
        cell.outputs = merged


def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def run_in(kernel, nb, path, expected, classpath, args):
    """Runs nb in one kernel and checks the result; returns the executed notebook and its number of checks."""
    run, env = kernel.prepare(nb, classpath)
    nb_dir = os.path.dirname(os.path.abspath(path))
    log_file = os.path.join(args.log_dir, f"{os.path.basename(path)}.{kernel.name}.kernel.log")
    try:
        client = start_kernel(kernel, run, nb_dir, env, args.timeout, log_file)
        client.execute()                 # reuses the started kernel and shuts it down at the end
    except CellTimeoutError as e:
        raise NotebookFailure(f"a cell ran longer than {args.timeout} s (the kernel's threads at that moment are in"
                              f" {log_file}): {str(e).strip()[:2000]}")
    except CellExecutionError as e:
        raise NotebookFailure(f"a cell failed:\n{strip_ansi(str(e)).strip()[-4000:]}")
    except RuntimeError as e:
        raise NotebookFailure(f"{e} (kernel log: {log_file})")
    kernel.check_executed(run)
    return run, check_tally(run, expected)


def write_back(path, nb, executed):
    """Writes the executed notebook over the original, with its beakerx-only cells unexecuted."""
    coalesce_streams(executed)
    skipped = set(beakerx_cells(nb))
    ran = iter(cell for cell in executed.cells if BEAKERX_TAG not in cell.get("metadata", {}).get("tags", []))
    cells = []
    for i, original in enumerate(nb.cells):
        if i in skipped:
            cell = copy.deepcopy(original)
            cell.outputs, cell.execution_count = [], None
            cells.append(cell)
        else:
            cells.append(next(ran))
    executed.cells = cells
    nbformat.validate(executed)
    nbformat.write(executed, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--kernel", action="append", required=True, metavar="NAME=JUPYTER_DIR",
                        help=f"a kernel to run every notebook in ({', '.join(KERNELS)}); repeatable")
    parser.add_argument("--check", action="store_true", help="do not write outputs back (CI)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell (default 300)")
    parser.add_argument("--maven-repo", default=os.path.expanduser("~/.m2/repository"))
    parser.add_argument("--log-dir", default=tempfile.gettempdir(), help="where the kernels' own logs go")
    args = parser.parse_args()
    kernels = []
    for spec in args.kernel:
        name, _, jupyter_dir = spec.partition("=")
        if name not in KERNELS or not jupyter_dir:
            parser.error(f"--kernel {spec}: expected NAME=JUPYTER_DIR with NAME one of {', '.join(KERNELS)}")
        kernels.append(KERNELS[name](name, jupyter_dir))

    failures, timings = [], []
    total = time.monotonic()
    for path in args.notebooks:
        name = os.path.basename(path)
        nb = nbformat.read(path, as_version=4)
        first_run, passed_everywhere = None, True
        try:
            if nb.metadata.get("kernelspec", {}).get("name") != KERNEL_NAME:
                raise NotebookFailure(f"the notebook's kernelspec name must be '{KERNEL_NAME}'")
            expected = check_sources(nb)
            classpath = classpath_from_beakerx_cells(nb, os.path.dirname(os.path.abspath(path)), args.maven_repo)
        except NotebookFailure as e:
            failures.extend(f"{name} ({kernel.name})" for kernel in kernels)
            print(f"  {name}: FAILED before running: {e}", flush=True)
            continue
        for kernel in kernels:
            print(f"  {name} in {kernel.name} ...", flush=True)
            start = time.monotonic()
            try:
                executed, checks = run_in(kernel, nb, path, expected, classpath, args)
                first_run = first_run or executed
                seconds = time.monotonic() - start
                timings.append((name, kernel.name, f"{seconds:.1f} s", f"{checks} passed, 0 failed"))
                print(f"  {name} in {kernel.name}: OK, {checks} passed, 0 failed in {seconds:.1f} s", flush=True)
            except NotebookFailure as e:
                passed_everywhere = False
                seconds = time.monotonic() - start
                timings.append((name, kernel.name, f"{seconds:.1f} s", "FAILED"))
                failures.append(f"{name} ({kernel.name})")
                print(f"  {name} in {kernel.name}: FAILED after {seconds:.1f} s: {e}", flush=True)
        if passed_everywhere and not args.check:
            write_back(path, nb, first_run)
            print(f"  {name}: outputs of {kernels[0].name} written", flush=True)

    print("notebook                                  kernel    time      checks")
    for row in timings:
        print("%-41s %-9s %-9s %s" % row)
    runs = len(args.notebooks) * len(kernels)
    print(f"notebooks: {runs - len(failures)} of {runs} runs passed in {time.monotonic() - total:.1f} s"
          + (f"; failed: {', '.join(failures)}" if failures else ""), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
