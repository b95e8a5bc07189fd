# shellcheck shell=bash
# The extension in Debian's arm64 crash 8.0.2 (under qemu, --minimal: crash
# 8.0.2 cannot fully initialise 6.12) on the real 6.12 pseudo-NMI dump,
# with its DWARF 5 vmlinux: cpustop -j must equal `check -j --vmlinux` on
# the same files (verdicts, paths, notes and evidence), -c must select as
# --cpu does, -x must end crash with status 0 (every CPU accounted for),
# and `help cpustop` must match man/sdei-vmcore-crash.1.
# shellcheck source=tests/crash/lib.bash
. "$T_ROOT/tests/crash/lib.bash"

cr_pnmi()
{
	local dir v d out help man_syn help_syn man_opts help_opts
	dir=$(t_realcores_dir)
	if ! v=$(t_unxz "$dir/vmlinux-6.12.117-rcpnmi.xz") ||
	   ! d=$(t_unxz "$dir/vmcore-pnmi-baseline.elf.xz"); then
		t_why "cannot decompress the 6.12 pnmi vmlinux or dump"
		return
	fi
	out=$CR_DIR/pnmi-6.12.out
	# 0x5d5d = 23901: printed only if cpustop -x did not end crash
	cr_run "$out" "$v" "$d" "help cpustop" "cpustop -j" \
		"cpustop -c 1,3 -j" "cpustop -x" "eval 0x5d5d"
	T_NAME="$T_NAME (crash ran ${CR_SECONDS} s under qemu)"

	t_run "$CLI" "$d" --vmlinux "$v"
	cr_expect_same "$(cr_json "$out" 1)" "cpustop -j"
	t_run "$CLI" "$d" --vmlinux "$v" --cpu 1,3
	cr_expect_same "$(cr_json "$out" 2)" "cpustop -c 1,3 -j"
	# the CLI says exit 0 on this dump; -x must make crash say so too
	t_expect_exit 0
	[ "$CR_RC" = 0 ] || t_why "cpustop -x: crash exited $CR_RC, want 0"
	! grep -q 23901 "$out" || t_why "cpustop -x did not end crash"

	# help cpustop against the man page: synopsis and option letters
	help=$(sed -n '/^NAME$/,/^EXAMPLE$/p' "$out")
	printf '%s\n' "$help" | grep -q '^  cpustop - ' ||
		t_why "help cpustop: no 'NAME / cpustop - ...'"
	help_syn=$(printf '%s\n' "$help" | sed -n '/^SYNOPSIS$/{n;s/^  cpustop //p}')
	man_syn=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH DESC/p' \
		"$T_ROOT/man/sdei-vmcore-crash.1" | grep -A1 'cpustop$' |
		tail -1 | sed 's/\\f[BIRP]//g; s/\\-/-/g')
	if [ -z "$help_syn" ] || [ "$help_syn" != "$man_syn" ]; then
		t_why "help cpustop SYNOPSIS '$help_syn' is not the man page's '$man_syn'"
	fi
	help_opts=$(printf '%s\n' "$help" | sed -n 's/^ *-\([a-z]\)\( .*\)\{0,1\}$/\1/p' |
		sort | tr -d '\n')
	man_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH EXIT/p' \
		"$T_ROOT/man/sdei-vmcore-crash.1" |
		sed -n 's/^\.BI\{0,1\} \\-\([a-z]\).*/\1/p' | sort | tr -d '\n')
	if [ -z "$help_opts" ] || [ "$help_opts" != "$man_opts" ]; then
		t_why "help cpustop options '$help_opts', man page options '$man_opts'"
	fi
	for s in DESCRIPTION EXAMPLE; do
		printf '%s\n' "$help" | grep -qx "$s" ||
			t_why "help cpustop has no $s section"
	done
}

if cr_begin "6.12 pnmi baseline --minimal: cpustop = check --vmlinux"; then
	cr_pnmi
	t_end || cr_show "$CR_DIR/pnmi-6.12.out"
fi
