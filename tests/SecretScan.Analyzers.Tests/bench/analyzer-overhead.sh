#!/usr/bin/env bash
# Analyzer overhead: `dotnet build --no-incremental` of a real C# codebase with and without SecretScan's analyzer,
# in pairs (order alternating): whole-process wall time and CPU time (user+sys of the whole process tree: the compiler
# runs in-process, no build server, no node reuse, so every cycle is counted; CPU time is far less disturbed than wall
# time by other work on a shared machine). Prints each pair, the median with/without ratios, and the analyzer's own
# time from -p:ReportAnalyzer=true (total and per file).
#
#   tests/SecretScan.Analyzers.Tests/bench/analyzer-overhead.sh [PROJECT.csproj] [PAIRS] [-- extra build args]
#
# Default project: Newtonsoft.Json (240 files), fetched as a bare mirror and unpacked outside the repository:
#   git --git-dir=/work/.mirror/JamesNK+Newtonsoft.Json/repo archive -o /tmp/nj.tar HEAD Src/Newtonsoft.Json \
#       Src/Directory.Build.props Src/global.json && mkdir -p /work/corpora/newtonsoft && tar -xf /tmp/nj.tar -C /work/corpora/newtonsoft
# with the extra args -p:LibraryFrameworks=net8.0 (one target framework). Never commit the fetched code.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
project="${1:-/work/corpora/newtonsoft/Src/Newtonsoft.Json/Newtonsoft.Json.csproj}"
pairs="${2:-5}"
shift $(( $# >= 2 ? 2 : $# )) || true
[[ "${1:-}" == "--" ]] && shift
extra=("$@")
[[ ${#extra[@]} -eq 0 && "$project" == *Newtonsoft.Json.csproj ]] && extra=(-p:LibraryFrameworks=net8.0)

dotnet build "$repo/src/SecretScan.Analyzers/SecretScan.Analyzers.csproj" -c Release -nologo -v:q >/dev/null
analyzers="$repo/src/SecretScan.Analyzers/bin/Release/netstandard2.0"
files=$(find "$(dirname "$project")" -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | wc -l)
dotnet restore "$project" "${extra[@]}" -nologo -v:q >/dev/null

build() { # $1 = with|without; prints "wall_seconds cpu_seconds"
  local args=(build "$project" --no-restore --no-incremental -nologo -v:q -clp:NoSummary -nodeReuse:false -p:UseSharedCompilation=false "${extra[@]}")
  [[ "$1" == with ]] && args+=("-p:CustomAfterMicrosoftCommonTargets=$here/with-analyzer.targets" "-p:SecretScanAnalyzerDir=$analyzers")
  local TIMEFORMAT="%R %U %S" t
  t=$( { time dotnet "${args[@]}" >/tmp/secretscan-bench-$1.log 2>&1 || { cat /tmp/secretscan-bench-$1.log >&2; exit 1; } ; } 2>&1 )
  echo "$t" | awk '{printf "%.2f %.2f\n", $1, $2 + $3}'
}

build without >/dev/null; build with >/dev/null   # warm-up: disk cache, JIT'd tool assemblies
walls=(); cpus=()
echo "pair  wall_without  wall_with  ratio   cpu_without  cpu_with  ratio"
for i in $(seq 1 "$pairs"); do
  if (( i % 2 )); then a=$(build without); b=$(build with); else b=$(build with); a=$(build without); fi
  read -r aw ac <<<"$a"; read -r bw bc_ <<<"$b"
  rw=$(echo "scale=4; $bw / $aw" | bc); rc=$(echo "scale=4; $bc_ / $ac" | bc)
  walls+=("$rw"); cpus+=("$rc")
  printf "%4d  %12.2f  %9.2f  %5.3f  %11.2f  %8.2f  %5.3f\n" "$i" "$aw" "$bw" "$rw" "$ac" "$bc_" "$rc"
done
median() { printf "%s\n" "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median ratio with/without: wall $(median "${walls[@]}"), cpu $(median "${cpus[@]}")  ($pairs pairs, $files .cs files, $project)"

# The analyzer's own time, as the compiler measures it (wall time of its callbacks, summed over threads).
dotnet build "$project" --no-restore --no-incremental -nologo -v:d "${extra[@]}" -p:ReportAnalyzer=true \
  "-p:CustomAfterMicrosoftCommonTargets=$here/with-analyzer.targets" "-p:SecretScanAnalyzerDir=$analyzers" >/tmp/secretscan-bench-report.log 2>&1
grep -E "Total analyzer execution time|^ *[0-9.<]+ +[0-9<]+ +SecretScan\.Analyzers" /tmp/secretscan-bench-report.log | sed 's/^ *//' | cut -c1-100 | sort -u
secs=$(grep -E "^\s*[0-9.]+ +[0-9]+ +SecretScan\.Analyzers, Version" /tmp/secretscan-bench-report.log | head -1 | awk '{print $1}')
[[ -n "$secs" ]] && echo "SecretScan analyzer time per file: $(echo "scale=3; $secs * 1000 / $files" | bc) ms ($secs s / $files files)"
