#!/usr/bin/env python3
# Whole-process folder-scan benchmark: wall time and peak RSS of `secretscan scan` against a `cat` floor (stdlib only).
"""Times `secretscan scan DIR` as a user runs it (process start, walk, read, scan, SARIF) against the floor of
reading the same files with find | xargs cat, and prints Markdown tables of medians.

  python3 tests/SecretScan.Benchmarks/folder_scan_bench.py /work/corpora/curl /work/corpora/requests
  python3 tests/SecretScan.Benchmarks/folder_scan_bench.py --runs 1 /work/corpora/requests
  python3 tests/SecretScan.Benchmarks/folder_scan_bench.py --cli path/to/publish/ /work/corpora/curl
  python3 tests/SecretScan.Benchmarks/folder_scan_bench.py --memory-scaling

See README.md next to this file for what each column means.
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_CLI = os.path.join(REPO, "src", "SecretScan.Cli", "bin", "Release", "net10.0", "secretscan.dll")
DEFAULT_GEN_CORPUS = os.path.normpath(os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"))
DEFAULT_SCALES = "1,5,20"

# The floor: the bytes every scanner must read, by the cheapest tools there are.
FLOOR = "find \"$1\" -type f -not -path '*/.git/*' -print0 | xargs -0 cat > /dev/null"

# secretscan's exit codes: 0 no findings, 1 findings; anything else (2 = error) makes the run a failure.
SCAN_OK = (0, 1)


class RunFailed(Exception):
    pass


class Run:
    def __init__(self, seconds, peak_rss_kb):
        self.seconds = seconds
        self.peak_rss_kb = peak_rss_kb


def cli_command(cli):
    """The argv prefix that starts secretscan: `dotnet x.dll`, or an apphost run directly (how ReadyToRun is measured)."""
    path = os.path.abspath(cli)
    if os.path.isdir(path):
        apphost = os.path.join(path, "secretscan")
        if os.path.isfile(apphost) and os.access(apphost, os.X_OK):
            return [apphost]
        dll = os.path.join(path, "secretscan.dll")
        if os.path.isfile(dll):
            return ["dotnet", dll]
        raise SystemExit(f"--cli {cli}: no secretscan executable or secretscan.dll in that folder")
    if not os.path.isfile(path):
        raise SystemExit(f"--cli {cli}: not found (build it: dotnet build src/SecretScan.Cli -c Release)")
    if path.endswith(".dll"):
        return ["dotnet", path]
    if os.access(path, os.X_OK):
        return [path]
    raise SystemExit(f"--cli {cli}: neither a .dll nor an executable")


def run_once(argv, timeout, ok_codes=(0,)):
    """Runs argv in its own process group; returns wall time and the peak RSS that wait4 reports for it.

    wait4's rusage covers the child and the descendants it waited for, so for the shell pipeline of the floor it is
    the largest of sh, find, xargs and cat; for secretscan it is the one .NET process (dotnet exec does not fork).
    """
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the group this run started, and nothing else
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    # Drain stderr in a thread so a chatty child cannot block on a full pipe while we sit in wait4.
    err_chunks = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    reader.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=5)
    proc.stderr.close()
    if timed_out.is_set():
        raise RunFailed(f"timed out after {timeout:g} s: {shlex.join(argv)}")
    if proc.returncode not in ok_codes:
        tail = b"".join(c for c in err_chunks if c).decode("utf-8", "replace").strip().splitlines()[-5:]
        raise RunFailed(f"exit code {proc.returncode}: {shlex.join(argv)}\n    " + "\n    ".join(tail))
    return Run(seconds, usage.ru_maxrss)  # ru_maxrss is in KiB on Linux


def floor_argv(folder):
    return ["sh", "-c", FLOOR, "floor", folder]


def scan_argv(cli, folder, threads, extra):
    return cli + ["scan", folder, "--format", "sarif", "--output", "/dev/null", "--no-progress",
                  "--threads", str(threads)] + extra


def tree_bytes(folder):
    """Bytes of the regular files the floor reads (everything outside .git folders), as find counts them."""
    total = 0
    files = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.path.isfile(path) and not os.path.islink(path):
                total += os.path.getsize(path)
                files += 1
    return total, files


def scan_root(folder):
    """A gen_corpus output folder holds truth files next to repo/; only repo/ is the tree to scan."""
    repo = os.path.join(folder, "repo")
    if os.path.isdir(repo) and os.path.isfile(os.path.join(folder, "truth.jsonl")):
        return repo
    return folder


def median_or_none(values):
    return statistics.median(values) if values else None


def fmt(value, spec):
    return "n/a" if value is None else format(value, spec)


def measure_target(label, folder, cli, args, extra):
    """Medians for one folder: runs are interleaved (floor, 1 thread, 2 threads, repeat) so load drift hits all alike."""
    mb = tree_bytes(folder)[0] / 1e6
    try:
        run_once(floor_argv(folder), args.timeout)  # untimed: fills the page cache
        for _ in range(args.warmup):
            # untimed: loads the runtime's own files into the page cache too
            run_once(scan_argv(cli, folder, 1, extra), args.timeout, SCAN_OK)
    except RunFailed as e:
        print(f"  warm-up: {e}", file=sys.stderr)

    series = {"floor": [], 1: [], 2: []}
    failures = []
    for i in range(args.runs):
        for key in series:
            argv = floor_argv(folder) if key == "floor" else scan_argv(cli, folder, key, extra)
            try:
                series[key].append(run_once(argv, args.timeout, (0,) if key == "floor" else SCAN_OK))
            except RunFailed as e:
                failures.append(str(e))
                print(f"  run {i + 1} {key}: {e}", file=sys.stderr)
        print(f"  {label}: run {i + 1}/{args.runs} done", file=sys.stderr)

    def seconds(key):
        return median_or_none([r.seconds for r in series[key]])

    def rss_mb(key):
        return median_or_none([r.peak_rss_kb / 1024 for r in series[key]])

    return {"target": label, "mb": mb, "floor": seconds("floor"), "t1": seconds(1), "t2": seconds(2),
            "rss1": rss_mb(1), "rss2": rss_mb(2), "runs": args.runs, "failures": failures}


def print_table(rows):
    print("| target | MB | floor median s | 1-thread median s | 1-thread MB/s | 1-thread / floor "
          "| 2-thread median s | 2-thread MB/s | 2-thread / floor | peak RSS MB (1t / 2t) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        cells = [r["target"], fmt(r["mb"], ".1f"), fmt(r["floor"], ".3f")]
        for key in ("t1", "t2"):
            s = r[key]
            cells += [fmt(s, ".3f"),
                      fmt(r["mb"] / s if s else None, ".1f"),
                      fmt(s / r["floor"] if s and r["floor"] else None, ".1f") + ("x" if s and r["floor"] else "")]
        cells.append(f"{fmt(r['rss1'], '.0f')} / {fmt(r['rss2'], '.0f')}")
        print("| " + " | ".join(cells) + " |")


def generated_tree(args, scale):
    """A gen_corpus tree at `scale` under --work-dir (reused when its manifest matches): dense with secrets."""
    out = os.path.join(args.work_dir, f"secretscan-bench-scale-{scale}")
    manifest = os.path.join(out, "manifest.json")
    reuse = False
    if os.path.isfile(manifest):
        with open(manifest, encoding="utf-8") as f:
            reuse = json.load(f).get("scale") == scale
    if not reuse:
        print(f"  generating {out} (--scale {scale})", file=sys.stderr)
        subprocess.run([sys.executable, args.gen_corpus, "--out", out, "--scale", str(scale)], check=True,
                       stdout=subprocess.DEVNULL, timeout=args.timeout)
    return os.path.join(out, "repo")


def replicated_tree(args, copies):
    """`copies` copies of --replicate DIR side by side (hard links, so no disk is spent): a real tree, as sparse in
    secrets as real code, grown without changing its character."""
    source = os.path.abspath(args.replicate)
    out = os.path.join(args.work_dir, f"secretscan-bench-{os.path.basename(source)}-x{copies}")
    done = out + ".complete"  # beside the tree, not in it
    if not os.path.isfile(done):
        print(f"  linking {copies} copies of {source} into {out}", file=sys.stderr)
        shutil.rmtree(out, ignore_errors=True)
        for c in range(copies):
            for root, dirs, files in os.walk(source):
                dirs[:] = [d for d in dirs if d != ".git"]
                target = os.path.join(out, f"copy{c}", os.path.relpath(root, source))
                os.makedirs(target, exist_ok=True)
                for name in files:
                    src = os.path.join(root, name)
                    if os.path.islink(src) or not os.path.isfile(src):
                        continue
                    try:
                        os.link(src, os.path.join(target, name))
                    except OSError:
                        shutil.copyfile(src, os.path.join(target, name))
        open(done, "w").close()
    return out


def memory_scaling(cli, args, extra):
    """Peak RSS of a scan of trees of growing size: a streaming scanner's should stay nearly flat."""
    rows = []
    for scale in [int(s) for s in args.scales.split(",") if s.strip()]:
        folder = replicated_tree(args, scale) if args.replicate else generated_tree(args, scale)
        size, files = tree_bytes(folder)
        run_once(floor_argv(folder), args.timeout)  # untimed: fills the page cache
        per_threads = {}
        for threads in (1, 2):
            runs = []
            for _ in range(args.runs):
                try:
                    runs.append(run_once(scan_argv(cli, folder, threads, extra), args.timeout, SCAN_OK))
                except RunFailed as e:
                    print(f"  scale {scale}, {threads} thread(s): {e}", file=sys.stderr)
            per_threads[threads] = runs
        rows.append((scale, files, size / 1e6, per_threads))
        print(f"  scale {scale} done", file=sys.stderr)

    label = f"copies of {os.path.basename(os.path.abspath(args.replicate))}" if args.replicate else "gen_corpus scale"
    print(f"| {label} | files | MB | 1-thread peak RSS MB | 2-thread peak RSS MB | 1-thread median s |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for scale, files, mb, per in rows:
        rss1 = median_or_none([r.peak_rss_kb / 1024 for r in per[1]])
        rss2 = median_or_none([r.peak_rss_kb / 1024 for r in per[2]])
        t1 = median_or_none([r.seconds for r in per[1]])
        print(f"| {scale} | {files} | {mb:.1f} | {fmt(rss1, '.0f')} | {fmt(rss2, '.0f')} | {fmt(t1, '.3f')} |")
    return all(per[1] and per[2] for _, _, _, per in rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*", help="folders to scan (a gen_corpus --out folder means its repo/)")
    parser.add_argument("--cli", default=DEFAULT_CLI,
                        help="secretscan.dll (run with dotnet), an apphost executable, or a publish folder holding "
                             "either (the apphost wins: use it to measure ReadyToRun start-up); default: %(default)s")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command; medians are reported")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed scanner runs per target before timing (after the untimed floor run)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a single run is killed")
    parser.add_argument("--extra-args", default="",
                        help="more secretscan scan arguments, one shell-quoted string (e.g. \"--rules rules\")")
    parser.add_argument("--memory-scaling", action="store_true",
                        help="instead of the targets: peak RSS of scans of gen_corpus trees at --scales")
    parser.add_argument("--scales", default=DEFAULT_SCALES, help="gen_corpus scales for --memory-scaling")
    parser.add_argument("--replicate", metavar="DIR",
                        help="with --memory-scaling: grow a real tree instead, --scales being numbers of copies of DIR")
    parser.add_argument("--gen-corpus", default=DEFAULT_GEN_CORPUS, help="path of gen_corpus.py")
    parser.add_argument("--work-dir", default=tempfile.gettempdir(),
                        help="where --memory-scaling writes (and reuses) its corpora")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not args.memory_scaling and not args.targets:
        parser.error("give at least one folder, or --memory-scaling")

    cli = cli_command(args.cli)
    extra = shlex.split(args.extra_args)
    load = os.getloadavg()
    print(f"<!-- secretscan: {shlex.join(cli)}; {os.cpu_count()} CPUs; load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}; {args.runs} run(s), medians; MB = 10^6 bytes -->", flush=True)

    if args.memory_scaling:
        return 0 if memory_scaling(cli, args, extra) else 1

    rows = []
    for target in args.targets:
        folder = scan_root(os.path.abspath(target))
        if not os.path.isdir(folder):
            parser.error(f"{target}: not a folder")
        rows.append(measure_target(os.path.basename(os.path.abspath(target)) or target, folder, cli, args, extra))
    print_table(rows)
    return 1 if any(r["failures"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
