// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The arm64 elf_prstatus descriptor (KERNEL.md §2.1). Notes are laid out
 * in 4-byte words, so pr_reg is not 8-byte aligned: decode byte by byte.
 */
#include <string.h>

#include "internal.h"

void sdei_prstatus_decode(const uint8_t *desc, size_t len,
			  struct sdei_prstatus *ret)
{
	size_t i;

	memset(ret, 0, sizeof(*ret));
	ret->index = -1;
	ret->complete = len >= SDEI_PRSTATUS_MIN;
	if (len >= SDEI_PR_PID_OFFSET + 4)
		ret->pid = (int32_t)sdei_le32(desc + SDEI_PR_PID_OFFSET);
	/* A short descriptor still gives the registers it holds. */
	for (i = 0; i < SDEI_NR_REGS; i++) {
		size_t off = SDEI_PR_REG_OFFSET + 8 * i;

		if (off + 8 > len)
			break;
		ret->regs[i] = sdei_le64(desc + off);
	}
}
