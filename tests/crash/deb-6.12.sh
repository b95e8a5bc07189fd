# shellcheck shell=bash
# The extension in Debian's arm64 crash 8.0.2 (under qemu, --minimal) on
# the real dump of Debian's own 6.12 kernel (6.12.117+deb12-arm64), with
# the vmlinux of its -dbg package: a 1 GB download, fetched once into
# tests/cache/crash-debs; only the vmlinux (400 MB) is kept, the .deb is
# deleted once it is out.
#
# That kernel is built for 52-bit VAs (LPA2) and ran on a 48-bit CPU:
# VMCOREINFO says VA_BITS=52 and TCR_EL1_T1SZ=16. crash 8.0.2 takes 48 from
# T1SZ but keeps the dump's PHYS_OFFSET, which the kernel lowered to keep
# its 52-bit PAGE_OFFSET, so every linear-map read fails (crash's own rd
# too) until crash is started with --machdep phys_offset=START_OF_RAM
# (man/sdei-vmcore-crash.1). The tests:
#  - with that option: cpustop -j equals `check -j --vmlinux` on the same
#    files, and -x ends crash with status 0;
#  - without it: cpustop says, as a finding, which option to give.
# SDEI_CRASH_FULL=0 skips them, as the full-mode runs (the download, and
# two crash runs of 30-60 s under qemu).
# shellcheck source=tests/crash/lib.bash
. "$T_ROOT/tests/crash/lib.bash"

CR_DEB_PKG=linux-image-6.12.117+deb12-arm64-dbg
CR_DEB_VMLINUX=$CR_DIR/dbg/usr/lib/debug/boot/vmlinux-6.12.117+deb12-arm64
CR_DEB_FETCHED=

# cr_dbg612: the -dbg vmlinux, extracted once (only that file). The
# vmlinux comes early in the package's data.tar.xz: tar stops after it
# (--occurrence), so only a few seconds of the 6.6 GB stream are
# decompressed, and dpkg-deb dies of SIGPIPE (its status is ignored).
cr_dbg612()
{
	local debs=$T_CACHE/crash-debs deb='' f log=$CR_DIR/dbg612.log
	local start tmp member=./usr/lib/debug/boot/${CR_DEB_VMLINUX##*/}
	[ -s "$CR_DEB_VMLINUX" ] && return 0
	start=$(date +%s)
	mkdir -p "$debs" "$CR_DIR/dbg" || return 1
	: >"$log"
	for f in "$debs/${CR_DEB_PKG}"_*_arm64.deb; do
		[ -f "$f" ] && deb=$f
	done
	if [ -z "$deb" ]; then
		(cd "$debs" && apt-get -qq -o APT::Sandbox::User=root \
			download "$CR_DEB_PKG:arm64") >>"$log" 2>&1 </dev/null ||
			return 1
		for f in "$debs/${CR_DEB_PKG}"_*_arm64.deb; do
			[ -f "$f" ] && deb=$f
		done
		[ -n "$deb" ] || { echo "no .deb after apt-get download" >>"$log"; return 1; }
	fi
	tmp=$(mktemp -d "$CR_DIR/dbg612.XXXXXX") || return 1
	dpkg-deb --fsys-tarfile "$deb" 2>/dev/null |
		tar -x -C "$tmp" --occurrence=1 "$member" >>"$log" 2>&1
	if [ "${PIPESTATUS[1]}" != 0 ] || [ ! -s "$tmp/$member" ]; then
		echo "tar found no '$member' in '$deb'" >>"$log"
		rm -rf "$tmp"
		return 1
	fi
	if ! mkdir -p "${CR_DEB_VMLINUX%/*}" ||
	   ! mv -f "$tmp/$member" "$CR_DEB_VMLINUX"; then
		rm -rf "$tmp"
		return 1
	fi
	rm -rf "$tmp"
	rm -f "$deb"
	CR_DEB_FETCHED=$(( $(date +%s) - start ))
}

# cr_deb_begin NAME: cr_begin plus the vmlinux; non-zero when not to go on
cr_deb_begin()
{
	if [ "${SDEI_CRASH_FULL:-1}" = 0 ]; then
		t_skip "crash: 6.12 deb baseline [kdump], $1" "SDEI_CRASH_FULL=0"
		return 1
	fi
	cr_begin "6.12 deb baseline [kdump], $1" || return 1
	if ! cr_dbg612; then
		t_why "cannot fetch $CR_DEB_PKG:arm64 into '$T_CACHE/crash-debs' and extract its vmlinux: $(tail -3 "$CR_DIR/dbg612.log" 2>/dev/null | tr '\n' ' ')"
		t_end
		return 1
	fi
	[ -z "$CR_DEB_FETCHED" ] ||
		T_NAME="$T_NAME (-dbg fetched and vmlinux extracted in ${CR_DEB_FETCHED} s)"
	CR_DEB_FETCHED=
	return 0
}

cr_deb_fixed()
{
	local d out CR_OPTS
	d=$(t_realcores_dir)/vmcore-deb-baseline.kdump
	if ! cr_phys_offset "$d"; then
		t_why "not the dump this test is about: $CR_PO_WHY"
		return
	fi
	CR_OPTS=(--machdep "phys_offset=$CR_PO")
	out=$CR_DIR/deb-6.12.out
	# 0x5d5d = 23901: printed only if cpustop -x did not end crash
	cr_run "$out" "$CR_DEB_VMLINUX" "$d" "cpustop -j" "cpustop -x" \
		"eval 0x5d5d"
	T_NAME="$T_NAME (crash ran ${CR_SECONDS} s under qemu)"
	grep -q "setting phys_offset to: $CR_PO" "$out" ||
		t_why "crash did not take '--machdep phys_offset=$CR_PO'"
	t_run "$CLI" "$d" --vmlinux "$CR_DEB_VMLINUX"
	t_expect_exit 0
	cr_expect_same "$(cr_json "$out")" "cpustop -j"
	[ "$CR_RC" = 0 ] || t_why "cpustop -x: crash exited $CR_RC, want 0"
	! grep -q 23901 "$out" || t_why "cpustop -x did not end crash"
	CR_DEB_OUT=$out
}

# Without the option: crash 8.0.2 cannot read the linear map, every CPU
# reads as unknown, and cpustop must name the option that fixes it.
cr_deb_hint()
{
	local d out cj hint want
	d=$(t_realcores_dir)/vmcore-deb-baseline.kdump
	if ! cr_phys_offset "$d"; then
		t_why "not the dump this test is about: $CR_PO_WHY"
		return
	fi
	out=$CR_DIR/deb-6.12-nofix.out
	cr_run "$out" "$CR_DEB_VMLINUX" "$d" "help -m" "cpustop -j"
	T_NAME="$T_NAME (crash ran ${CR_SECONDS} s under qemu)"
	cj=$(cr_json "$out")
	if ! printf '%s' "$cj" | jq -e 'has("cpus")' >/dev/null 2>&1; then
		t_why "crash printed no report: ${cj:-nothing}"
		CR_DEB_OUT=$out
		return
	fi
	want="--machdep phys_offset=$CR_PO"
	hint=$(printf '%s' "$cj" | jq -r '[.findings[] | select(.key == "crash") | .value] | join(" / ")')
	case "$hint" in
	*"'$want'"*) ;;
	"")
		if printf '%s' "$cj" | jq -e '[.cpus[] | select(.cpu != null) | .verdict] | all(. != "unknown")' >/dev/null; then
			t_why "crash 8.0.2 read this dump without '$want' (no CPU unknown): has crash changed? ($(grep -E '^ *(VA_BITS|phys_offset|page_offset):' "$out" | tr -s ' ' | tr '\n' ';'))"
		else
			t_why "CPUs unknown but no 'crash' finding naming '$want' ($(grep -E '^ *(VA_BITS|CONFIG_ARM64_VA_BITS|phys_offset|page_offset):' "$out" | tr -s ' ' | tr '\n' ';'))"
		fi ;;
	*) t_why "the 'crash' finding does not name '$want': $hint" ;;
	esac
	CR_DEB_OUT=$out
}

CR_DEB_OUT=
if cr_deb_begin "--minimal --machdep phys_offset: cpustop = check --vmlinux"; then
	cr_deb_fixed
	t_end || cr_show "$CR_DEB_OUT"
fi
CR_DEB_OUT=
if cr_deb_begin "--minimal, no --machdep: cpustop names the fix"; then
	cr_deb_hint
	t_end || cr_show "$CR_DEB_OUT"
fi
