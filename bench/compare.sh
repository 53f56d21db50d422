#!/usr/bin/env bash
# bench/compare.sh: whole-CLI benchmarks of casebook against its targets
# (docs: BENCHMARKS.md, targets: the design brief).
#
# Builds casebook, casebook-gen and bareparse, generates libraries of 1k,
# 10k and 50k playbooks (one scenario per ten) and 100k attempts, then
# times, as separate processes:
#   - bareparse DIR (every .yaml parsed into a yaml.Node on all cores)
#     against casebook lint DIR, and prints the ratio, at every size;
#   - the peak RSS of casebook lint at every size;
#   - casebook --version and casebook lint on the embedded library;
#   - casebook report over the 100k attempts, and report --html (the
#     dashboard file: under 5 s and 5 MB);
#   - the peak RSS of casebook report over 500k attempts (its memory must
#     not grow with the number of attempts);
#   - casebook report --store over a SQLite store of 1M attempts: the 100k
#     attempts imported (report --store over them must print what report
#     over the files prints), then copied to 1M (casebook-gen -replicate:
#     the copies of scored attempts carry their scorecards, not their
#     moves, which a report over the store does not read).
#
# Environment:
#   BENCH_QUICK=1        skip the 50k library
#   BENCH_SIZES="..."    library sizes (default "1000 10000 50000")
#   BENCH_ATTEMPTS=N     attempts for report (default 100000)
#   BENCH_REPORT_LARGE=N attempts for report's memory target (default
#                        500000; 0 skips it: generating them takes minutes
#                        and about 2 GB of disk)
#   BENCH_STORED=N       stored attempts for report --store (default
#                        1000000, a multiple of BENCH_ATTEMPTS; 0 skips it:
#                        importing takes minutes and about 2 GB of disk)
#   BENCH_RUNS=N         runs of --version and embedded lint (default 30)
#   BENCH_PAIRS=N        bareparse/lint pairs at 1k (default 10); at 10k and
#                        more, and for report, BENCH_HEAVY_RUNS (default 5)
#   BENCH_DIR=DIR        keep generated data in DIR and reuse it next time
#                        (regenerated when casebook-gen changes)
#   BENCH_STRICT=1       exit 1 when a target is missed
#   GO=go                the go command
#
# Every figure is a median. bareparse and lint run alternately, so that other
# work on the machine weighs on both alike. The fast commands are timed with
# hyperfine when it is installed (apt-get install hyperfine), else like the
# others with date +%s%N; peak memory comes from /usr/bin/time -v.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
GO=${GO:-go}
runs=${BENCH_RUNS:-30}
pairs=${BENCH_PAIRS:-10}
heavy=${BENCH_HEAVY_RUNS:-5}
attempts=${BENCH_ATTEMPTS:-100000}
large=${BENCH_REPORT_LARGE:-500000}
stored=${BENCH_STORED:-1000000}
sizes=${BENCH_SIZES:-"1000 10000 50000"}
if [[ -n "${BENCH_QUICK:-}" && "${BENCH_QUICK}" != 0 ]]; then
	sizes=$(tr ' ' '\n' <<<"$sizes" | awk '$1 < 50000' | tr '\n' ' ')
fi
unset CASEBOOK_LIBRARY

if [[ -n "${BENCH_DIR:-}" ]]; then
	work=$BENCH_DIR
	mkdir -p "$work"
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/casebook-bench.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi
bin=$work/bin
mkdir -p "$bin"

say() { printf '%s\n' "$*" >&2; }

say "building casebook, casebook-gen and bareparse into $bin"
(cd "$root" && $GO build -trimpath -o "$bin/" ./cmd/casebook ./cmd/casebook-gen ./cmd/bareparse)
stamp=$(sha256sum "$bin/casebook-gen" | cut -c1-16)

# generate NAME ARGS...: casebook-gen ARGS, which write into $work/NAME,
# unless the same generator already did.
generate() {
	local name=$1
	shift
	if [[ -f "$work/$name.stamp" && "$(cat "$work/$name.stamp")" == "$stamp $*" ]]; then
		say "reusing $work/$name"
		return
	fi
	rm -rf "${work:?}/$name" "$work/$name.stamp"
	say "generating $name: casebook-gen $*"
	"$bin/casebook-gen" "$@"
	echo "$stamp $*" >"$work/$name.stamp"
}

for n in $sizes; do
	generate "lib-$n" -playbooks "$n" -seed 1 "$work/lib-$n"
done
# report: a library of 1,000 playbooks (100 scenarios) and the attempts
# trainees made on it, outside the library as train keeps them.
generate report -playbooks 1000 -attempts "$attempts" -seed 1 -attempts-dir "$work/report/attempts" "$work/report/library"
if ((large > 0)); then
	generate report-large -playbooks 1000 -attempts "$large" -seed 1 -attempts-dir "$work/report-large/attempts" "$work/report-large/library"
fi

# The store: the report attempts imported into SQLite (once per
# generator), then copied to $stored attempts.
if ((stored > 0)); then
	db=$work/report/store.db
	if [[ ! -f "$db" || "$(cat "$work/report/store.stamp" 2>/dev/null)" != "$stamp $attempts" ]]; then
		rm -f "$db" "$db"-* "$work/report/store.stamp"
		say "importing the $attempts report attempts into sqlite:$db"
		"$bin/casebook" store import --library "$work/report/library" --store "sqlite:$db" "$work/report/attempts" >/dev/null
		echo "$stamp $attempts" >"$work/report/store.stamp"
	fi
	say "checking report --store against report over the same files"
	"$bin/casebook" report --library "$work/report/library" -o json "$work/report/attempts" >"$work/report/from-files.json"
	"$bin/casebook" report --library "$work/report/library" -o json --store "sqlite:$db" >"$work/report/from-store.json"
	if ! cmp -s "$work/report/from-files.json" "$work/report/from-store.json"; then
		say "report --store differs from report over the same files:"
		diff "$work/report/from-files.json" "$work/report/from-store.json" | head -20 >&2
		exit 1
	fi
	big=$work/report/store-$stored.db
	if [[ ! -f "$big" || "$(cat "$big.stamp" 2>/dev/null)" != "$stamp $attempts $stored" ]]; then
		rm -f "$big" "$big"-* "$big.stamp"
		copies=$(((stored + attempts - 1) / attempts))
		say "copying the store to $((copies * attempts)) attempts"
		cp "$db" "$big"
		"$bin/casebook-gen" -replicate "sqlite:$big" -copies "$copies"
		echo "$stamp $attempts $stored" >"$big.stamp"
	fi
fi

# fast_ms RUNS CMD...: the median wall time of a fast command in
# milliseconds (hyperfine without a shell when it is installed).
fast_ms() {
	local n=$1
	shift
	if command -v hyperfine >/dev/null; then
		hyperfine -N --style none --warmup 3 --runs "$n" --export-json "$work/hf.json" -- "$*" >/dev/null 2>&1 ||
			{ say "failed: $*"; "$@" >/dev/null; exit 1; }
		sed -n 's/^ *"median": *\([0-9.e+-]*\),*$/\1/p' "$work/hf.json" | head -1 | awk '{printf "%.2f", $1 * 1000}'
		return
	fi
	slow_ms "$n" "$@"
}

# once_ns CMD...: the wall time of one run in nanoseconds (output discarded;
# a non-zero exit fails the script).
once_ns() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 || { say "failed: $*"; exit 1; }
	t1=$(date +%s%N)
	echo $((t1 - t0))
}

median_ms() { tr ' ' '\n' | sort -n | awk '{ a[NR] = $1 } END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.2f", m / 1e6 }'; }

# slow_ms RUNS CMD...: the median wall time of CMD in milliseconds, after a
# warm-up run.
slow_ms() {
	local n=$1 i all=""
	shift
	once_ns "$@" >/dev/null
	for ((i = 0; i < n; i++)); do
		all+="$(once_ns "$@") "
	done
	median_ms <<<"${all% }"
}

# pair_ms RUNS DIR: bareparse DIR and casebook lint DIR, run alternately so
# that other work on the machine weighs on both alike; prints both medians.
pair_ms() {
	local n=$1 dir=$2 i a="" b=""
	once_ns "$bin/bareparse" "$dir" >/dev/null
	once_ns "$bin/casebook" lint "$dir" >/dev/null
	for ((i = 0; i < n; i++)); do
		a+="$(once_ns "$bin/bareparse" "$dir") "
		b+="$(once_ns "$bin/casebook" lint "$dir") "
	done
	echo "$(median_ms <<<"${a% }") $(median_ms <<<"${b% }")"
}

# peak_mb CMD...: the peak resident set size of CMD in MB.
peak_mb() {
	if [[ ! -x /usr/bin/time ]]; then
		echo "?"
		return
	fi
	/usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>&1 || { say "failed: $*"; exit 1; }
	awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$work/time.txt"
}

# Report runs on two cores, as its target says, wherever there are more.
two=()
if [[ $(nproc) -gt 2 ]] && command -v taskset >/dev/null; then
	two=(taskset -c 0,1)
fi

# busy_pct: how much of the machine's CPU was in use over one second.
busy_pct() {
	local a b
	if [[ ! -r /proc/stat ]]; then
		echo "?"
		return
	fi
	read -r -a a </proc/stat
	sleep 1
	read -r -a b </proc/stat
	awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN {
		n = split(a, x, " "); split(b, y, " ")
		for (i = 2; i <= n; i++) { t += y[i] - x[i]; if (i == 5 || i == 6) idle += y[i] - x[i] }
		printf "%.0f", t ? 100 * (t - idle) / t : 0 }'
}
busy=$(busy_pct)
declare -A bare lint rss
for n in $sizes; do
	r=$pairs
	((n >= 10000)) && r=$heavy
	say "timing bareparse and casebook lint on $n playbooks, alternately ($r runs each)"
	read -r "bare[$n]" "lint[$n]" < <(pair_ms "$r" "$work/lib-$n")
	rss[$n]=$(peak_mb "$bin/casebook" lint "$work/lib-$n")
done
# One playbook or scenario: show, show --golden, train, run and export
# at every size, on a warm index (the first run builds it), and list.
export XDG_CACHE_HOME=$work/cache
declare -A one one_rss
one_cmds="show golden train run export"
for n in $sizes; do
	lib=$work/lib-$n
	sc=$(find "$lib/scenarios" -name '*.yaml' | sort | sed -n 1p)
	sc_id=$(awk '/^id: / { print $2; exit }' "$sc")
	pb_id=$(awk '/^playbook: / { sub(/^playbook: /, ""); sub(/@.*/, ""); print; exit }' "$sc")
	awk '/^truth:/ { t = 1; next } /^[^ ]/ { t = 0 } t && /^  [a-z_]+:/ { sub(/^  /, ""); print }' "$sc" >"$work/answers-$n.yaml"
	ticket=()
	while read -r kv; do ticket+=(--ticket "$kv"); done < <(awk '/^  metadata:/ { m = 1; next } /^  [^ ]/ || /^[^ ]/ { m = 0 } m && /^    [a-z_]+:/ { sub(/^    /, ""); sub(/: /, "="); print }' "$sc")
	"$bin/casebook" show "$sc_id" --golden --library "$lib" | awk -F'\t' 'NR > 1 { print $3 }' >"$work/moves-$n.txt"
	declare -A argv=(
		[show]="show $pb_id --library $lib"
		[golden]="show $sc_id --golden --library $lib"
		[train]="train $sc_id --moves $work/moves-$n.txt --trainee bench --attempts $work/attempts-$n --library $lib"
		[run]="run $pb_id --answers $work/answers-$n.yaml ${ticket[*]} --library $lib"
		[export]="export $pb_id -o markdown --library $lib"
	)
	say "timing show, show --golden, train, run, export and list on $n playbooks"
	for c in $one_cmds; do
		# shellcheck disable=SC2086
		one[$c,$n]=$(fast_ms "$runs" "$bin/casebook" ${argv[$c]})
		# shellcheck disable=SC2086
		one_rss[$c,$n]=$(peak_mb "$bin/casebook" ${argv[$c]})
	done
	one[list,$n]=$(slow_ms "$pairs" "$bin/casebook" list --library "$lib")
	one_rss[list,$n]=$(peak_mb "$bin/casebook" list --library "$lib")
	unset argv
done
unset XDG_CACHE_HOME

say "timing casebook --version and casebook lint on the embedded library ($runs runs each)"
version=$(fast_ms "$runs" "$bin/casebook" --version)
embedded=$(fast_ms "$runs" "$bin/casebook" lint)
say "timing casebook report over $attempts attempts ($heavy runs)"
html=$work/report/dashboard.html
say "timing casebook report --html over $attempts attempts ($heavy runs)"
html_ms=$(slow_ms "$heavy" "${two[@]}" "$bin/casebook" report --library "$work/report/library" --html "$html" --force "$work/report/attempts")
html_kb=$(($(wc -c <"$html") / 1000))
report=$(slow_ms "$heavy" "${two[@]}" "$bin/casebook" report --library "$work/report/library" "$work/report/attempts")
report_rss=$(peak_mb "${two[@]}" "$bin/casebook" report --library "$work/report/library" "$work/report/attempts")
if ((large > 0)); then
	say "timing casebook report over $large attempts (one run) and its peak memory"
	large_ms=$(awk -v ns="$(once_ns "${two[@]}" "$bin/casebook" report --library "$work/report-large/library" "$work/report-large/attempts")" 'BEGIN { printf "%.2f", ns / 1e6 }')
	large_rss=$(peak_mb "${two[@]}" "$bin/casebook" report --library "$work/report-large/library" "$work/report-large/attempts")
fi

if ((stored > 0)); then
	say "timing casebook report --store over $stored stored attempts ($heavy runs) and its peak memory"
	stored_ms=$(slow_ms "$heavy" "${two[@]}" "$bin/casebook" report --library "$work/report/library" --store "sqlite:$big")
	stored_rss=$(peak_mb "${two[@]}" "$bin/casebook" report --library "$work/report/library" --store "sqlite:$big")
fi

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || uname -m)
echo
echo "casebook whole-CLI benchmarks (medians): $(nproc) cores, $cpu, $($GO env GOVERSION), $(date -u +%Y-%m-%d)"
echo "CPU in use by other work just before timing: ${busy}% (more than a few percent skews the figures)"
echo
printf '%-10s %14s %14s %8s %14s %14s\n' playbooks "bareparse ms" "lint ms" ratio "lint peak MB" "lint us/file"
for n in $sizes; do
	printf '%-10s %14s %14s %7sx %14s %14s\n' "$n" "${bare[$n]}" "${lint[$n]}" \
		"$(awk -v a="${lint[$n]}" -v b="${bare[$n]}" 'BEGIN { printf "%.2f", a / b }')" "${rss[$n]}" \
		"$(awk -v a="${lint[$n]}" -v n="$n" 'BEGIN { printf "%.1f", a * 1000 / (n + n / 10) }')"
done
echo

failed=0
# check NAME VALUE OP LIMIT UNIT
check() {
	local ok
	ok=$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { if (v == "?") print "?"; else if (op == "<=" ? v <= l : v < l) print "pass"; else print "FAIL" }')
	[[ $ok == FAIL ]] && failed=1
	printf '%-44s %10s  %-2s %-8s %s\n' "$1" "$2" "$3" "$4 $5" "$ok"
}
printf '%-44s %10s  %-11s %s\n' target measured limit result
if [[ -n "${lint[10000]:-}" ]]; then
	check "lint 10k playbooks / bareparse (ratio)" "$(awk -v a="${lint[10000]}" -v b="${bare[10000]}" 'BEGIN { printf "%.2f", a / b }')" "<=" 1.25 x
	check "lint 10k playbooks peak RSS (MB)" "${rss[10000]}" "<" 150 MB
fi
check "casebook --version (ms)" "$version" "<" 20 ms
check "casebook lint, embedded library (ms)" "$embedded" "<" 20 ms
if [[ -n "${one[show,10000]:-}" ]]; then
	for c in $one_cmds; do
		check "casebook $c, 10k playbooks (ms)" "${one[$c,10000]}" "<" 100 ms
		check "casebook $c, 10k playbooks peak RSS (MB)" "${one_rss[$c,10000]}" "<" 60 MB
	done
	check "casebook list, 10k playbooks (ms)" "${one[list,10000]}" "<" 1000 ms
	check "casebook list, 10k playbooks peak RSS (MB)" "${one_rss[list,10000]}" "<" 100 MB
fi
if [[ -n "$sizes" ]]; then
	printf '(one playbook or scenario, warm index: median ms / peak MB at%s playbooks)\n' "$(printf ' %s' $sizes)"
	for c in $one_cmds list; do
		printf '  %-8s' "$c"
		for n in $sizes; do printf ' %8s ms %6s MB' "${one[$c,$n]:-?}" "${one_rss[$c,$n]:-?}"; done
		printf '\n'
	done
fi
check "casebook report, $attempts attempts (ms)" "$report" "<" 2000 ms
check "casebook report --html, $attempts attempts (ms)" "$html_ms" "<" 5000 ms
check "casebook report --html, $attempts attempts, file size (KB)" "$html_kb" "<" 5000 KB
echo "(report over $attempts attempts: peak RSS ${report_rss} MB, $(awk -v ms="$report" -v n="$attempts" 'BEGIN { printf "%.1f", ms * 1000 / n }') us/attempt${two:+, pinned to 2 cores})"
if ((large > 0)); then
	check "casebook report, $large attempts peak RSS (MB)" "$large_rss" "<" 300 MB
	echo "(report over $large attempts: ${large_ms} ms, $(awk -v ms="$large_ms" -v n="$large" 'BEGIN { printf "%.1f", ms * 1000 / n }') us/attempt)"
fi

if ((stored > 0)); then
	check "casebook report --store, $stored attempts (ms)" "$stored_ms" "<" 2000 ms
	check "casebook report --store, $stored attempts peak RSS (MB)" "$stored_rss" "<" 200 MB
	echo "(report --store over $stored stored attempts, SQLite: $(awk -v ms="$stored_ms" -v n="$stored" 'BEGIN { printf "%.2f", ms * 1000 / n }') us/attempt; its output over the $attempts imported attempts equals report over their files)"
fi

if [[ $failed == 1 && -n "${BENCH_STRICT:-}" && "${BENCH_STRICT}" != 0 ]]; then
	exit 1
fi
