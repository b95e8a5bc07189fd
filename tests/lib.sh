# shellcheck shell=bash
# Helpers shared by tests/run and tests/realcores/*.sh (sourced, never run).
#
# One test = t_begin NAME, then t_run (runs the CLI in -j and text mode),
# then t_expect_* calls, then t_end. Failing expectations are collected and
# printed together with the tool's output, indented; counters T_PASS,
# T_FAIL, T_SKIP feed the closing line.

T_PASS=${T_PASS:-0}
T_FAIL=${T_FAIL:-0}
T_SKIP=${T_SKIP:-0}
T_ROOT=${T_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
T_CACHE=${T_CACHE:-$T_ROOT/tests/cache}

# libkdumpfile 0.5.1 leaks a small object when it translates linear-map
# addresses by its fallback path (seen on the cut-down fixture): not our
# leak, and LeakSanitizer must not fail the sanitizer run for it. Our own
# allocations stay checked.
if [ -z "${LSAN_OPTIONS:-}" ]; then
	mkdir -p "$T_CACHE"
	printf 'leak:libkdumpfile.so\n' >"$T_CACHE/lsan.supp"
	export LSAN_OPTIONS="suppressions=$T_CACHE/lsan.supp:print_suppressions=0"
fi

# Lines of each output stream shown under a failure.
T_SHOW_LINES=${T_SHOW_LINES:-25}

t_indent()
{
	local max=${1:-$T_SHOW_LINES}
	awk -v max="$max" '
		NR <= max { print "      " $0 }
		END { if (NR > max) printf "      … (%d more lines)\n", NR - max }'
}

t_pass() { T_PASS=$((T_PASS + 1)); printf 'ok    %s\n' "$1"; }
t_skip() { T_SKIP=$((T_SKIP + 1)); printf 'skip  %s: %s\n' "$1" "$2"; }
# t_fail NAME [DETAIL]: a failure outside the t_begin/t_end frame
t_fail()
{
	T_FAIL=$((T_FAIL + 1))
	printf 'FAIL  %s\n' "$1"
	[ -z "${2:-}" ] || printf '%s\n' "$2" | t_indent
}

t_begin()
{
	T_NAME=$1
	T_WHY=()
	T_RAN=0
	T_JSON= T_TEXT= T_ERR= T_ERR_TEXT= T_RC= T_RC_TEXT= T_CMD=
	T_BROKEN=0
}

# t_run CLI DUMP ARGS...: `CLI check -j ARGS DUMP` and `CLI check ARGS DUMP`
t_run()
{
	local cli=$1 dump=$2 tmp
	shift 2
	if [ ! -x "$cli" ]; then
		t_why "'$cli' is not built"
		T_BROKEN=1
		return 1
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/sdei-t.XXXXXX")
	T_CMD="$cli check $* $dump"
	"$cli" check -j "$@" "$dump" >"$tmp/json" 2>"$tmp/err" </dev/null
	T_RC=$?
	"$cli" check "$@" "$dump" >"$tmp/text" 2>"$tmp/err-text" </dev/null
	T_RC_TEXT=$?
	T_JSON=$(cat "$tmp/json")
	T_ERR=$(cat "$tmp/err")
	T_TEXT=$(cat "$tmp/text")
	T_ERR_TEXT=$(cat "$tmp/err-text")
	rm -rf "$tmp"
	T_RAN=1
	# Whatever the expectations, these are bugs: a signal or sanitizer
	# report, a usage error, or text and JSON modes disagreeing.
	if [ "$T_RC" -ge 128 ] || [ "$T_RC_TEXT" -ge 128 ]; then
		t_why "the tool crashed (exit $T_RC / $T_RC_TEXT)"
	fi
	case "$T_ERR$T_ERR_TEXT" in
	*"ERROR: AddressSanitizer"*|*"runtime error:"*|*"LeakSanitizer"*)
		t_why "sanitizer report on stderr" ;;
	esac
	if [ "$T_RC" != "$T_RC_TEXT" ]; then
		t_why "exit status differs: -j $T_RC, text $T_RC_TEXT"
	fi
}

# t_why TEXT: record a failed expectation (ignored once the test is broken)
t_why() { [ "${T_BROKEN:-0}" = 1 ] || T_WHY+=("$1"); }

# t_jq EXPR: true when EXPR prints exactly `true` on the -j output
t_jq()
{
	local out
	out=$(printf '%s' "$T_JSON" | jq -c "$1" 2>&1) || return 1
	[ "$out" = true ]
}

t_expect_exit()
{
	[ "$T_RC" = "$1" ] || t_why "expect exit $1: got $T_RC"
}

t_json_ok()
{
	printf '%s' "$T_JSON" | jq -e 'type == "object" and has("cpus")' \
		>/dev/null 2>&1
}

# t_cpu_field N FIELD: the FIELD of the entry with .cpu == N (compact JSON)
t_cpu_field()
{
	printf '%s' "$T_JSON" |
		jq -c --argjson n "$1" "[.cpus[] | select(.cpu == \$n)] |
			if length == 1 then .[0] | $2 else \"<\(length) entries>\" end" \
		2>/dev/null || echo '<no JSON>'
}

# t_expect_cpu N VERDICT [PATH]: PATH may be "null"
t_expect_cpu()
{
	local n=$1 verdict=$2 path=${3:-} got
	got=$(t_cpu_field "$n" '{verdict, path}')
	if [ -n "$path" ]; then
		[ "$path" = null ] || path="\"$path\""
		t_jq "[.cpus[] | select(.cpu == $n)] | length == 1 and
			.[0].verdict == \"$verdict\" and .[0].path == $path" ||
			t_why "expect cpu $n $verdict ${3}: got $got"
	else
		t_jq "[.cpus[] | select(.cpu == $n)] | length == 1 and
			.[0].verdict == \"$verdict\"" ||
			t_why "expect cpu $n $verdict: got $got"
	fi
}

# t_expect_note K N: CPU N's entry has note K (K may be null)
t_expect_note()
{
	local k=$1 n=$2
	t_jq "[.cpus[] | select(.cpu == $n)] | length == 1 and
		.[0].note == $k" ||
		t_why "expect note $k cpu $n: got note $(t_cpu_field "$n" note)"
}

# t_expect_jq EXPR [DESCRIPTION]
t_expect_jq()
{
	local out
	out=$(printf '%s' "$T_JSON" | jq -c "$1" 2>&1 | head -c 300)
	[ "$out" = true ] || t_why "expect jq '${2:-$1}': got ${out:-nothing}"
}

t_expect_text()
{
	case "$T_TEXT" in
	*"$1"*) ;;
	*) t_why "expect text '$1': not in the text report" ;;
	esac
}

t_expect_error()
{
	case "$T_ERR_TEXT" in
	*"$1"*) ;;
	*) t_why "expect error '$1': not on stderr" ;;
	esac
}

t_end()
{
	if [ ${#T_WHY[@]} -eq 0 ]; then
		t_pass "$T_NAME"
		return 0
	fi
	T_FAIL=$((T_FAIL + 1))
	printf 'FAIL  %s\n' "$T_NAME"
	printf '    %s\n' "${T_WHY[@]:0:12}"
	[ ${#T_WHY[@]} -le 12 ] ||
		printf '    … and %d more\n' $((${#T_WHY[@]} - 12))
	[ "$T_RAN" = 1 ] || return 1
	printf '    $ %s\n' "$T_CMD"
	if [ -n "$T_JSON" ]; then
		echo '    -j output:'
		printf '%s\n' "$T_JSON" | { jq . 2>/dev/null || printf '%s\n' "$T_JSON"; } |
			t_indent 40
	fi
	if [ -n "$T_TEXT" ]; then
		echo '    text output:'
		printf '%s\n' "$T_TEXT" | t_indent
	fi
	if [ -n "$T_ERR_TEXT$T_ERR" ]; then
		echo '    stderr:'
		printf '%s\n' "${T_ERR_TEXT:-$T_ERR}" | t_indent 15
	fi
	return 1
}

# t_closing: the last line of every run; returns non-zero on failure or
# when nothing ran (skips are not passes)
t_closing()
{
	printf '%d passed, %d failed, %d skipped\n' "$T_PASS" "$T_FAIL" "$T_SKIP"
	[ "$T_FAIL" -eq 0 ] && [ $((T_PASS + T_FAIL)) -gt 0 ]
}

# ---- real dumps ---------------------------------------------------------

# t_realcores_dir: prints the realcores folder, or fails when there is none
t_realcores_dir()
{
	local d
	# $SDEI_REALCORES, when set, is the only place looked at
	for d in "${SDEI_REALCORES-$T_ROOT/../shared/realcores}"; do
		if [ -n "$d" ] && [ -f "$d/README.md" ]; then
			(cd "$d" && pwd)
			return 0
		fi
	done
	return 1
}

# t_unxz SRC: prints the path of SRC (x.xz, or a plain file) decompressed
# into tests/cache/realcores/. Decompresses once: a stamp keeps SRC's size
# and mtime, and a changed source is decompressed again.
t_unxz()
{
	local src=$1 dir=$T_CACHE/realcores base out stamp want
	base=$(basename "$src")
	case "$base" in
	*.xz) ;;
	*) printf '%s\n' "$src"; return 0 ;;
	esac
	out=$dir/${base%.xz}
	stamp=$out.stamp
	want=$(stat -L -c '%s %Y' "$src") || return 1
	if [ -f "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
		printf '%s\n' "$out"
		return 0
	fi
	mkdir -p "$dir" || return 1
	rm -f "$stamp"
	xz -dc "$src" >"$out.tmp.$$" && mv -f "$out.tmp.$$" "$out" || {
		rm -f "$out.tmp.$$"
		return 1
	}
	printf '%s\n' "$want" >"$stamp"
	printf '%s\n' "$out"
}

# rc_begin NAME DUMP [ARGS...]: start a real-dump test. DUMP and every
# argument written @FILE name files of the realcores folder (decompressed
# first when they end in .xz). Returns non-zero, with the test counted as
# skipped (no realcores) or failed (cannot decompress), when it cannot run.
rc_begin()
{
	local name="real: $1" dump=$2 dir a f args=()
	shift 2
	if [ "${NO_REALCORES:-0}" = 1 ] || ! dir=$(t_realcores_dir); then
		t_skip "$name" "no realcores (../shared/realcores or \$SDEI_REALCORES)"
		return 1
	fi
	t_begin "$name"
	for a in "$dump" "$@"; do
		case "$a" in
		@*)
			if ! f=$(t_unxz "$dir/${a#@}"); then
				t_why "cannot decompress '$dir/${a#@}'"
				t_end
				return 1
			fi
			args+=("$f") ;;
		*) args+=("$a") ;;
		esac
	done
	t_run "$CLI" "${args[0]}" "${args[@]:1}"
	return 0
}

# rc_expect_note K PID MODE PC_SYM: the entry that holds note K has
# pr_pid PID, a pstate mode starting with MODE (EL0/EL1) and, unless PC_SYM
# is -, the pc symbolized as PC_SYM (System.map symbol+offset)
rc_expect_note()
{
	local k=$1 pid=$2 mode=$3 sym=$4 cond got
	cond=".pid == $pid and (.mode // \"\" | startswith(\"$mode\"))"
	[ "$sym" = - ] || cond="$cond and .pc_sym == \"$sym\""
	got=$(printf '%s' "$T_JSON" | jq -c --argjson k "$k" \
		'[.cpus[] | select(.note == $k) | {cpu, pid, mode, pc_sym}]' \
		2>/dev/null | head -c 200)
	t_jq "[.cpus[] | select(.note == $k)] | length == 1 and
		(.[0] | $cond)" ||
		t_why "note #$k: want pid $pid, $mode, pc $sym: got ${got:-<no JSON>}"
}

# rc_expect_nr_notes N: N entries carry a note
rc_expect_nr_notes()
{
	t_expect_jq "[.cpus[] | select(.note != null)] | length == $1" \
		"$1 entries with a note"
}

# rc_expect_serial_gt LOG: the RC-GT lines the guest printed before it
# panicked: "task NAME pid=P pinned_cpu=C" (CPU C's frame is pid P) and
# "task sysrq_panic pid=P cpu=C" (CPU C is the panic CPU, pid P)
rc_expect_serial_gt()
{
	local log=$1 line pid cpu n=0
	while IFS= read -r line; do
		pid=$(printf '%s' "$line" | sed -n 's/.* pid=\([0-9]*\).*/\1/p')
		cpu=$(printf '%s' "$line" | sed -n 's/.* \(pinned_\)\{0,1\}cpu=\([0-9]*\).*/\2/p')
		[ -n "$pid" ] && [ -n "$cpu" ] || continue
		n=$((n + 1))
		case "$line" in
		*"task sysrq_panic "*)
			t_expect_cpu "$cpu" panic
			t_jq "[.cpus[] | select(.cpu == $cpu)][0].pid == $pid" ||
				t_why "serial log: panic CPU $cpu ran pid $pid: got pid $(t_cpu_field "$cpu" pid)" ;;
		*)
			t_jq "[.cpus[] | select(.cpu == $cpu)][0].pid == $pid" ||
				t_why "serial log: pid $pid pinned on CPU $cpu: got pid $(t_cpu_field "$cpu" pid)" ;;
		esac
	done < <(grep -a '^RC-GT: task .* pid=' "$log")
	[ "$n" -gt 0 ] || t_why "serial log '$log' has no RC-GT task lines"
}

# rc_expect_no_guess: without data symbols nothing ties a note to a CPU
# (note order is not CPU order): every CPU-numbered claim must be unknown,
# no CPU may be called missing, and the exit status says findings
rc_expect_no_guess()
{
	t_expect_exit 1
	t_expect_jq '[.cpus[] | select(.cpu != null and .verdict != "unknown")] | length == 0' \
		'no verdict on a numbered CPU without data symbols'
	t_expect_jq '[.cpus[] | select(.verdict == "missing" or .verdict == "stopped")] | length == 0' \
		'nothing called missing or stopped without data symbols'
	t_expect_jq '[.cpus[] | select(.verdict == "unknown")] | length > 0' \
		'at least one unknown'
}
