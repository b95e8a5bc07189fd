// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the System.map parser, differential: the lazy
 * table (hot names, a sparse address index re-read from the file) must
 * answer exactly as the full table that a non-hot lookup builds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sdei-vmcore.h"
#include "fuzz.h"

#define MAX_ADDRS	96

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Addresses worth asking about: each 16-hex-digit run, and its edges. */
static int pick_addrs(const uint8_t *data, size_t size, uint64_t *addrs)
{
	int n = 0;

	for (size_t i = 0; i + 16 <= size && n + 3 < MAX_ADDRS; i++) {
		char h[17], *end;
		uint64_t a;

		memcpy(h, data + i, 16);
		h[16] = '\0';
		a = strtoull(h, &end, 16);
		if (end != h + 16)
			continue;
		addrs[n++] = a;
		addrs[n++] = a - 1;
		addrs[n++] = a + 0x10;
		i += 15;
	}
	addrs[n++] = 0xffff800080010000ull;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char vi[] = "OSRELEASE=6.12.0\nKERNELOFFSET=0\n";
	struct sdei_symtab *tab = NULL;
	struct sdei_error *err;
	uint64_t addrs[MAX_ADDRS];
	char path[64];
	int n, fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err = sdei_symtab_from_system_map(path, vi, &tab);
	if (err) {
		sdei_error_destroy(err);
		goto out;
	}
	n = pick_addrs(data, size, addrs);
	compare_lazy_full(tab, addrs, n, NULL);
	sdei_symtab_destroy(tab);
out:
	close(fd);
	return 0;
}
