#!/usr/bin/env bash
# Runs one AFL++ campaign on one harness target: installs AFL++ and SharpFuzz.CommandLine if missing, publishes and
# instruments the harness, adds generated seeds to the committed corpus, fuzzes for MINUTES into
# ${SECRETSCAN_FUZZ_ROOT:-/tmp/secretscan-fuzz}/TARGET. Usage: fuzz.sh TARGET MINUTES  (see README.md)
set -euo pipefail

target=${1:?usage: fuzz.sh rules|config|validators|readers|engine MINUTES}
minutes=${2:?usage: fuzz.sh TARGET MINUTES}
case $target in rules|config|validators|readers|engine) ;; *) echo "fuzz.sh: unknown target '$target'" >&2; exit 2 ;; esac

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
root=${SECRETSCAN_FUZZ_ROOT:-/tmp/secretscan-fuzz}
work=$root/$target
mkdir -p "$root" "$work"

# Tools. afl++ is Debian's package; SharpFuzz.CommandLine is the dotnet tool that instruments assemblies.
if ! command -v afl-fuzz >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++
fi
sharpfuzz=$root/tools/sharpfuzz
if [[ ! -x $sharpfuzz ]]; then
  dotnet tool install --tool-path "$root/tools" SharpFuzz.CommandLine --version 2.3.0
fi

# One publish shared by all targets (the lock lets five campaigns start at once); own artifacts path, so this build
# never touches the obj/ folders of builds running in the work tree.
# SECRETSCAN_FUZZ_NO_BUILD=1 reuses an existing publish (several campaigns started right after one build).
(
  flock 9
  [[ ${SECRETSCAN_FUZZ_NO_BUILD:-} == 1 && -f $root/publish/SecretScan.Fuzz.dll ]] && exit 0
  dotnet publish "$here/SecretScan.Fuzz.csproj" -c Release -o "$root/publish" --artifacts-path "$root/artifacts" -nologo -v quiet
) 9>"$root/.publish.lock"

# Instrumented copy for this target. The plain publish stays uninstrumented: replaying inputs and making seeds run
# there, because instrumented code needs AFL's shared memory.
rm -rf "$work/app"
cp -r "$root/publish" "$work/app"
for dll in SecretScan.Core SecretScan.Rules.Yaml SecretScan.Reporting secretscan YamlDotNet; do
  "$sharpfuzz" "$work/app/$dll.dll" >/dev/null
done

# Seeds: the committed corpus plus generated ones (fresh fake tokens, never committed).
rm -rf "$work/in"
mkdir -p "$work/in"
cp "$here/corpus/$target/"* "$work/in/"
dotnet "$root/publish/SecretScan.Fuzz.dll" --seeds "$target" "$work/in" "$repo"

export AFL_SKIP_BIN_CHECK=1              # the binary is `dotnet`; the coverage map comes from the instrumented DLLs
export AFL_NO_AFFINITY=1                 # several campaigns share few cores
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI=1
export AFL_AUTORESUME=1                  # a second run continues the campaign in $work/out
export AFL_FORKSRV_INIT_TMOUT=120000     # a .NET start-up under load can take seconds
export SECRETSCAN_FUZZ_TIMEOUT_MS=${SECRETSCAN_FUZZ_TIMEOUT_MS:-10000}   # the harness's own per-input limit (a hang becomes a crash)
export SECRETSCAN_FUZZ_LOG=$work/crash-log.txt    # stack trace of every crash, by input SHA-256

echo "fuzz.sh: $target for $minutes min into $work/out"
afl-fuzz -V $((minutes * 60)) -i "$work/in" -o "$work/out" -x "$here/dict/$target.dict" -t 30000 -m none \
  -- dotnet "$work/app/SecretScan.Fuzz.dll" "$target" || status=$?

stats=$work/out/default/fuzzer_stats
if [[ -f $stats ]]; then
  grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|corpus_found|saved_crashes|saved_hangs|bitmap_cvg)' "$stats"
fi
echo "fuzz.sh: crashes in $work/out/default/crashes; replay with:"
echo "  dotnet $root/publish/SecretScan.Fuzz.dll $target $work/out/default/crashes"
exit "${status:-0}"
