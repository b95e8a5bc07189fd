# shellcheck shell=bash
# vmcore-stuck (6.1.0-50-cloud-arm64): CPU 3 spun with interrupts masked
# and never answered the crash IPI; CPU 1 panicked. The same dump in both
# formats. Truth: ../shared/realcores/README.md and serial-stuck.log.
# Sourced by tests/run (lib.sh helpers, $CLI).

stuck_expect()
{
	t_expect_exit 1
	rc_expect_nr_notes 3
	rc_expect_note 0 0 EL1 arch_cpu_idle+0x18
	rc_expect_note 1 214 EL1 __crash_kexec+0x178
	rc_expect_note 2 132 EL0 -
	t_expect_cpu 0 stopped ipi
	t_expect_note 0 0
	t_expect_cpu 1 panic
	t_expect_note 1 1
	t_expect_cpu 2 stopped ipi
	t_expect_note 2 2
	t_expect_cpu 3 missing
	t_expect_note null 3
	rc_expect_serial_gt "$(t_realcores_dir)/serial-stuck.log"
}

for fmt in kdump elf.xz; do
	if rc_begin "6.1 stuck [${fmt%.xz}] --system-map" "@vmcore-stuck.$fmt" \
		--system-map @System.map-6.1.0-50-cloud-arm64.xz; then
		stuck_expect
		t_end
	fi
done

# kallsyms of this kernel hold text symbols only: no per-CPU data, so no
# note can be tied to a CPU. The honest answer is unknown.
if rc_begin "6.1 stuck [kdump] no symbols" @vmcore-stuck.kdump; then
	rc_expect_no_guess
	rc_expect_nr_notes 3
	rc_expect_note 1 214 EL1 -
	t_end
fi

# The two formats of one dump: the same memory, so the same report once the
# dump's own facts are removed (the ELF's kernel-text PT_LOAD must not win
# over the page tables: CPU 0's IRQ stack sits in [_text, _stext)).
stuck_json=
for fmt in kdump elf.xz; do
	if rc_begin "6.1 stuck [${fmt%.xz}] stop frames" "@vmcore-stuck.$fmt" \
		--system-map @System.map-6.1.0-50-cloud-arm64.xz; then
		t_expect_jq '[.cpus[] | select(.cpu == 0 or .cpu == 2) | .evidence[] | select(.key == "stop_frames") | .value | test("^IRQ stack: crash_save_cpu\\+0xa8 <- ipi_handler\\+0x10c <- handle_percpu_devid_irq")] == [true, true]'
		if [ -n "$stuck_json" ]; then
			[ "$(printf '%s' "$T_JSON" | jq -S 'del(.dump)')" = "$stuck_json" ] ||
				t_why "ELF and kdump reports differ"
		fi
		stuck_json=$(printf '%s' "$T_JSON" | jq -S 'del(.dump)')
		t_end
	fi
done
