// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer harness for the System.map parser. */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sdei-vmcore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char vi[] = "OSRELEASE=6.12.0\nKERNELOFFSET=0\n";
	struct sdei_symtab *tab = NULL;
	struct sdei_error *err;
	char path[64];
	uint64_t off, a;
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		err = sdei_symtab_from_system_map(path, vi, &tab);
		if (!err) {
			sdei_symtab_lookup(tab, "crash_notes", &a);
			sdei_symtab_symbolize(tab, 0xffff800080010000ull, &off);
		}
		sdei_error_destroy(err);
		sdei_symtab_destroy(tab);
	}
	close(fd);
	return 0;
}
