// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers the text, JSON and JUnit printers share. */
#include <string.h>

#include "internal.h"
#include "print-common.h"

/*
 * Strings in the report can come from the dump (OSRELEASE, symbol names
 * from kallsyms): hostile bytes must not make the JSON or XML invalid nor
 * reach a terminal as escape sequences, so every printer checks UTF-8.
 */
size_t sdei_utf8_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return s[0] ? 1 : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void sdei_print_pstate(uint64_t pstate, char *mode, size_t mode_len,
		       char *daif, size_t daif_len)
{
	const char *d;

	sdei_pstate_mode(pstate, mode, mode_len);
	d = sdei_pstate_daif(pstate, daif, daif_len);
	/* the letters alone: the column or the key already says "daif" */
	if (d && !strncmp(d, "daif=", 5))
		memmove(daif, d + 5, strlen(d + 5) + 1);
	else if (d && d != daif)
		snprintf(daif, daif_len, "%s", d);
}

void sdei_print_counts(const struct sdei_report *report,
		       size_t counts[SDEI_NR_VERDICTS])
{
	size_t i;

	memset(counts, 0, SDEI_NR_VERDICTS * sizeof(counts[0]));
	for (i = 0; i < report->nr_cpus; i++) {
		unsigned int v = report->cpus[i].verdict;

		counts[v < SDEI_NR_VERDICTS ? v : SDEI_VERDICT_UNKNOWN]++;
	}
}
