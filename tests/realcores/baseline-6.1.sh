# shellcheck shell=bash
# vmcore-baseline (6.1.0-50-cloud-arm64): every CPU answered the crash IPI,
# CPU 2 panicked. Truth: ../shared/realcores/README.md, serial-baseline.log.

baseline61_notes()
{
	rc_expect_nr_notes 4
	rc_expect_note 0 0 EL1 arch_cpu_idle+0x18
	rc_expect_note 1 131 EL0 -
	rc_expect_note 2 209 EL1 __crash_kexec+0x178
	rc_expect_note 3 132 EL1 __arch_clear_user+0x10
}

if rc_begin "6.1 baseline [elf] --system-map" @vmcore-baseline.elf.xz \
	--system-map @System.map-6.1.0-50-cloud-arm64.xz; then
	t_expect_exit 0
	baseline61_notes
	for c in 0 1 3; do
		t_expect_cpu $c stopped ipi
		t_expect_note $c $c
	done
	t_expect_cpu 2 panic
	t_expect_note 2 2
	rc_expect_serial_gt "$(t_realcores_dir)/serial-baseline.log"
	t_end
fi

if rc_begin "6.1 baseline [elf] no symbols" @vmcore-baseline.elf.xz; then
	rc_expect_no_guess
	baseline61_notes
	t_end
fi
