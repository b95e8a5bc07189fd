// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the kallsyms decoder, differential. Input:
 * VMCOREINFO text, a NUL, then memory mapped at MEM_BASE. The lazy table
 * must answer as the full table a non-hot lookup builds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym.h"
#include "fuzz.h"

#define MAX_ADDRS	128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool full_built(const struct sdei_symtab *tab)
{
	return tab->nr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	uint64_t addrs[MAX_ADDRS];
	struct sdei_symtab *tab = NULL;
	struct sdei_error *err;
	struct fake f;
	int n = 0;
	char *vi;

	if (!nul || !(vi = strndup((const char *)data, nul - data)))
		return 0;
	f.mem = nul + 1;
	f.len = size - (size_t)(nul + 1 - data);
	err = sdei_symtab_from_kallsyms(fake_read, &f, vi, &tab);
	if (err) {
		sdei_error_destroy(err);
		free(vi);
		return 0;
	}
	/* kernel addresses found in memory, and some in between */
	for (size_t i = 0; i + 8 <= f.len && n + 2 < MAX_ADDRS - 6; i += 8) {
		uint64_t v;

		memcpy(&v, f.mem + i, 8);
		if (v >> 40 == 0xffff80) {
			addrs[n++] = v;
			addrs[n++] = v + 3;
		}
	}
	for (int i = 0; i < 6; i++)
		addrs[n++] = MEM_BASE + (uint64_t)i * 0x10100;
	compare_lazy_full(tab, addrs, n, full_built);
	sdei_symtab_destroy(tab);
	free(vi);
	return 0;
}
