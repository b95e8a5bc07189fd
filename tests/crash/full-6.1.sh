# shellcheck shell=bash
# The extension in crash's full mode: Debian's arm64 crash 8.0.2 under
# qemu initialises Debian's 6.1 cloud kernel with the vmlinux of its -dbg
# package (a 260 MB download, fetched once into tests/cache; about a
# minute of emulation per dump). On the real 6.1 dumps cpustop -j must
# equal `check -j --vmlinux` on the same files, and -x must end crash
# with the CLI's exit status (0 for baseline, 1 for stuck: CPU 3 missing).
# SDEI_CRASH_FULL=0 skips these (for quick local runs; CI runs them).
# shellcheck source=tests/crash/lib.bash
. "$T_ROOT/tests/crash/lib.bash"

CR_DBG_PKG=linux-image-6.1.0-50-cloud-arm64-dbg
CR_DBG_VMLINUX=$CR_DIR/dbg/usr/lib/debug/boot/vmlinux-6.1.0-50-cloud-arm64

# cr_dbg61: the -dbg vmlinux, extracted once (only that file)
cr_dbg61()
{
	local debs=$T_CACHE/crash-debs deb='' f log=$CR_DIR/dbg.log
	[ -s "$CR_DBG_VMLINUX" ] && return 0
	mkdir -p "$debs" "$CR_DIR/dbg" || return 1
	for f in "$debs/${CR_DBG_PKG}"_*_arm64.deb; do
		[ -f "$f" ] && deb=$f
	done
	if [ -z "$deb" ]; then
		(cd "$debs" && apt-get -qq -o APT::Sandbox::User=root \
			download "$CR_DBG_PKG:arm64") >"$log" 2>&1 </dev/null ||
			return 1
		for f in "$debs/${CR_DBG_PKG}"_*_arm64.deb; do
			[ -f "$f" ] && deb=$f
		done
		[ -n "$deb" ] || return 1
	fi
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$CR_DIR/dbg" --wildcards './usr/lib/debug/boot/vmlinux-*' \
		>>"$log" 2>&1 && [ -s "$CR_DBG_VMLINUX" ]
}

# cr_full NAME DUMP EXIT
cr_full()
{
	local name=$1 dump=$2 want=$3 out
	if [ "${SDEI_CRASH_FULL:-1}" = 0 ]; then
		t_skip "crash: 6.1 $name, full mode" "SDEI_CRASH_FULL=0"
		return
	fi
	cr_begin "6.1 $name, full mode: cpustop = check --vmlinux" || return
	if ! cr_dbg61; then
		t_why "cannot fetch $CR_DBG_PKG:arm64 into '$T_CACHE/crash-debs': $(tail -3 "$CR_DIR/dbg.log" 2>/dev/null)"
		t_end
		return
	fi
	if ! dump=$(t_unxz "$(t_realcores_dir)/$dump"); then
		t_why "cannot decompress '$dump'"
		t_end
		return
	fi
	# crash splits -i FILE at blanks: a plain name
	out=$CR_DIR/full-$(printf '%s' "$name" | tr -c 'A-Za-z0-9' -).out
	CR_MODE='' cr_run "$out" "$CR_DBG_VMLINUX" "$dump" "cpustop -j" \
		"cpustop -x" "eval 0x5d5d"
	T_NAME="$T_NAME (crash ran ${CR_SECONDS} s under qemu)"
	t_run "$CLI" "$dump" --vmlinux "$CR_DBG_VMLINUX"
	t_expect_exit "$want"
	cr_expect_same "$(cr_json "$out")" "cpustop -j"
	[ "$CR_RC" = "$want" ] ||
		t_why "cpustop -x: crash exited $CR_RC, want $want"
	! grep -q 23901 "$out" || t_why "cpustop -x did not end crash"
	t_end || cr_show "$out"
}

cr_full "baseline [elf]" vmcore-baseline.elf.xz 0
cr_full "stuck [elf]" vmcore-stuck.elf.xz 1
cr_full "stuck [kdump]" vmcore-stuck.kdump 1
