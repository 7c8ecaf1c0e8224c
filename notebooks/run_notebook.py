#!/usr/bin/env python3
"""Executes capsnet4j notebooks headlessly with a JShell-based Java kernel; called by run-notebooks.sh.

For each notebook:
  1. the cell tagged ``beakerx-only`` (BeakerX's ``%classpath add jar ...`` magics) is checked: every path or
     glob it names must match a file after the build (relative to notebooks/), and every
     ``%classpath add mvn GROUP ARTIFACT VERSION`` must be in the local Maven repository. The kernel's
     classpath (RJK_CLASSPATH) is made of exactly those jars, so what readers are told to type is what is tested;
  2. that cell is removed from a copy, and the copy runs cell by cell with nbclient in the notebooks/ directory;
     any cell error fails the notebook (the notebooks throw when a result is wrong). Only a kernel that does not
     start ("Kernel didn't respond") is retried, up to 3 times; a failed cell never is;
  3. unless --check, the executed notebook, with the beakerx-only cell put back unexecuted, replaces the original.

Needs python3-nbclient (nbformat, jupyter_client). Exit status 1 if any notebook failed.
"""
import argparse
import copy
import glob
import os
import re
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

BEAKERX_TAG = "beakerx-only"
# rapaio-jupyter-kernel 3.0.1 fails to start in some 10-20 % of starts on a loaded machine (measured here
# with two busy cores): its shell thread runs but never handles a request, whichever client connects, so the
# kernel never answers ("Kernel didn't respond"); waiting longer does not help. Such a kernel is started anew.
START_ATTEMPTS = 4       # the first start and up to 3 retries
STARTUP_TIMEOUT = 20      # seconds for a kernel with bound channels to answer; a working one does in about one
# jupyter_client's messages when a kernel process starts but never answers (seen under load)
START_FAILURES = ("Kernel didn't respond",)


class NotebookFailure(Exception):
    pass


def beakerx_cells(nb):
    return [i for i, cell in enumerate(nb.cells) if BEAKERX_TAG in cell.get("metadata", {}).get("tags", [])]


def classpath_from_beakerx_cells(nb, nb_dir, maven_repo):
    """The jars that the beakerx-only cells add, checked to exist; returns absolute globs for RJK_CLASSPATH."""
    entries = []
    for index in beakerx_cells(nb):
        for line in nb.cells[index].source.splitlines():
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            jar = re.fullmatch(r"%classpath\s+add\s+jar\s+(\S+)", line)
            mvn = re.fullmatch(r"%classpath\s+add\s+mvn\s+(\S+)\s+(\S+)\s+(\S+)", line)
            if jar:
                pattern = os.path.normpath(os.path.join(nb_dir, jar.group(1)))
                if not glob.glob(pattern):
                    raise NotebookFailure(f"the beakerx-only cell adds '{jar.group(1)}' but nothing matches {pattern}"
                                          " after the build")
                entries.append(pattern)
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


def wait_for_bindings(log_file, marker, limit):
    """Waits until the kernel's log shows its five ZeroMQ channels bound (or `limit` seconds have passed).

    rapaio-jupyter-kernel 3.0.1 binds its sockets before it registers its message handlers; a request that
    arrives in between kills its shell thread (NullPointerException in Channels.getHandler) and the kernel never
    answers. jupyter_client sends its first request as soon as it connects, so it connects only once the kernel
    has bound everything, plus a moment.
    """
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with open(log_file) as log:
            attempt_log = log.read().rsplit(marker, 1)[-1]
        if len(re.findall(r"\[(Shell|IOPub|Control|Stdin|Heartbeat)Channel\]: Binding", attempt_log)) >= 5:
            break
        time.sleep(0.2)
    time.sleep(1.0)


def start_kernel(nb, nb_dir, env, timeout, log_file):
    """A NotebookClient with a started kernel. Only a kernel that does not start is retried."""
    for attempt in range(1, START_ATTEMPTS + 1):
        client = NotebookClient(nb, timeout=timeout, startup_timeout=STARTUP_TIMEOUT, kernel_name="java",
                                resources={"metadata": {"path": nb_dir}}, record_timing=False, allow_errors=False)
        marker = f"--- attempt {attempt}\n"
        try:
            with open(log_file, "a") as log:
                log.write(marker)
                log.flush()
                client.km = client.create_kernel_manager()
                client.start_new_kernel(env=env, stdout=log, stderr=log)   # the kernel's own output goes to its log
            wait_for_bindings(log_file, marker, 30)
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


def execute(nb, nb_dir, classpath, timeout, log_file):
    """Runs a stripped copy of nb in one kernel; returns the executed copy. A failed cell is never retried."""
    env = dict(os.environ)
    env["RJK_CLASSPATH"] = ";".join(classpath)
    run = copy.deepcopy(nb)
    client = start_kernel(run, nb_dir, env, timeout, log_file)
    client.execute()                    # reuses the started kernel and shuts it down at the end
    return run


def coalesce_streams(nb):
    """Joins consecutive stdout (or stderr) outputs of a cell into one: the kernel sends every write as its own
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


def first_error(nb):
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index, output
    return None, None


def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def run_one(path, args):
    nb_dir = os.path.dirname(os.path.abspath(path))
    nb = nbformat.read(path, as_version=4)
    if nb.metadata.get("kernelspec", {}).get("name") != "java":
        raise NotebookFailure("the notebook's kernelspec name must be 'java'")
    classpath = classpath_from_beakerx_cells(nb, nb_dir, args.maven_repo)
    removed = {i: nb.cells[i] for i in beakerx_cells(nb)}
    stripped = copy.deepcopy(nb)
    stripped.cells = [cell for i, cell in enumerate(nb.cells) if i not in removed]
    log_file = os.path.join(args.log_dir, os.path.basename(path) + ".kernel.log")
    try:
        executed = execute(stripped, nb_dir, classpath, args.timeout, log_file)
    except CellTimeoutError as e:
        raise NotebookFailure(f"a cell ran longer than {args.timeout} s: {str(e).strip()[:2000]}")
    except CellExecutionError as e:
        raise NotebookFailure(f"a cell failed:\n{strip_ansi(str(e)).strip()[-4000:]}")
    except RuntimeError as e:
        raise NotebookFailure(f"{e} (kernel log: {log_file})")
    index, error = first_error(executed)
    if error is not None:
        raise NotebookFailure(f"cell {index} has an error output: {error.get('ename')}: {error.get('evalue')}")
    code_cells = sum(1 for cell in executed.cells if cell.cell_type == "code")
    if not args.check:
        coalesce_streams(executed)
        cells = list(executed.cells)
        for i in sorted(removed):
            cell = removed[i]
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
            cells.insert(i, cell)
        executed.cells = cells
        nbformat.validate(executed)
        nbformat.write(executed, path)
    return code_cells


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--check", action="store_true", help="do not write outputs back (CI)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    parser.add_argument("--maven-repo", default=os.path.expanduser("~/.m2/repository"))
    parser.add_argument("--log-dir", default=tempfile.gettempdir(), help="where the kernels' own logs go")
    args = parser.parse_args()

    failures = []
    total = time.monotonic()
    for path in args.notebooks:
        name = os.path.basename(path)
        print(f"  {name} ...", flush=True)
        start = time.monotonic()
        try:
            cells = run_one(path, args)
            what = "checked" if args.check else "outputs written"
            print(f"  {name}: OK, {cells} code cells in {time.monotonic() - start:.1f} s ({what})", flush=True)
        except NotebookFailure as e:
            failures.append(name)
            print(f"  {name}: FAILED after {time.monotonic() - start:.1f} s: {e}", flush=True)
    print(f"notebooks: {len(args.notebooks) - len(failures)} of {len(args.notebooks)} passed"
          f" in {time.monotonic() - total:.1f} s" + (f"; failed: {', '.join(failures)}" if failures else ""), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
