/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by report.c and the printers (print-*.c), owned with them.
 */
#ifndef SDEI_PRINT_COMMON_H
#define SDEI_PRINT_COMMON_H

#include "sdei-vmcore.h"

/* report.c: whether @policy (NULL = default) rejects this CPU's verdict */
bool sdei_report_cpu_rejected(const struct sdei_report *report,
			      const struct sdei_cpu_report *cpu,
			      const struct sdei_policy *policy);


/* print-common.c */
/* Counts per verdict, recounted: the printers do not trust a stale count. */
void sdei_print_counts(const struct sdei_report *report,
		       size_t counts[SDEI_NR_VERDICTS]);
/* Length of the valid UTF-8 sequence at @s (1..4), 0 if invalid or NUL. */
size_t sdei_utf8_len(const char *s);
/* Mode ("EL1h") and DAIF letters ("DA-F") of a pstate, for both printers. */
void sdei_print_pstate(uint64_t pstate, char *mode, size_t mode_len,
		       char *daif, size_t daif_len);

#endif /* SDEI_PRINT_COMMON_H */
