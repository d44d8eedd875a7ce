#!/usr/bin/env python3
# Whole-process git history benchmark: `secretscan scan --git` against the cat-file floor, medians (stdlib only).
"""Times `secretscan scan --git REPO` as a user runs it (process start, commit log, every blob, the engine, SARIF)
against the floor of reading every object once, `git cat-file --batch-all-objects --batch --unordered > /dev/null`,
run for run in the same session, and prints Markdown tables of medians and the ratio to the floor.

  python3 tests/SecretScan.Benchmarks/history_scan_bench.py /work/.mirror/curl+curl/repo
  python3 tests/SecretScan.Benchmarks/history_scan_bench.py --runs 3 --generated 20000 /path/to/repo
  python3 tests/SecretScan.Benchmarks/history_scan_bench.py --log-p --runs 1 /work/.mirror/curl+curl/repo
  python3 tests/SecretScan.Benchmarks/history_scan_bench.py --memory-scaling 5000,20000,80000
  python3 tests/SecretScan.Benchmarks/history_scan_bench.py --staged

--generated N writes a synthetic history of N commits with `git fast-import` (400 files edited a few lines at a time,
40 fake GitHub tokens planted and mostly scrubbed later) and benchmarks it too. --memory-scaling runs only the scan on
generated histories of growing length and prints peak RSS per size. --git-secrets PATH adds awslabs' git-secrets
--scan-history with its three AWS patterns as a column. --staged times `scan --staged` on a 10-file
staged change (whole process, the pre-commit case). --log-p adds `git log -p --all` (what naive history scanners
read) as a reference column. The CLI is the Release build unless --cli names another (a publish folder is run
through its apphost, which is how ReadyToRun is measured).
"""

import argparse
import os
import random
import re
import shlex
import shutil
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_CLI = os.path.join(REPO, "src", "SecretScan.Cli", "bin", "Release", "net10.0", "secretscan.dll")

FLOOR = "git -C \"$1\" cat-file --batch-all-objects --batch --unordered > /dev/null"

# git-secrets' three classic AWS patterns (`git secrets --register-aws` before it grew Bedrock ones), given through
# GIT_CONFIG_* so the repository's config is never written.
GIT_SECRETS_PATTERNS = [
    "(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}",
    "(\"|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)(\"|')?\\s*(:|=>|=)\\s*(\"|')?[A-Za-z0-9/\\+=]{40}(\"|')?",
    "(\"|')?(AWS|aws|Aws)?_?(ACCOUNT|account|Account)_?(ID|id|Id)?(\"|')?\\s*(:|=>|=)\\s*(\"|')?[0-9]{4}\\-?[0-9]{4}\\-?[0-9]{4}(\"|')?",
]
LOG_P = "git -C \"$1\" log -p --all > /dev/null"
# 0 clean, 1 findings, 2 errors on single blobs (the curl mirror names 6 blobs it does not hold): the scan still ran.
SCAN_OK = (0, 1, 2)
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase  # the order GitHub (and Core) use


class RunFailed(Exception):
    pass


def cli_command(cli):
    path = os.path.abspath(cli)
    if os.path.isdir(path):
        apphost = os.path.join(path, "secretscan")
        if os.path.isfile(apphost) and os.access(apphost, os.X_OK):
            return [apphost]
        path = os.path.join(path, "secretscan.dll")
    if not os.path.isfile(path):
        raise SystemExit(f"--cli {cli}: not found (build it: dotnet build src/SecretScan.Cli -c Release)")
    return ["dotnet", path] if path.endswith(".dll") else [path]


def git_secrets_env():
    env = dict(os.environ, GIT_CONFIG_COUNT=str(len(GIT_SECRETS_PATTERNS)))
    for i, pattern in enumerate(GIT_SECRETS_PATTERNS):
        env[f"GIT_CONFIG_KEY_{i}"] = "secrets.patterns"
        env[f"GIT_CONFIG_VALUE_{i}"] = pattern
    return env


def run_once(argv, timeout, ok_codes=(0,), cwd=None, env=None):
    """Wall time and peak RSS (KiB, from wait4: the process and the children it waited for) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, cwd=cwd, env=env)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # only the group this run started
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    err = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
    reader.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    reader.join(timeout=5)
    proc.stderr.close()
    if timed_out.is_set():
        raise RunFailed(f"timed out after {timeout:g} s: {shlex.join(argv)}")
    text = b"".join(e for e in err if e).decode("utf-8", "replace")
    if code not in ok_codes:
        tail = text.strip().splitlines()[-5:]
        raise RunFailed(f"exit code {code}: {shlex.join(argv)}\n    " + "\n    ".join(tail))
    # secretscan's own peak (its summary line): wait4's figure is the largest of it and the git processes it ran.
    own = re.search(r"peak memory ([\d,]+) MB", text)
    return seconds, int(own.group(1).replace(",", "")) * 1024 if own else usage.ru_maxrss


def scan_argv(cli, repo, sarif):
    return cli + ["scan", "--git", repo, "--format", "sarif", "--output", sarif, "--no-progress"]


def repo_facts(repo):
    def git(*args):
        return subprocess.run(["git", "-C", repo] + list(args), check=True, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True).stdout
    commits = int(git("rev-list", "--all", "--count").strip() or 0)
    blobs = 0
    size = 0
    for line in git("cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)", "--unordered").splitlines():
        kind, n = line.split()
        if kind == "blob":
            blobs += 1
            size += int(n)
    return commits, blobs, size


def median(values):
    return statistics.median(values) if values else None


def fmt(value, spec, suffix=""):
    return "n/a" if value is None else format(value, spec) + suffix


def measure(label, repo, cli, args):
    """Runs are interleaved (floor, scan[, log -p], repeat) so that load drift hits every column alike."""
    commits, blobs, size = repo_facts(repo)
    sarif = os.path.join(args.work_dir, "secretscan-history-bench.sarif")
    columns = {"floor": ["sh", "-c", FLOOR, "floor", repo], "scan": scan_argv(cli, repo, sarif)}
    if args.log_p:
        columns["log -p"] = ["sh", "-c", LOG_P, "logp", repo]
    if args.git_secrets:
        columns["git-secrets"] = [os.path.abspath(args.git_secrets), "--scan-history"]
    try:
        run_once(columns["floor"], args.timeout)  # untimed: fills the page cache
        run_once(columns["scan"], args.timeout, SCAN_OK)  # untimed: the runtime's files too
    except RunFailed as e:
        print(f"  warm-up: {e}", file=sys.stderr)
    series = {k: [] for k in columns}
    for i in range(args.runs):
        for key, argv in columns.items():
            try:
                if key == "git-secrets":  # exit 1 when it finds something
                    series[key].append(run_once(argv, args.timeout, (0, 1), cwd=repo, env=git_secrets_env()))
                    continue
                series[key].append(run_once(argv, args.timeout, SCAN_OK if key == "scan" else (0,)))
            except RunFailed as e:
                print(f"  run {i + 1} {key}: {e}", file=sys.stderr)
        print(f"  {label}: run {i + 1}/{args.runs} done (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    result = {"label": label, "commits": commits, "blobs": blobs, "mb": size / 1e6, "runs": args.runs}
    for key in columns:
        result[key] = median([s for s, _ in series[key]])
        result[key + " rss"] = median([r / 1024 for _, r in series[key]])
    return result


def print_table(rows, log_p, git_secrets=False):
    head = "| repository | commits | blobs | blob MB | floor median s | scan median s | scan / floor | floor peak RSS MB | scan peak RSS MB |"
    sep = "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    if log_p:
        head += " log -p median s | log -p / floor |"
        sep += " ---: | ---: |"
    if git_secrets:
        head += " git-secrets --scan-history median s | git-secrets / floor |"
        sep += " ---: | ---: |"
    print(head)
    print(sep)
    for r in rows:
        ratio = r["scan"] / r["floor"] if r["scan"] and r["floor"] else None
        cells = [r["label"], str(r["commits"]), str(r["blobs"]), fmt(r["mb"], ".0f"), fmt(r["floor"], ".2f"),
                 fmt(r["scan"], ".2f"), fmt(ratio, ".2f", "x"), fmt(r["floor rss"], ".0f"), fmt(r["scan rss"], ".0f")]
        if log_p:
            lp = r.get("log -p")
            cells += [fmt(lp, ".2f"), fmt(lp / r["floor"] if lp and r["floor"] else None, ".2f", "x")]
        if git_secrets:
            gs = r.get("git-secrets")
            cells += [fmt(gs, ".2f"), fmt(gs / r["floor"] if gs and r["floor"] else None, ".2f", "x")]
        print("| " + " | ".join(cells) + " |")
    print(f"\nMedians of {rows[0]['runs'] if rows else 0} interleaved runs; load average at the end "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")


def github_token(rng):
    """A fake classic GitHub token with a valid CRC32 checksum (as GitHub's format has), so SS1100 finds it."""
    body = "".join(rng.choice(BASE62) for _ in range(30))
    crc = zlib.crc32(body.encode())
    check = ""
    for _ in range(6):
        check = BASE62[crc % 62] + check
        crc //= 62
    return "ghp_" + body + check


def generate(path, commits, seed=7, files=400, secrets=40):
    """A history of `commits` commits made with git fast-import: each edits a few lines of a few files. `secrets` fake
    tokens (a fixed number, so longer histories differ only in length) are planted at evenly spaced commits, and most
    are scrubbed again by a later edit of their file. Deterministic for a seed."""
    if os.path.exists(path):
        shutil.rmtree(path)
    subprocess.run(["git", "init", "-q", "--bare", path], check=True)
    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "config", "value", "handler", "request", "buffer", "index", "token_count"]
    contents = {f"src/mod{i % 40}/file{i}.c": [f"int f{i}_{j}(void) {{ return {j}; }}" for j in range(rng.randint(20, 200))]
                for i in range(files)}
    names = sorted(contents)
    plant_at = {max(1, (k + 1) * commits // (secrets + 1)) for k in range(secrets)}
    planted = {}
    proc = subprocess.Popen(["git", "-C", path, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    out = proc.stdin

    def data(text):
        raw = text.encode()
        out.write(b"data %d\n" % len(raw) + raw + b"\n")

    when = 1_600_000_000
    for c in range(commits):
        touched = names if c == 0 else rng.sample(names, rng.randint(1, 4))
        for name in touched:
            lines = contents[name]
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(len(lines) + 1)
                lines.insert(at, f"    {rng.choice(words)}_{rng.randint(0, 10**6)} = {rng.randint(0, 10**9)};")
            if name in planted and rng.random() < 0.3:
                token = planted.pop(name)
                contents[name] = lines = [l for l in lines if token not in l]
        if c in plant_at:
            name = touched[0]
            token = github_token(rng)
            contents[name].insert(rng.randrange(len(contents[name]) + 1), f'    const char *api_token = "{token}";')
            planted[name] = token
        when += 600
        out.write(b"commit refs/heads/main\n")
        out.write(b"committer Bench <bench@example.invalid> %d +0000\n" % when)
        data(f"commit {c}")
        for name in touched:
            out.write(f"M 100644 inline {name}\n".encode())
            data("\n".join(contents[name]) + "\n")
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", path, "repack", "-adq"], check=True)
    subprocess.run(["git", "-C", path, "symbolic-ref", "HEAD", "refs/heads/main"], check=True)
    return path


def memory_scaling(cli, args):
    print("| generated commits | blobs | blob MB | scan median s | scan peak RSS MB |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n in [int(s) for s in args.memory_scaling.split(",") if s.strip()]:
        repo = generate(os.path.join(args.work_dir, f"secretscan-history-{n}.git"), n)
        _, blobs, size = repo_facts(repo)
        sarif = os.path.join(args.work_dir, "secretscan-history-bench.sarif")
        runs = [run_once(scan_argv(cli, repo, sarif), args.timeout, SCAN_OK) for _ in range(args.runs)]
        print(f"| {n} | {blobs} | {size / 1e6:.0f} | {median([s for s, _ in runs]):.2f} | "
              f"{median([r / 1024 for _, r in runs]):.0f} |", flush=True)
        shutil.rmtree(repo, ignore_errors=True)


def staged(cli, args):
    """Whole-process wall time of `scan --staged` on a 10-file staged change: the pre-commit hook's cost."""
    work = tempfile.mkdtemp(prefix="secretscan-staged-", dir=args.work_dir)
    try:
        env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.invalid", GIT_COMMITTER_NAME="b",
                   GIT_COMMITTER_EMAIL="b@example.invalid")
        git = lambda *a: subprocess.run(["git", "-C", work] + list(a), check=True, env=env, stdout=subprocess.DEVNULL)
        git("init", "-q", "-b", "main")
        rng = random.Random(3)
        for i in range(200):
            with open(os.path.join(work, f"file{i}.py"), "w") as f:
                f.write("".join(f"value_{i}_{j} = {rng.randint(0, 10**9)}\n" for j in range(300)))
        git("add", "-A")
        git("commit", "-q", "-m", "base")
        for i in range(10):
            with open(os.path.join(work, f"file{i}.py"), "a") as f:
                f.write("".join(f"added_{i}_{j} = {rng.randint(0, 10**9)}\n" for j in range(20)))
        git("add", "-A")
        argv = cli + ["scan", "--staged", "--no-progress", work]
        run_once(argv, args.timeout, SCAN_OK)
        times = [run_once(argv, args.timeout, SCAN_OK)[0] for _ in range(max(args.runs, 5) * 4)]
        print("| staged change | runs | median ms | min ms | max ms |")
        print("| --- | ---: | ---: | ---: | ---: |")
        print(f"| 10 files of 200 (320 lines each, 20 added) | {len(times)} | {median(times) * 1000:.0f} | "
              f"{min(times) * 1000:.0f} | {max(times) * 1000:.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repos", nargs="*", help="repositories to scan (a bare mirror or a clone)")
    ap.add_argument("--cli", default=DEFAULT_CLI, help="secretscan.dll, an executable, or a publish folder")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--generated", type=int, default=0, help="also benchmark a generated history of N commits")
    ap.add_argument("--memory-scaling", default="", help="comma-separated commit counts of generated histories")
    ap.add_argument("--log-p", action="store_true", help="add `git log -p --all` as a reference column")
    ap.add_argument("--staged", action="store_true", help="time `scan --staged` on a 10-file staged change")
    ap.add_argument("--git-secrets", default="", help="path of awslabs' git-secrets script: add its --scan-history "
                    "(3 AWS patterns) as a column")
    ap.add_argument("--work-dir", default=tempfile.gettempdir())
    args = ap.parse_args()
    cli = cli_command(args.cli)
    if args.memory_scaling:
        memory_scaling(cli, args)
    if args.staged:
        staged(cli, args)
    rows = []
    targets = [(os.path.basename(os.path.dirname(os.path.abspath(r))) if os.path.basename(r.rstrip("/")) == "repo"
                else os.path.basename(os.path.abspath(r)), r) for r in args.repos]
    generated = None
    if args.generated:
        generated = generate(os.path.join(args.work_dir, f"secretscan-history-{args.generated}.git"), args.generated)
        targets.append((f"generated ({args.generated} commits)", generated))
    for label, repo in targets:
        rows.append(measure(label, repo, cli, args))
    if rows:
        print_table(rows, args.log_p, bool(args.git_secrets))
    if generated:
        shutil.rmtree(generated, ignore_errors=True)


if __name__ == "__main__":
    main()
