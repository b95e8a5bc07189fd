// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the parsers that read dump memory: the kallsyms
 * decoder, the printk reader and the whole per-CPU analysis, over a fake
 * target. Input: VMCOREINFO text, a NUL, then a memory image that starts
 * at MEM_BASE; every other address faults. No libkdumpfile: fast.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	struct sdei_target t = { .read = fake_read, .header_nr_cpus = -1 };
	struct sdei_options opts = { .verbose = true };
	struct sdei_report *r;
	struct sdei_log log;
	struct fake f;
	char *vi;

	if (!nul)
		return 0;
	vi = strndup((const char *)data, nul - data);
	if (!vi)
		return 0;
	f.mem = nul + 1;
	f.len = size - (nul + 1 - data);
	t.arg = &f;
	t.vmcoreinfo = vi;

	sdei_error_destroy(sdei_log_read(fake_read, &f, vi, &log));
	sdei_log_deinit(&log);

	sdei_error_destroy(sdei_symtab_from_kallsyms(fake_read, &f, vi,
						     &t.symtab));
	r = sdei_report_create();
	if (r) {
		sdei_error_destroy(sdei_analyze(&t, &opts, r));
		sdei_report_destroy(r);
	}
	sdei_symtab_destroy(t.symtab);
	free(vi);
	return 0;
}
