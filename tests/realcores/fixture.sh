# shellcheck shell=bash
# fixtures/vmcore-stuck-6.1.elf: the README's demo dump, cut down from
# vmcore-stuck by tests/tools/make-fixture. It is in the tree, so these run
# without ../shared/realcores; with it, the cut must give the full dump's
# answer (else the analysis now reads pages the fixture lacks: rebuild it).

FIX_DUMP=$T_ROOT/fixtures/vmcore-stuck-6.1.elf
FIX_MAP=$T_ROOT/fixtures/System.map-6.1.0-50-cloud-arm64

t_begin "fixture: vmcore-stuck-6.1.elf"
t_run "$CLI" "$FIX_DUMP" --system-map "$FIX_MAP"
t_expect_exit 1
rc_expect_nr_notes 3
rc_expect_note 0 0 EL1 arch_cpu_idle+0x18
rc_expect_note 1 214 EL1 __crash_kexec+0x178
rc_expect_note 2 132 EL0 -
t_expect_cpu 0 stopped ipi
t_expect_cpu 1 panic
t_expect_cpu 2 stopped ipi
t_expect_cpu 3 missing
t_expect_note null 3
t_end

fix_json=$T_JSON
if rc_begin "fixture: same answer as vmcore-stuck.elf" @vmcore-stuck.elf.xz \
	--system-map @System.map-6.1.0-50-cloud-arm64.xz; then
	if ! diff <(printf '%s' "$T_JSON" | jq -S 'del(.dump)' 2>&1) \
		<(printf '%s' "$fix_json" | jq -S 'del(.dump)' 2>&1) >/dev/null; then
		t_why "the fixture's JSON differs from the full dump's: rebuild it (fixtures/README.md)"
	fi
	t_end
fi
unset fix_json
