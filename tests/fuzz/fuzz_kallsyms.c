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

#define MEM_BASE	0xffff800080000000ull
#define MAX_ADDRS	128

struct fake_mem {
	const uint8_t *mem;
	size_t len;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sdei_error *fake_read(void *arg, enum sdei_addr_space space,
				    uint64_t addr, void *buf, size_t len)
{
	const struct fake_mem *f = arg;

	if (space != SDEI_KVADDR || addr < MEM_BASE ||
	    addr - MEM_BASE > f->len || len > f->len - (addr - MEM_BASE))
		return sdei_error_fault(addr, "address 0x%llx is not in the dump",
					(unsigned long long)addr);
	memcpy(buf, f->mem + (addr - MEM_BASE), len);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	uint64_t addrs[MAX_ADDRS], offs[MAX_ADDRS], off, a = 0, b = 0;
	const char *lazy[MAX_ADDRS];
	struct sdei_symtab *tab = NULL;
	struct sdei_error *err;
	struct fake_mem f;
	int n = 0;
	bool l1, l2;
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
	for (int i = 0; i < n; i++)
		lazy[i] = sdei_symtab_symbolize(tab, addrs[i], &offs[i]);
	l1 = sdei_symtab_lookup(tab, "crash_notes", &a);
	sdei_symtab_lookup(tab, "zz_not_hot", &b);	/* builds the full table */
	l2 = sdei_symtab_lookup(tab, "crash_notes", &b);
	if (l1 != l2 || (l1 && a != b))
		abort();
	for (int i = 0; tab->nr && i < n; i++) {
		const char *full = sdei_symtab_symbolize(tab, addrs[i], &off);

		if (!lazy[i] != !full ||
		    (full && (strcmp(lazy[i], full) || off != offs[i]))) {
			fprintf(stderr, "0x%llx: lazy %s, full %s\n",
				(unsigned long long)addrs[i],
				lazy[i] ? lazy[i] : "-", full ? full : "-");
			abort();
		}
	}
	sdei_symtab_destroy(tab);
	free(vi);
	return 0;
}
