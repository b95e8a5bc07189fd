# shellcheck shell=bash
# The extension's ABI: every symbol the .so takes from its host must be
# one crash exports (the others are versioned libc and json-c symbols).
# arm64: against the sysroot's crash 8.0.2; host: against /usr/bin/crash,
# when Debian's crash package is installed (it is what `make install`
# targets). A missing symbol would only show when `extend` loads it.
# shellcheck source=tests/crash/lib.bash
. "$T_ROOT/tests/crash/lib.bash"

# cr_abi SO CRASH: t_why for each symbol SO needs that CRASH lacks
cr_abi()
{
	local so=$1 crash=$2 missing
	missing=$(comm -23 \
		<(nm -D --undefined-only "$so" | awk '$1 == "U" && $2 !~ /@/ { print $2 }' | sort -u) \
		<(nm -D --defined-only "$crash" | awk '{ print $3 }' | sort -u))
	[ -z "$missing" ] ||
		t_why "'$so' needs symbols '$crash' does not export: $(printf '%s' "$missing" | tr '\n' ' ')"
}

if cr_begin "abi: arm64 extension against the sysroot's crash 8.0.2"; then
	cr_abi "$CR_SO" "$CR_SYSROOT/usr/bin/crash"
	t_end
fi

if [ "$CR_STATE" = ok ]; then
	if [ ! -x /usr/bin/crash ] || [ ! -f /usr/include/crash/defs.h ]; then
		t_skip "crash: abi: host extension against /usr/bin/crash" \
			"Debian's crash package is not installed"
	else
		t_begin "crash: abi: host extension against /usr/bin/crash"
		if make -C "$T_ROOT" --no-print-directory \
				build/plugins/host/sdei-vmcore.so \
				>"$CR_DIR/host.log" 2>&1 </dev/null; then
			cr_abi "$T_ROOT/build/plugins/host/sdei-vmcore.so" \
				/usr/bin/crash
		else
			t_why "make build/plugins/host/sdei-vmcore.so failed: $(tail -5 "$CR_DIR/host.log")"
		fi
		t_end
	fi
fi
