# shellcheck shell=bash
# The extension in Debian's arm64 crash 8.0.2 (under qemu, --minimal) on
# every generated scenario: the generator's stand-in vmlinux, given a tiny
# DWARF so that crash accepts it, serves crash, and cpustop -j must equal
# `check -j --vmlinux` on the same ELF dump. On missing-middle-612, as ELF
# and kdump-compressed: -x ends crash with status 1 (a CPU is missing),
# 64 after a usage error; as a flattened file (crash reads it, the note
# reader does not): status 2 and a JSON error. Scenarios crash itself
# cannot open are skipped; a 52-bit kernel on a 48-bit CPU is opened with
# --machdep phys_offset, as man/sdei-vmcore-crash.1 says (cr_phys_offset).
# shellcheck source=tests/crash/lib.bash
. "$T_ROOT/tests/crash/lib.bash"

# cr_gen NAME FORMAT: generate the scenario into $CR_DIR/scn/NAME/
cr_gen()
{
	local name=$1 fmt=$2 d=$CR_DIR/scn/$1 log
	mkdir -p "$d"
	if ! log=$("$GEN" -o "$d/vmcore.$fmt" -f "$fmt" -k "$d/vmlinux" \
			"$T_ROOT/tests/scenarios/$name.scn" 2>&1 </dev/null); then
		t_why "mkvmcore failed: $(printf '%s' "$log" | head -3)"
		return 1
	fi
	[ -f "$d/vmlinux.g" ] && [ "$d/vmlinux.g" -nt "$d/vmlinux" ] ||
		cr_standin "$d/vmlinux" "$d/vmlinux.g" || {
		t_why "cannot make a crash stand-in of '$d/vmlinux'"
		return 1
	}
}

# Scenarios where the two memory readers differ, so the verdicts must:
# libkdumpfile refusing a dump crash reads (the extension then says more
# than the CLI). Still run: readers that agree make the test pass.
CR_LIBKDUMPFILE_REFUSES="libkdumpfile 0.5.1 refuses this dump's notes, so the CLI reads no memory; crash reads it and the extension judges every CPU"
declare -A CR_KNOWN=(
	[notes-foreign]=$CR_LIBKDUMPFILE_REFUSES
	[notes-foreign-kdump]=$CR_LIBKDUMPFILE_REFUSES
)

cr_scenario()
{
	local name=$1 d=$CR_DIR/scn/$1 out why CR_OPTS=()
	t_begin "crash: scenario $name [elf]"
	cr_gen "$name" elf || { t_end; return; }
	out=$d/crash.out
	# a 52-bit kernel on a 48-bit CPU (pages-64k-va52): crash 8.0.2 reads
	# its linear map only when told where RAM starts (lib.bash)
	if cr_phys_offset "$d/vmcore.elf"; then
		CR_OPTS=(--machdep "phys_offset=$CR_PO")
		T_NAME="$T_NAME (--machdep phys_offset=$CR_PO)"
	fi
	cr_run "$out" "$d/vmlinux.g" "$d/vmcore.elf" "cpustop -j" exit
	# crash 8.0.2's own limits (16 KiB pages, no VMCOREINFO): not ours
	# to judge; it never reached its prompt
	why=$(grep -m1 '^crash: ' "$out")
	if [ -n "$why" ] && [ "$CR_RC" != 0 ] &&
	   ! grep -q 'shared object loaded' "$out"; then
		t_skip "$T_NAME" "crash 8.0.2 cannot open it: ${why#crash: }"
		return
	fi
	t_run "$CLI" "$d/vmcore.elf" --vmlinux "$d/vmlinux"
	cr_expect_same "$(cr_json "$out")" "cpustop -j"
	if [ ${#T_WHY[@]} -gt 0 ] && [ -n "${CR_KNOWN[$name]:-}" ]; then
		t_skip "$T_NAME" "${CR_KNOWN[$name]}"
		return
	fi
	t_end || cr_show "$out"
}

cr_exit_status()
{
	local d=$CR_DIR/scn/missing-middle-612 fmt out
	for fmt in elf kdump; do
		t_begin "crash: cpustop -x exits 1 on missing-middle-612 [$fmt]"
		cr_gen missing-middle-612 "$fmt" || { t_end; continue; }
		out=$d/crash-x.$fmt.out
		cr_run "$out" "$d/vmlinux.g" "$d/vmcore.$fmt" "cpustop -j" \
			"cpustop -x" "eval 0x5d5d"
		t_run "$CLI" "$d/vmcore.$fmt" --vmlinux "$d/vmlinux"
		t_expect_exit 1
		cr_expect_same "$(cr_json "$out")" "cpustop -j"
		[ "$CR_RC" = 1 ] || t_why "cpustop -x: crash exited $CR_RC, want 1"
		! grep -q 23901 "$out" || t_why "cpustop -x did not end crash"
		t_end || cr_show "$out"
	done

	t_begin "crash: cpustop -x exits 64 on a usage error"
	out=$d/crash-x.usage.out
	cr_run "$out" "$d/vmlinux.g" "$d/vmcore.elf" "cpustop -q -x" \
		"eval 0x5d5d"
	[ "$CR_RC" = 64 ] || t_why "cpustop -q -x: crash exited $CR_RC, want 64"
	grep -q 'usage: cpustop' "$out" || t_why "no usage line"
	t_end || cr_show "$out"

	t_begin "crash: cpustop -j -x exits 2 on a flattened dump"
	cr_gen missing-middle-612 flat || { t_end; return; }
	out=$d/crash-x.flat.out
	cr_run "$out" "$d/vmlinux.g" "$d/vmcore.flat" "cpustop -j -x" \
		"eval 0x5d5d"
	[ "$CR_RC" = 2 ] || t_why "cpustop -j -x: crash exited $CR_RC, want 2"
	cr_json "$out" | jq -e '.error | test("flattened")' >/dev/null 2>&1 ||
		t_why "no {\"error\": \"... flattened ...\"} from cpustop -j: $(cr_json "$out")"
	t_end || cr_show "$out"
}

cr_setup
if [ "$CR_STATE" = ok ]; then
	for scn in "$T_ROOT"/tests/scenarios/*.scn; do
		[ -f "$scn" ] || continue
		cr_scenario "$(basename "$scn" .scn)"
		# the stand-ins hold 16 MiB of zeros each: keep the cache small
		rm -f "$CR_DIR/scn/$(basename "$scn" .scn)/vmlinux.g"
	done
	cr_exit_status
	rm -f "$CR_DIR/scn/missing-middle-612/vmlinux.g"
else
	cr_begin "generated scenarios, cpustop -x"
fi
