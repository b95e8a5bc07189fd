// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkvmcore - write an arm64 vmcore from a scenario.
 *
 *   mkvmcore -o OUT [-f elf|kdump|flat] [-c zlib|lzo|snappy|zstd|none]
 *            [-s SYSTEM_MAP] [-k VMLINUX] SCENARIO
 *
 * SCENARIO '-' reads standard input. Exit status: 0 written, 1 error
 * (scenario or output), 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mkvmcore -o OUT [-f elf|kdump|flat] "
		"[-c zlib|lzo|snappy|zstd|none]\n"
		"                [-s SYSTEM_MAP] [-k VMLINUX] SCENARIO\n");
}

int main(int argc, char **argv)
{
	const char *out = NULL, *map = NULL, *vmlinux = NULL;
	enum gen_format fmt = GEN_ELF;
	enum gen_compress comp = GEN_ZLIB;
	struct gen *g;
	char err[1024];
	int c, ret = 1;

	while ((c = getopt(argc, argv, "o:f:c:s:k:h")) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "elf")) {
				fmt = GEN_ELF;
			} else if (!strcmp(optarg, "kdump")) {
				fmt = GEN_KDUMP;
			} else if (!strcmp(optarg, "flat")) {
				fmt = GEN_FLAT;
			} else {
				fprintf(stderr, "mkvmcore: unknown format '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'c':
			if (!strcmp(optarg, "zlib")) {
				comp = GEN_ZLIB;
			} else if (!strcmp(optarg, "lzo")) {
				comp = GEN_LZO;
			} else if (!strcmp(optarg, "snappy")) {
				comp = GEN_SNAPPY;
			} else if (!strcmp(optarg, "zstd")) {
				comp = GEN_ZSTD;
			} else if (!strcmp(optarg, "none")) {
				comp = GEN_NONE;
			} else {
				fprintf(stderr,
					"mkvmcore: unknown compression '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 's':
			map = optarg;
			break;
		case 'k':
			vmlinux = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!out || optind != argc - 1) {
		usage(stderr);
		return 2;
	}

	g = gen_create();
	if (!g) {
		fprintf(stderr, "mkvmcore: out of memory\n");
		return 1;
	}
	err[0] = '\0';
	if (gen_run_scenario(g, argv[optind], err, sizeof(err))) {
		fprintf(stderr, "mkvmcore: %s\n", err);
		goto out;
	}
	if (gen_write_dump(g, out, fmt, comp)) {
		fprintf(stderr, "mkvmcore: '%s': cannot write the dump%s\n",
			out, comp == GEN_LZO || comp == GEN_SNAPPY ||
			comp == GEN_ZSTD ? " (is the compression library "
			"installed?)" : "");
		goto out;
	}
	if (map && gen_write_system_map(g, map)) {
		fprintf(stderr, "mkvmcore: '%s': cannot write System.map\n",
			map);
		goto out;
	}
	if (vmlinux && gen_write_vmlinux(g, vmlinux)) {
		fprintf(stderr, "mkvmcore: '%s': cannot write vmlinux\n",
			vmlinux);
		goto out;
	}
	ret = 0;
out:
	gen_destroy(g);
	return ret;
}
