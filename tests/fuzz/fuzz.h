/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the libFuzzer harnesses: the fake dump memory that the
 * memory-reading harnesses map at MEM_BASE, and the differential check of
 * a lazy symbol table against the full one.
 */
#ifndef SDEI_FUZZ_H
#define SDEI_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdei-vmcore.h"

#define MEM_BASE	0xffff800080000000ull

struct fake {
	const uint8_t *mem;
	size_t len;
};

static inline struct sdei_error *fake_read(void *arg,
					   enum sdei_addr_space space,
					   uint64_t addr, void *buf,
					   size_t len)
{
	struct fake *f = arg;

	if (space != SDEI_KVADDR || addr < MEM_BASE ||
	    addr - MEM_BASE > f->len || len > f->len - (addr - MEM_BASE))
		return sdei_error_fault(addr, "address 0x%llx is not in the dump",
					(unsigned long long)addr);
	memcpy(buf, f->mem + (addr - MEM_BASE), len);
	return NULL;
}

/*
 * Symbolizes @n addresses with the lazy table, has a non-hot lookup
 * build the full table, and aborts where the two answer differently.
 * @full_built says whether the table then holds the full symbols.
 */
static inline void compare_lazy_full(struct sdei_symtab *tab,
				     const uint64_t *addrs, int n,
				     bool (*full_built)(const struct sdei_symtab *))
{
	const char *lazy[128], *full;
	uint64_t offs[128], off, a = 0, b = 0;
	bool l1, l2;

	if (n > 128)
		n = 128;
	for (int i = 0; i < n; i++)
		lazy[i] = sdei_symtab_symbolize(tab, addrs[i], &offs[i]);
	l1 = sdei_symtab_lookup(tab, "crash_notes", &a);
	sdei_symtab_lookup(tab, "zz_not_hot", &b);	/* builds the full table */
	l2 = sdei_symtab_lookup(tab, "crash_notes", &b);
	if (l1 != l2 || (l1 && a != b))
		abort();
	if (full_built && !full_built(tab))
		return;
	for (int i = 0; i < n; i++) {
		full = sdei_symtab_symbolize(tab, addrs[i], &off);
		if (!lazy[i] != !full ||
		    (full && (strcmp(lazy[i], full) || off != offs[i]))) {
			fprintf(stderr, "0x%llx: lazy %s, full %s\n",
				(unsigned long long)addrs[i],
				lazy[i] ? lazy[i] : "-", full ? full : "-");
			abort();
		}
	}
}

#endif /* SDEI_FUZZ_H */
