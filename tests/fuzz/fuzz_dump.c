// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the dump parsers: the input is a whole dump file
 * (ELF, kdump-compressed or anything else), opened through a memfd and
 * analysed with kallsyms from its own memory. Slow (libkdumpfile opens
 * each input) but it covers the real reading path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sdei-vmcore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sdei_options opts = { .discover_root = "/nonexistent" };
	struct sdei_report *r = NULL;
	struct sdei_dump *d = NULL;
	struct sdei_error *err;
	char path[64];
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	err = sdei_dump_open(path, &d);
	if (!err) {
		err = sdei_check(d, &opts, &r);
		if (!err)
			sdei_report_destroy(r);
		sdei_dump_close(d);
	}
	sdei_error_destroy(err);
out:
	close(fd);
	return 0;
}
