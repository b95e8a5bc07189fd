# shellcheck shell=bash
# vmcore-pnmi-baseline (6.12.117-rcpnmi, pseudo-NMI kernel): every CPU
# answered the plain IPI_CPU_STOP (not the NMI retry), CPU 2 panicked.
# The tool may say "stopped ipi", or "unknown" if it cannot tell IPI from
# pseudo-NMI; "pseudo-nmi" would be a confident wrong verdict.

pnmi_expect()
{
	local c
	rc_expect_nr_notes 4
	rc_expect_note 0 0 EL1 default_idle_call+0x38
	rc_expect_note 1 81 EL0 -
	rc_expect_note 2 145 EL1 __crash_kexec+0x104
	rc_expect_note 3 82 EL1 __arch_clear_user+0x10
	for c in 0 1 3; do
		t_expect_jq "[.cpus[] | select(.cpu == $c)] | length == 1 and
			(.[0] | (.verdict == \"stopped\" and .path == \"ipi\") or
			 (.verdict == \"unknown\" and .path != \"pseudo-nmi\"))" \
			"cpu $c stopped ipi (or unknown, never pseudo-nmi): got $(t_cpu_field $c '{verdict, path}')"
		t_expect_note $c $c
	done
	t_expect_cpu 2 panic
	t_expect_note 2 2
	t_expect_jq '[.cpus[] | select(.path == "pseudo-nmi")] | length == 0' \
		'no CPU claimed stopped by pseudo-NMI'
	# exit 0 exactly when every CPU is accounted for
	if t_jq '[.cpus[] | select(.verdict == "unknown")] | length == 0'; then
		t_expect_exit 0
	else
		t_expect_exit 1
	fi
	rc_expect_serial_gt "$(t_realcores_dir)/serial-pnmi-baseline.log"
}

if rc_begin "6.12 pnmi baseline [elf] --system-map" @vmcore-pnmi-baseline.elf.xz \
	--system-map @System.map-6.12.117-rcpnmi.xz; then
	pnmi_expect
	t_end
fi

if rc_begin "6.12 pnmi baseline [elf] kallsyms" @vmcore-pnmi-baseline.elf.xz; then
	pnmi_expect
	t_end
fi
