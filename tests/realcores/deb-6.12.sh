# shellcheck shell=bash
# vmcore-deb-baseline (6.12.117+deb12-arm64, kdump): every CPU answered the
# stop IPI, CPU 2 panicked. KALLSYMS_ALL is on, so the dump alone (kallsyms
# in VMCOREINFO) must give the same answer as the System.map.

deb612_expect()
{
	t_expect_exit 0
	rc_expect_nr_notes 4
	rc_expect_note 0 0 EL1 default_idle_call+0x38
	rc_expect_note 1 180 EL0 -
	rc_expect_note 2 261 EL1 __crash_kexec+0x164
	rc_expect_note 3 181 EL1 __arch_clear_user+0x10
	for c in 0 1 3; do
		t_expect_cpu $c stopped ipi
		t_expect_note $c $c
	done
	t_expect_cpu 2 panic
	t_expect_note 2 2
	rc_expect_serial_gt "$(t_realcores_dir)/serial-deb-baseline.log"
}

if rc_begin "6.12 deb baseline [kdump] --system-map" @vmcore-deb-baseline.kdump \
	--system-map @System.map-6.12.117+deb12-arm64.xz; then
	deb612_expect
	t_end
fi

if rc_begin "6.12 deb baseline [kdump] kallsyms" @vmcore-deb-baseline.kdump; then
	deb612_expect
	t_expect_jq '.dump | tostring | test("kallsyms")' \
		'the report names kallsyms as its symbol source'
	t_end
fi
