#!/usr/bin/env bash
# Measures the per-construct costs on each CPython version and writes
# the cost tables gilsim embeds, scenarios/python/costs/<major.minor>.tsv
# (see docs/python-costs.md).
#
#   docs/python-costs/run.sh                the five versions, 3 rounds
#   docs/python-costs/run.sh 3.12.1         only the versions named
#   ROUNDS=1 docs/python-costs/run.sh       one round (about 1 minute a version)
#   QUICK=1 ROUNDS=1 docs/python-costs/run.sh   checks that everything runs
#
# Each round runs measure.py once under every version (so a noisy stretch of
# time on a shared machine is spread over all versions rather than hitting
# one). The raw output of every run is kept in raw/; combine.py then writes
# the table with, for each construct, the median over the rounds
# of the per-run minima, and the lost-update counts of every round, into
# scenarios/python/costs/<major.minor>.tsv.
# Everything runs under `nice -n 10`. The machine and the date go to
# machine.txt.
set -euo pipefail

cd "$(dirname "$0")"

pyenv_versions=${PYENV_ROOT:-/root/.pyenv}/versions
rounds=${ROUNDS:-3}
if [ $# -gt 0 ]; then
	versions=("$@")
else
	versions=(2.7.18 3.9.18 3.11.7 3.12.1 3.13.0)
fi

for v in "${versions[@]}"; do
	if [ ! -x "$pyenv_versions/$v/bin/python" ]; then
		echo "no interpreter at $pyenv_versions/$v/bin/python" >&2
		exit 1
	fi
done

mkdir -p raw
{
	echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "kernel:   $(uname -srm)"
	lscpu | grep -E '^(Model name|CPU\(s\)|Thread\(s\) per core|Core\(s\) per socket|Hypervisor vendor|BogoMIPS):' | sed 's/  */ /g'
	echo "memory:   $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, at start)"
	echo "rounds:   $rounds${QUICK:+ (QUICK)}"
	for v in "${versions[@]}"; do
		echo "python:   $("$pyenv_versions/$v/bin/python" -c 'import sys; print(sys.version.replace("\n", " "))')"
	done
} > machine.txt

start=$(date +%s)
for r in $(seq 1 "$rounds"); do
	for v in "${versions[@]}"; do
		echo "round $r/$rounds: python $v" >&2
		nice -n 10 "$pyenv_versions/$v/bin/python" measure.py \
			> "raw/results-$v.round$r.tsv" 2> "raw/log-$v.round$r.txt"
	done
done
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (at end)" >> machine.txt
echo "wall:     $(( $(date +%s) - start )) s for all runs" >> machine.txt

# any of the interpreters can run combine.py; take the last one named
combiner="$pyenv_versions/${versions[-1]}/bin/python"
for v in "${versions[@]}"; do
	files=()
	for r in $(seq 1 "$rounds"); do
		files+=("raw/results-$v.round$r.tsv")
	done
	out="../../scenarios/python/costs/${v%.*}.tsv"
	{
		echo "# measured: CPython $v (pyenv build) on $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(date -u +%Y-%m-%d): docs/python-costs.md"
		"$combiner" combine.py "${files[@]}"
	} > "$out"
	echo "wrote scenarios/python/costs/${v%.*}.tsv" >&2
done
