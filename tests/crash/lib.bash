# shellcheck shell=bash
# Helpers for tests/crash/*.sh (sourced, never run): the crash extension
# loaded into Debian's arm64 crash 8.0.2 running under qemu-aarch64-static
# with a sysroot of its arm64 packages (scripts/crash-sysroot,
# ECOSYSTEM.md §2), compared with the CLI on the same dumps.
#
# Like tests/realcores, these tests count as skipped without realcores
# (../shared/realcores or $SDEI_REALCORES). Where realcores exist, CI must
# run them: a sysroot, emulator or extension that cannot be set up FAILS.
# Environment: SDEI_CRASH_SYSROOT (default tests/cache/crash-sysroot),
# SDEI_CRASH_TIMEOUT (seconds per crash run, default 600).

[ -z "${CR_LIB_LOADED:-}" ] || return 0
CR_LIB_LOADED=1

CR_SYSROOT=${SDEI_CRASH_SYSROOT:-$T_CACHE/crash-sysroot}
CR_DIR=$T_CACHE/crash
CR_SO=$T_ROOT/build/plugins/arm64/sdei-vmcore.so
CR_STATE=		# "", ok, skip or fail: the setup runs once per run
CR_WHY=
CR_SECONDS=0
CR_RC=

# cr_setup: everything the tests need, once; CR_STATE says how it went
cr_setup()
{
	local log inc=
	[ -z "$CR_STATE" ] || return 0
	if [ "${NO_REALCORES:-0}" = 1 ] || ! t_realcores_dir >/dev/null; then
		CR_STATE=skip
		CR_WHY="no realcores (../shared/realcores or \$SDEI_REALCORES)"
		return 0
	fi
	CR_STATE=fail
	mkdir -p "$CR_DIR" || { CR_WHY="cannot create '$CR_DIR'"; return 0; }
	log=$CR_DIR/setup.log
	# The script is idempotent but asks apt (seconds): only when needed.
	if [ ! -x "$CR_SYSROOT/usr/bin/crash" ] ||
	   [ ! -f "$CR_SYSROOT/.crash-sysroot" ] ||
	   ! command -v qemu-aarch64-static >/dev/null ||
	   ! command -v aarch64-linux-gnu-gcc >/dev/null ||
	   [ ! -f /usr/aarch64-linux-gnu/include/stdio.h ]; then
		if ! "$T_ROOT/scripts/crash-sysroot" --quiet "$CR_SYSROOT" \
				>"$log" 2>&1 </dev/null; then
			CR_WHY="scripts/crash-sysroot '$CR_SYSROOT' failed:
$(tail -5 "$log")"
			return 0
		fi
	fi
	# The extension's ABI is crash's defs.h; the sysroot holds the same
	# file as the host's crash package, so the host package is optional.
	[ -f /usr/include/crash/defs.h ] ||
		inc="CRASH_INCLUDE=$CR_SYSROOT/usr/include/crash"
	# shellcheck disable=SC2086 # inc is one word or none
	if ! make -C "$T_ROOT" --no-print-directory \
			build/plugins/arm64/sdei-vmcore.so \
			CRASH_SYSROOT="$CR_SYSROOT" $inc >"$log" 2>&1 </dev/null; then
		CR_WHY="make build/plugins/arm64/sdei-vmcore.so failed:
$(tail -8 "$log")"
		return 0
	fi
	# crash's gdb refuses a vmlinux without DWARF (and a task_struct
	# type) even in --minimal: the generator's stand-ins get these.
	mkdir -p "$CR_DIR/stub"
	printf '%s\n' '/* crash'"'"'s gdb needs DWARF and a task_struct type */' \
		'struct task_struct { int pid; };' \
		'struct task_struct sdei_stub_task;' >"$CR_DIR/stub/stub.c"
	if ! aarch64-linux-gnu-gcc -g -gdwarf-4 -O0 -c \
			-o "$CR_DIR/stub/stub.o" "$CR_DIR/stub/stub.c" \
			>"$log" 2>&1 ||
	   ! aarch64-linux-gnu-gcc -nostdlib -shared \
			-o "$CR_DIR/stub/stub.so" "$CR_DIR/stub/stub.o" \
			>>"$log" 2>&1; then
		CR_WHY="cannot build the DWARF stub: $(tail -3 "$log")"
		return 0
	fi
	for s in .debug_aranges .debug_info .debug_abbrev .debug_line \
		 .debug_str; do
		aarch64-linux-gnu-objcopy --dump-section \
			"$s=$CR_DIR/stub/$s.bin" "$CR_DIR/stub/stub.so" \
			/dev/null >>"$log" 2>&1 || {
			CR_WHY="cannot extract $s of the DWARF stub"
			return 0
		}
	done
	CR_STATE=ok
}

# cr_begin NAME: start a test, or count it skipped/failed when the setup
# is not there; returns non-zero in that case
cr_begin()
{
	local name="crash: $1"
	cr_setup
	case "$CR_STATE" in
	ok) t_begin "$name"; return 0 ;;
	skip) t_skip "$name" "$CR_WHY" ;;
	*) t_fail "$name" "cannot set up crash under qemu: $CR_WHY" ;;
	esac
	return 1
}

# cr_standin VMLINUX OUT: the generator's stand-in vmlinux made acceptable
# to crash: the stub's DWARF added when it has none of its own, .text and
# .data given contents (crash wants both; 16 MiB of zeros, so OUT is
# deleted after use)
cr_standin()
{
	local args=() s
	if ! aarch64-linux-gnu-readelf -SW "$1" 2>/dev/null |
			grep -q ' \.debug_info '; then
		for s in .debug_aranges .debug_info .debug_abbrev \
			 .debug_line .debug_str; do
			args+=(--add-section "$s=$CR_DIR/stub/$s.bin")
		done
	fi
	aarch64-linux-gnu-objcopy "${args[@]}" \
		--set-section-flags .text=alloc,load,contents,code,readonly \
		--set-section-flags .data=alloc,load,contents,data \
		"$1" "$2" 2>/dev/null
}

# cr_run OUT VMLINUX DUMP COMMAND...: one crash session (--minimal unless
# CR_MODE is set, e.g. empty for full mode) with the extension loaded;
# COMMANDs one per line. The array CR_OPTS, when set, adds crash options
# (e.g. --machdep phys_offset=...). Sets CR_RC and CR_SECONDS.
cr_run()
{
	local out=$1 vmlinux=$2 dump=$3 start mode=${CR_MODE---minimal}
	shift 3
	printf '%s\n' "extend $CR_SO" "$@" >"$out.cmds"
	start=$(date +%s.%N)
	timeout "${SDEI_CRASH_TIMEOUT:-600}" qemu-aarch64-static \
		-L "$CR_SYSROOT" "$CR_SYSROOT/usr/bin/crash" -s ${mode:+"$mode"} \
		${CR_OPTS[@]+"${CR_OPTS[@]}"} \
		-i "$out.cmds" "$vmlinux" "$dump" </dev/null >"$out" 2>&1
	CR_RC=$?
	# shellcheck disable=SC2034 # read by the test files
	CR_SECONDS=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.1f", $1 - $2 }')
	[ "$CR_RC" -ne 124 ] ||
		t_why "crash did not finish in ${SDEI_CRASH_TIMEOUT:-600} s"
	grep -q 'shared object loaded' "$out" ||
		t_why "crash did not load '$CR_SO': $(grep -m2 -i 'extend\|error' "$out" | tr '\n' ' ')"
}

# cr_vmcoreinfo DUMP KEY: KEY's value in the dump's VMCOREINFO. ELF and
# kdump-compressed files keep it as text near their start (the PT_NOTE
# segment, the sub-header): only the first 16 MiB are searched, as a
# sparse dump of a large machine may be huge.
cr_vmcoreinfo()
{
	head -c 16777216 "$1" 2>/dev/null |
		LC_ALL=C grep -a -m1 -o "$2=[0-9a-fA-Fx-]*" | head -1 | cut -d= -f2
}

# cr_phys_offset DUMP: sets CR_PO to the phys_offset crash 8.0.2 must be
# given (--machdep phys_offset=CR_PO) for a kernel built for 52-bit VAs on
# a CPU that ran 48-bit ones (Linux 6.9+, LPA2: VMCOREINFO VA_BITS=52,
# TCR_EL1_T1SZ=16). Such a kernel keeps PAGE_OFFSET at -(1 << VA_BITS) and
# lowers PHYS_OFFSET to match; crash takes its VA bits from T1SZ and its
# PAGE_OFFSET from them, so its phys_offset must be PHYS_OFFSET +
# 2^VA_BITS - 2^(64 - T1SZ) (mod 2^64): the start of RAM. Otherwise CR_PO
# is empty, CR_PO_WHY says why, and the status is non-zero.
# shellcheck disable=SC2034 # CR_PO and CR_PO_WHY are read by the test files
cr_phys_offset()
{
	local va t1sz po
	CR_PO='' CR_PO_WHY=''
	va=$(cr_vmcoreinfo "$1" 'NUMBER(VA_BITS)')
	t1sz=$(cr_vmcoreinfo "$1" 'NUMBER(TCR_EL1_T1SZ)')
	po=$(cr_vmcoreinfo "$1" 'NUMBER(PHYS_OFFSET)')
	if [ -z "$va" ] || [ -z "$t1sz" ] || [ -z "$po" ]; then
		CR_PO_WHY="VMCOREINFO lacks VA_BITS ('$va'), TCR_EL1_T1SZ ('$t1sz') or PHYS_OFFSET ('$po')"
		return 1
	fi
	if [ "$va" -le $((64 - t1sz)) ] || [ "$va" -gt 52 ]; then
		CR_PO_WHY="VMCOREINFO VA_BITS=$va, TCR_EL1_T1SZ=$t1sz: crash needs no phys_offset"
		return 1
	fi
	CR_PO=$(printf '%#x' $((po + (1 << va) - (1 << (64 - t1sz)))))
}

# cr_json OUT N: the Nth JSON line crash printed (cpustop -j is one line)
cr_json()
{
	grep '^{' "$1" | sed -n "${2:-1}p"
}

# Memory-read failures are worded by the reader (libkdumpfile's or
# crash's readmem): both become "<address> unreadable".
CR_NORM='walk(if type == "string" then
	sub("'"'"'[^'"'"']*'"'"': (?<a>(kernel virtual|physical) address 0x[0-9a-f]+)( \\(physical 0x[0-9a-f]+\\))? is not in the dump"; "\(.a) unreadable") |
	sub("'"'"'[^'"'"']*'"'"': crash cannot read (?<a>(kernel virtual|physical) address 0x[0-9a-f]+)"; "\(.a) unreadable")
	else . end)'

# cr_expect_same CRASH_JSON WHAT: the CLI's -j output (T_JSON) and crash's
# give the same per-CPU verdicts, paths and notes, and the same evidence
cr_expect_same()
{
	local cj=$1 what=$2 a b e
	if [ -z "$cj" ] ||
	   ! printf '%s' "$cj" | jq -e 'has("cpus")' >/dev/null 2>&1; then
		t_why "$what: crash printed no report: ${cj:-nothing}"
		return
	fi
	a=$(printf '%s' "$T_JSON" | jq -c '.cpus | map({cpu, verdict, path, note})' 2>&1)
	b=$(printf '%s' "$cj" | jq -c '.cpus | map({cpu, verdict, path, note})' 2>&1)
	if [ "$a" != "$b" ]; then
		t_why "$what: verdicts differ: check -j $a, cpustop -j $b"
		return
	fi
	a=$(printf '%s' "$T_JSON" | jq -S "$CR_NORM | .cpus" 2>&1)
	b=$(printf '%s' "$cj" | jq -S "$CR_NORM | .cpus" 2>&1)
	if [ "$a" != "$b" ]; then
		t_why "$what: same verdicts, different evidence (< check, > cpustop):"
		while IFS= read -r e; do
			t_why "  $e"
		done < <(diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -12)
	fi
}

# cr_show OUT: crash's output under a failed test
cr_show()
{
	[ ${#T_WHY[@]} -eq 0 ] || {
		echo "    crash output ($1):"
		grep -v '^{' "$1" | t_indent 30
	}
}
