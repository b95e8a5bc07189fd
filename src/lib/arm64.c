// SPDX-License-Identifier: GPL-2.0-or-later
/* arm64 register facts: PSTATE decoding (Arm ARM, SPSR_EL1 layout). */
#include <stdio.h>

#include "internal.h"

const char *sdei_pstate_mode(uint64_t pstate, char *buf, size_t len)
{
	static const char *const a64[16] = {
		[0x0] = "EL0t", [0x4] = "EL1t", [0x5] = "EL1h",
		[0x8] = "EL2t", [0x9] = "EL2h", [0xc] = "EL3t",
		[0xd] = "EL3h",
	};
	unsigned int m = pstate & 0x1f;

	if (m & 0x10) {
		/* AArch32 modes: only usr32 can be a user task on arm64 */
		switch (m) {
		case 0x10: snprintf(buf, len, "usr32"); break;
		case 0x11: snprintf(buf, len, "fiq32"); break;
		case 0x12: snprintf(buf, len, "irq32"); break;
		case 0x13: snprintf(buf, len, "svc32"); break;
		case 0x17: snprintf(buf, len, "abt32"); break;
		case 0x1b: snprintf(buf, len, "und32"); break;
		case 0x1f: snprintf(buf, len, "sys32"); break;
		default: snprintf(buf, len, "reserved(0x%x)", m); break;
		}
		return buf;
	}
	if (a64[m])
		snprintf(buf, len, "%s", a64[m]);
	else
		snprintf(buf, len, "reserved(0x%x)", m);
	return buf;
}

const char *sdei_pstate_daif(uint64_t pstate, char *buf, size_t len)
{
	snprintf(buf, len, "%c%c%c%c", pstate & (1 << 9) ? 'D' : '-',
		 pstate & (1 << 8) ? 'A' : '-', pstate & (1 << 7) ? 'I' : '-',
		 pstate & (1 << 6) ? 'F' : '-');
	return buf;
}
