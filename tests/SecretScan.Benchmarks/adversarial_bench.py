#!/usr/bin/env python3
# Hostile-input benchmark: builds each adversarial case of issue 7 at full size and measures the whole secretscan process.
"""Generates every hostile case (a 2 GB file, a 500 MB line, a million tiny files, 10,000-deep folders, 100,000 refs,
a commit with 100,000 files, a deep delta chain, corrupt packs, catastrophic custom regexes, ...) in a scratch
folder, runs `secretscan scan` on it as a user would (Release build, JSON report to a file), and prints a Markdown
table: case, size, wall seconds, peak RSS MB (wait4: the .NET process and the git processes it waited for), result.
The result says whether the fake secret planted in a normal file next to the hostile input was found, and how many
paths were skipped or counted as errors. The tests in tests/SecretScan.Cli.Tests/Adversarial run the same cases
small; this script is what measures them at the sizes the issue names (stdlib only, about 15 to 25 minutes).

  dotnet build src/SecretScan.Cli -c Release
  nice -n 10 python3 tests/SecretScan.Benchmarks/adversarial_bench.py                      # full sizes
  python3 tests/SecretScan.Benchmarks/adversarial_bench.py --scale 0.01 --cases long-line,refs  # quick check
  python3 tests/SecretScan.Benchmarks/adversarial_bench.py --keep /tmp/adv                   # keep the generated cases

Every secret is a random fake generated here (a GitHub token shape with a valid CRC-32 checksum).
"""

import argparse
import hashlib
import json
import os
import random
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from folder_scan_bench import DEFAULT_CLI, cli_command  # noqa: E402

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
FILLER_LINE = b"    int value = compute(alpha, beta) + 42; // ordinary code, no keyword of any rule\n"


def fake_token():
    """ghp_ + 30 random base62 + CRC-32 of those 30 as 6 base62 digits: what rule SS1100 finds and validates."""
    body = "".join(random.choice(BASE62) for _ in range(30))
    crc = zlib.crc32(body.encode()) & 0xFFFFFFFF
    digits = []
    for _ in range(6):
        digits.append(BASE62[crc % 62])
        crc //= 62
    return "ghp_" + body + "".join(reversed(digits))


def secret_hash(secret):
    return hashlib.sha256(b"secretscan:secret:v1\0" + secret.encode()).hexdigest()


def human(n):
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:,.1f} {unit}".replace(".0 ", " ")
    return str(n)


def write_filler(path, size, line=FILLER_LINE, tail=b""):
    """A file of `size` bytes of ordinary code lines, written in 8 MB blocks, then `tail`."""
    block = line * max(1, (8 << 20) // len(line))
    with open(path, "wb") as f:
        left = size
        while left > 0:
            chunk = block[: min(len(block), left)]
            f.write(chunk)
            left -= len(chunk)
        f.write(tail)


def plant(folder, name="planted.env"):
    """The normal file next to the hostile input; its secret must be found whatever the hostile input does."""
    token = fake_token()
    with open(os.path.join(folder, name), "w") as f:
        f.write(f"# deploy settings\nGITHUB_TOKEN={token}\n")
    return token


def git(cwd, *args, input_bytes=None):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
    return subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, input=input_bytes, env=env,
                          check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout


def fast_import(repo, commits):
    """Feeds git fast-import: commits is a list of (ref, message, [(path bytes, content bytes)]), each on the previous one of its ref."""
    out = bytearray()
    when = 1_700_000_000
    for ref, message, files in commits:
        when += 60
        msg = message.encode()
        out += b"commit " + ref.encode() + b"\n"
        out += f"committer Bench <bench@example.invalid> {when} +0000\n".encode()
        out += b"data " + str(len(msg)).encode() + b"\n" + msg + b"\n"
        for path, content in files:
            out += b"M 100644 inline " + path + b"\n"
            out += b"data " + str(len(content)).encode() + b"\n" + content + b"\n"
        out += b"\n"
    git(repo, "fast-import", "--quiet", input_bytes=bytes(out))


def new_repo(folder):
    os.makedirs(folder)
    git(folder, "init", "-q", "-b", "main")
    return folder


# ---- the cases: each builds its input under `root` and returns (scan root, extra args, planted tokens, size text, git?) ----

def case_huge_file(root, scale):
    size = int(2e9 * scale)
    token = fake_token()
    write_filler(os.path.join(root, "huge.log"), size, tail=f"token = {token}\n".encode())
    return root, ["--max-file-size", "0"], [token, plant(root)], f"{human(size)} file (--max-file-size 0: streamed)"


def case_huge_file_default(root, scale):
    size = int(2e9 * scale)
    write_filler(os.path.join(root, "huge.log"), size)
    return root, [], [plant(root)], f"{human(size)} file, default 100 MB limit (skipped)"


def case_long_line(root, scale):
    size = int(500e6 * scale)
    middle, end = fake_token(), fake_token()
    chunk = b"x" * 1023 + b";"
    half = size // 2
    with open(os.path.join(root, "bundle.min.js"), "wb") as f:
        for _ in range(half // len(chunk)):
            f.write(chunk)
        f.write(f"var a='{middle}';".encode())
        for _ in range(half // len(chunk)):
            f.write(chunk)
        f.write(f"var b='{end}';".encode())
    return root, ["--max-file-size", "0"], [middle, end, plant(root)], f"{human(size)} on one line"


def case_many_files(root, scale):
    count = max(1000, int(1_000_000 * scale))
    per_dir = 1000
    for i in range(count):
        d = os.path.join(root, f"d{i // per_dir:04d}")
        if i % per_dir == 0:
            os.mkdir(d)
        with open(os.path.join(d, f"f{i % per_dir:04d}.txt"), "wb") as f:
            f.write(b"x = %d\n" % i)
    return root, [], [plant(root)], f"{count:,} tiny files"


def case_deep_dirs(root, scale):
    depth = max(100, int(10_000 * scale))
    deep_token = fake_token()
    # Built with mkdirat/openat on folder handles: the full path passes PATH_MAX (4096) long before the bottom.
    fd = os.open(root, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        below = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = below
    bottom = os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(bottom, f"key = {deep_token}\n".encode())
    os.close(bottom)
    os.close(fd)
    note = f"{depth:,} nested folders ({2 * depth:,}-char path)"
    return root, [], [plant(root)], note


def case_long_paths(root, scale):
    names = []
    d = root
    for i in range(15):  # 15 x 255 bytes: paths near 3,900 chars, every component at NAME_MAX
        d = os.path.join(d, ("n%02d" % i) + "p" * 252)
        names.append(d)
    os.makedirs(d)
    long_token = fake_token()
    with open(os.path.join(d, "x.txt"), "w") as f:
        f.write(f"key = {long_token}\n")
    latin1_token = fake_token()
    with open(os.path.join(root.encode(), b"caf\xe9.txt"), "w") as f:  # a Latin-1 name: not UTF-8
        f.write(f"key = {latin1_token}\n")
    # The Latin-1 name is expected as a counted error (.NET cannot open a file by a name that is not UTF-8), not a find.
    return root, [], [long_token, plant(root)], "15 x 255-byte folder names, a non-UTF-8 name"


def case_special_files(root, scale):
    outside = os.path.join(root, "..", "outside")
    os.mkdir(outside)
    with open(os.path.join(outside, "secret.txt"), "w") as f:
        f.write("token " + fake_token() + "\n")
    os.mkdir(os.path.join(root, "inner"))
    os.symlink(root, os.path.join(root, "inner", "loop"))
    os.symlink(outside, os.path.join(root, "escape"))
    os.symlink(os.path.join(outside, "secret.txt"), os.path.join(root, "leak.txt"))
    os.symlink("/dev/zero", os.path.join(root, "zero-link"))
    os.mkfifo(os.path.join(root, "pipe"))
    os.mknod(os.path.join(root, "zero"), 0o600 | 0o020000, os.makedev(1, 5))  # a char device like /dev/zero (root only)
    os.mknod(os.path.join(root, "urandom"), 0o600 | 0o020000, os.makedev(1, 9))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(os.path.join(root, "sock"))
    return root, [], [plant(root)], "symlink loop, links out, FIFO, char devices, socket"


def case_encodings(root, scale):
    tokens = []

    def put(name, data):
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)

    t = fake_token(); tokens.append(t)
    put("invalid-utf8.txt", b"\xc3\x28\xff\xfe\xed\xa0\x80\n" * 100 + f"key = {t}\n".encode())
    t = fake_token(); tokens.append(t)
    put("utf16le-bom.txt", b"\xff\xfe" + f"line\r\nkey = {t}\r\n".encode("utf-16-le"))
    t = fake_token(); tokens.append(t)
    put("utf16be-bom.txt", b"\xfe\xff" + f"line\nkey = {t}\n".encode("utf-16-be"))
    t = fake_token(); tokens.append(t)
    put("nul-late.txt", FILLER_LINE * 200 + b"\0\0\0\n" + f"key = {t}\n".encode())
    # Not expected to be found: skipped as binary, like git does (NUL in the first 8000 bytes).
    put("utf16le-nobom.txt", f"key = {fake_token()}\n".encode("utf-16-le"))
    put("nul-early.txt", b"\0" + f"key = {fake_token()}\n".encode())
    return root, [], tokens + [plant(root)], "invalid UTF-8, UTF-16 with/without BOM, NULs"


def case_archives(root, scale):
    # A zip bomb: 1 GB of zeros deflates to about 1 MB; nested 10 deep. Archives are binary: skipped, never opened.
    layer = os.path.join(root, "bomb0.zip")
    with zipfile.ZipFile(layer, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("zeros.txt", "w") as f:
            block = b"\0" * (1 << 20)
            for _ in range(max(1, int(1024 * scale))):
                f.write(block)
    for i in range(1, 10):
        nxt = os.path.join(root, f"bomb{i}.zip")
        with zipfile.ZipFile(nxt, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(layer, os.path.basename(layer))
        os.remove(layer)
        layer = nxt
    with zipfile.ZipFile(os.path.join(root, "stored.zip"), "w", zipfile.ZIP_STORED) as z:
        z.writestr("inner.env", f"GITHUB_TOKEN={fake_token()}\n")
    return root, [], [plant(root)], "zip bomb (1 GB, 10 deep), stored zip with a secret"


def case_catastrophic_regex(root, scale):
    rules = os.path.join(root, "..", "evil-rules.yaml")
    with open(rules, "w") as f:
        f.write("""rules:
  - id: EVIL1
    name: nested-quantifier
    keywords: [aaaa]
    pattern: '(a+)+$'
  - id: EVIL2
    name: overlapping-alternation
    keywords: [xxxx]
    pattern: '(x|x)*y'
  - id: EVIL3
    name: repeated-wildcard
    keywords: [bbbb]
    pattern: '(.*b){12}c'
  - id: GH1
    name: github-token
    keywords: [ghp_]
    pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b'
    secret_group: 1
""")
    for i in range(20):
        with open(os.path.join(root, f"hostile{i}.txt"), "w") as f:
            f.write("a" * 30000 + "!\n" + "x" * 30000 + "\n" + "b" * 3000 + "\n")
    return root, ["--rules", rules, "--regex-timeout", "1000"], [plant(root)], "3 backtracking rules x 20 files"


def case_findings_flood(root, scale):
    count = max(1000, int(1_000_000 * scale))
    with open(os.path.join(root, "flood.txt"), "w") as f:
        for _ in range(count):
            f.write(f"t={fake_token()}\n")
    return root, [], [plant(root)], f"{count:,} distinct secrets in one file"


def case_refs(root, scale):
    count = max(1000, int(100_000 * scale))
    repo = new_repo(os.path.join(root, "repo"))
    token = fake_token()
    fast_import(repo, [("refs/heads/main", "planted", [(b"planted.env", f"GITHUB_TOKEN={token}\n".encode())])])
    head = git(repo, "rev-parse", "HEAD").decode().strip()
    with open(os.path.join(repo, ".git", "packed-refs"), "w") as f:
        f.write("# pack-refs with: peeled fully-peeled sorted \n")
        for i in range(count):
            f.write(f"{head} refs/tags/t{i:06d}\n")
    return repo, ["--git"], [token], f"{count:,} refs"


def case_wide_commit(root, scale):
    count = max(1000, int(100_000 * scale))
    repo = new_repo(os.path.join(root, "repo"))
    token = fake_token()
    files = [(b"d%03d/f%06d.txt" % (i // 1000, i), b"x = %d\n" % i) for i in range(count)]
    files.append((b"planted.env", f"GITHUB_TOKEN={token}\n".encode()))
    fast_import(repo, [("refs/heads/main", "wide", files)])
    git(repo, "reset", "-q", "--soft", "HEAD")
    return repo, ["--git"], [token], f"one commit with {count:,} files"


def case_delta_chain(root, scale):
    versions = max(100, int(5000 * scale))
    repo = new_repo(os.path.join(root, "repo"))
    token = fake_token()
    # One random line changes per version: each version is closest to its neighbours, so repack chains them.
    lines = [b"line %d %s\n" % (i, os.urandom(8).hex().encode()) for i in range(400)]
    commits = []
    for v in range(versions):
        lines[random.randrange(len(lines))] = b"changed %d %s\n" % (v, os.urandom(8).hex().encode())
        if v == versions // 2:
            lines[random.randrange(len(lines))] = f"key = {token}\n".encode()
        commits.append(("refs/heads/main", f"v{v}", [(b"grow.txt", b"".join(lines))]))
    fast_import(repo, commits)
    git(repo, "repack", "-adfq", "--depth=4095", "--window=10")
    stats = git(repo, "verify-pack", "-v", *_packs(repo)).decode()
    depth = max((int(l.split("=")[1].split(":")[0]) for l in stats.splitlines() if l.startswith("chain length =")), default=0)
    return repo, ["--git"], [token], f"{versions:,} versions of one file, delta chain {depth:,} deep"


def _packs(repo):
    packdir = os.path.join(repo, ".git", "objects", "pack")
    return [os.path.join(packdir, p) for p in os.listdir(packdir) if p.endswith(".idx")]


def case_corrupt_objects(root, scale):
    repo = new_repo(os.path.join(root, "repo"))
    packed_lost, loose_lost, good = fake_token(), fake_token(), fake_token()
    filler = [(b"f%04d.txt" % i, b"x = %d %s\n" % (i, os.urandom(64).hex().encode())) for i in range(max(200, int(20000 * scale)))]
    fast_import(repo, [("refs/heads/main", "packed", filler + [(b"packed.env", f"K={packed_lost}\n".encode())])])
    git(repo, "repack", "-adq")
    # Garbage inside one packed blob's zlib stream (the pack keeps its size, so git still opens it).
    blob = git(repo, "rev-parse", "HEAD:packed.env").decode().strip()
    idx = _packs(repo)[0]
    entry = next(l.split() for l in git(repo, "verify-pack", "-v", idx).decode().splitlines() if l.startswith(blob))
    with open(idx.replace(".idx", ".pack"), "r+b") as f:
        f.seek(int(entry[4]) + 4)
        f.write(b"\xde\xad\xbe\xef")
    # Two loose objects: one good, one with garbage instead of zlib.
    with open(os.path.join(repo, "good.env"), "w") as f:
        f.write(f"GITHUB_TOKEN={good}\n")
    with open(os.path.join(repo, "lost.env"), "w") as f:
        f.write(f"GITHUB_TOKEN={loose_lost}\n")
    blob = git(repo, "hash-object", "-w", "lost.env").decode().strip()
    git(repo, "hash-object", "-w", "good.env")
    obj = os.path.join(repo, ".git", "objects", blob[:2], blob[2:])
    os.chmod(obj, 0o644)
    with open(obj, "wb") as f:
        f.write(b"not a zlib stream")
    tree = git(repo, "mktree", "--missing", input_bytes=(f"100644 blob {git(repo, 'hash-object', 'good.env').decode().strip()}\tgood.env\n"
                                            f"100644 blob {blob}\tlost.env\n").encode()).decode().strip()
    commit = git(repo, "commit-tree", tree, "-m", "loose").decode().strip()
    git(repo, "update-ref", "refs/heads/loose", commit)
    return repo, ["--git"], [good], "a corrupt packed blob, a garbage loose object"


def case_truncated_pack(root, scale):
    repo = new_repo(os.path.join(root, "repo"))
    token = fake_token()
    fast_import(repo, [("refs/heads/main", "packed", [(b"f%04d.txt" % i, os.urandom(64).hex().encode()) for i in range(200)])])
    git(repo, "repack", "-adq")
    pack = _packs(repo)[0].replace(".idx", ".pack")
    os.truncate(pack, os.path.getsize(pack) * 2 // 3)  # git then refuses the whole pack: main's commit is unreadable
    fast_import(repo, [("refs/heads/other", "loose", [(b"planted.env", f"GITHUB_TOKEN={token}\n".encode())])])
    return repo, ["--git"], [token], "pack truncated to 2/3 (a ref's commit unreadable)"


CASES = {
    "huge-file": case_huge_file,
    "huge-file-default": case_huge_file_default,
    "long-line": case_long_line,
    "many-files": case_many_files,
    "deep-dirs": case_deep_dirs,
    "long-paths": case_long_paths,
    "special-files": case_special_files,
    "encodings": case_encodings,
    "archives": case_archives,
    "catastrophic-regex": case_catastrophic_regex,
    "findings-flood": case_findings_flood,
    "refs": case_refs,
    "wide-commit": case_wide_commit,
    "delta-chain": case_delta_chain,
    "corrupt-objects": case_corrupt_objects,
    "truncated-pack": case_truncated_pack,
}


def measure(argv, timeout):
    """Wall time, peak RSS (KiB), exit code (None: killed at the timeout) and stderr of one run.

    The RSS comes from GNU time wrapped around the run, not from wait4 here: a child forked from this Python process
    starts with Python's own high-water mark (Linux carries it across fork and exec), which after reading a large
    report would be reported as the scan's. time's rusage covers secretscan and the git processes it waited for.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss:
        proc = subprocess.Popen(["/usr/bin/time", "-q", "-f", "%M", "-o", rss.name, *argv], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the group this run started, and nothing else
            proc.wait()
            code = None
        seconds = time.perf_counter() - start
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        values = [l for l in rss.read().split() if l.isdigit()]
        return seconds, int(values[-1]) if values else 0, code, text


def run_case(cli, name, build, scratch, scale, timeout):
    case_dir = os.path.join(scratch, name)
    root = os.path.join(case_dir, "root")
    os.makedirs(root)
    t0 = time.perf_counter()
    target, extra, tokens, size = build(root, scale)
    build_s = time.perf_counter() - t0
    report = os.path.join(case_dir, "report.json")
    argv = cli + ["scan", target, "--format", "json", "--output", report, "--no-progress", *extra]
    seconds, rss_kb, code, stderr = measure(argv, timeout)
    if code is None:
        return [name, size, f">{timeout:.0f}", f"{rss_kb / 1024:.0f}", "HUNG: killed at the timeout"], build_s
    try:
        with open(report, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        tail = " ".join(stderr.strip().splitlines()[:1])[:160]
        return [name, size, f"{seconds:.1f}", f"{rss_kb / 1024:.0f}", f"NO REPORT (exit {code}): {tail}"], build_s
    found = {f["secretHash"] for f in doc["findings"]}
    hit = sum(1 for t in tokens if secret_hash(t) in found)
    stats = doc["statistics"]
    kinds = {}
    for w in doc["warnings"]:
        kinds[w["kind"]] = kinds.get(w["kind"], 0) + 1
    result = f"{'ok' if hit == len(tokens) else 'MISSED'}: {hit}/{len(tokens)} planted found, {stats['findings']:,} findings"
    if kinds:
        result += ", " + ", ".join(f"{n:,} {k}" for k, n in sorted(kinds.items()))
    result += f"; exit {code}"
    if code not in (0, 1, 2) or "Unhandled exception" in stderr:
        result = "CRASH: " + result + " " + stderr.strip().splitlines()[0][:120]
    return [name, size, f"{seconds:.1f}", f"{rss_kb / 1024:.0f}", result], build_s


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", default=DEFAULT_CLI, help="secretscan.dll or a publish folder (default: the Release build)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full sizes (default 1 = the sizes of issue 7)")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated subset of: " + ", ".join(CASES))
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a scan counts as hung (default 1800)")
    parser.add_argument("--keep", help="build the cases in this folder and keep them (default: a temp folder, deleted)")
    args = parser.parse_args()
    cli = cli_command(args.cli)
    scratch = args.keep or tempfile.mkdtemp(prefix="secretscan-adv-")
    os.makedirs(scratch, exist_ok=True)
    rows = []
    try:
        for name in args.cases.split(","):
            row, build_s = run_case(cli, name, CASES[name], scratch, args.scale, args.timeout)
            rows.append(row)
            print(f"{name}: built in {build_s:.0f} s; " + " | ".join(row[1:]), file=sys.stderr, flush=True)
            if not args.keep:
                subprocess.run(["rm", "-rf", os.path.join(scratch, name)], check=False)  # rm copes with paths past PATH_MAX
    finally:
        if not args.keep:
            subprocess.run(["rm", "-rf", scratch], check=False)
    print("| case | size | wall s | peak MB | result |")
    print("| --- | --- | ---: | ---: | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
