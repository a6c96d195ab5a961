#!/usr/bin/env bash
# Reruns the Go benchmarks behind the figures in docs/development.md and
# prints, after go test's own output, the median and the range of every
# figure over the runs.
#
#   docs/bench.sh              the benchmarks the table cites, 6 runs each
#   docs/bench.sh all          every benchmark of every package
#   COUNT=10 docs/bench.sh     more runs (go test -count)
#   BENCHTIME=1x docs/bench.sh one iteration each: checks that the script and
#                              the benchmarks run, measures nothing
#
# The figures depend on the machine and on whatever else runs on it: on a
# shared virtual machine they vary by a factor of two or more from one hour
# to the next. Run it on an otherwise idle machine, compare figures taken in
# the same stretch of time, and keep the machine line with them. go test's
# own output is passed through unchanged, so it can be saved for benchstat.
set -euo pipefail

cd "$(dirname "$0")/.."

count=${COUNT:-6}
benchtime=${BENCHTIME:-}
what=${1:-cited}

# package and benchmark pattern, one pair a line
case "$what" in
cited)
	runs=(
		"./sim/" '^(BenchmarkStep|BenchmarkHandoff)$'
		"./tui/" '^(BenchmarkView|BenchmarkStep|BenchmarkStepBackThinned|BenchmarkToggleGIL|BenchmarkOpenTenThousand|BenchmarkToggleTenThousand|BenchmarkToggleProgram)$'
		"./sim/export/" '^BenchmarkExport$'
		"./scenarios/python/" '^BenchmarkTwoCountdowns$'
		"./scenarios/python/syntax/" '^BenchmarkParse$'
	)
	;;
all)
	runs=(
		"./sim/" '.'
		"./scenarios/" '.'
		"./scenarios/python/" '.'
		"./scenarios/python/syntax/" '.'
		"./tui/" '.'
		"./sim/export/" '.'
	)
	;;
*)
	echo "usage: docs/bench.sh [cited|all]   (COUNT=N, BENCHTIME=D or Nx in the environment)" >&2
	exit 2
	;;
esac

cpu=""
if [ -r /proc/cpuinfo ]; then
	cpu=$(awk -F ': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
elif command -v sysctl >/dev/null 2>&1; then
	cpu=$(sysctl -n machdep.cpu.brand_string 2>/dev/null || true)
fi
[ -n "$cpu" ] || cpu="unknown CPU"
cores=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
load="unknown"
if [ -r /proc/loadavg ]; then
	load=$(cut -d ' ' -f 1-3 /proc/loadavg)
fi

echo "# machine: $cpu, $cores cores, $(go env GOOS)/$(go env GOARCH), $(go env GOVERSION)"
echo "# taken: $(date -u '+%Y-%m-%d %H:%M UTC'), load average $load, -count $count${benchtime:+, -benchtime $benchtime}"

raw=$(mktemp)
trap 'rm -f "$raw"' EXIT

set -- "${runs[@]}"
while [ $# -gt 0 ]; do
	pkg=$1 pattern=$2
	shift 2
	out=$(mktemp)
	go test -run '^$' -bench "$pattern" -benchmem -count "$count" ${benchtime:+-benchtime "$benchtime"} "$pkg" | tee "$out"
	if ! grep -q '^Benchmark' "$out"; then
		echo "docs/bench.sh: no benchmark in $pkg matches $pattern; see go test -list 'Benchmark.*' $pkg" >&2
		rm -f "$out"
		exit 1
	fi
	cat "$out" >>"$raw"
	rm -f "$out"
done

# Median, lowest and highest of every figure over the runs: one line per
# benchmark (with its package) and unit.
echo
echo "# median (lowest - highest) of $count runs"
awk '/^pkg: / { pkg = $2; sub(/^github.com\/gilsim\/gilsim\//, "", pkg) }
/^Benchmark/ {
	for (i = 3; i + 1 <= NF; i += 2) printf "%s %s\t%s\t%s\n", pkg, $1, $(i + 1), $i
}' "$raw" |
	sort -t "$(printf '\t')" -k 1,1 -k 2,2 -k 3,3g |
	awk -F '\t' '
	function num(x) {
		if (x == int(x) || x >= 1000) return sprintf("%.0f", x)
		if (x >= 10) return sprintf("%.1f", x)
		return sprintf("%.3g", x)
	}
	function flush(   m) {
		if (n == 0) return
		m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		printf "%-64s %12s %-15s (%s - %s)\n", name, num(m), unit, num(v[1]), num(v[n])
		n = 0
	}
	$1 != name || $2 != unit { flush(); name = $1; unit = $2 }
	{ v[++n] = $3 }
	END { flush() }'
