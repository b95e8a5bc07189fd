// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms-seed DUMP OUT [N]: a seed for fuzz_kallsyms and fuzz_mem made
 * from a dump's kallsyms tables, cut to the first N symbols (default 400)
 * and packed at MEM_BASE: VMCOREINFO (OSRELEASE, _stext and the moved
 * SYMBOL(kallsyms_*) lines), a NUL, the memory image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdei-vmcore.h"

#define MEM_BASE	0xffff800080000000ull
#define IMG_MAX		(1u << 20)

static uint8_t img[IMG_MAX];
static size_t used;

static int sym(const char *vi, const char *name, uint64_t *ret)
{
	char key[80];

	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	return sdei_vmcoreinfo_number(vi, key, 16, ret) ? 0 : -1;
}

/* Copies len bytes of dump memory at va into the image; its new address. */
static int take(struct sdei_dump *d, uint64_t va, size_t len, uint64_t *at)
{
	struct sdei_error *err;

	used = (used + 7) & ~(size_t)7;
	if (len > IMG_MAX - used)
		return -1;
	err = sdei_dump_read(d, SDEI_KVADDR, va, img + used, len);
	if (err) {
		fprintf(stderr, "kallsyms-seed: %s\n", err->message);
		sdei_error_destroy(err);
		return -1;
	}
	*at = MEM_BASE + used;
	used += len;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t names, tt, ti, offs, rb, stext, a_names, a_tt, a_ti, a_off, a_rb;
	unsigned int n = argc > 3 ? (unsigned int)atoi(argv[3]) : 400, i;
	uint8_t *nb;
	struct sdei_dump *d;
	const char *vi, *rel;
	size_t pos = 0, rlen;
	uint32_t n32;
	FILE *f;

	if (argc < 3 || sdei_dump_open(argv[1], &d))
		return 2;
	vi = sdei_dump_vmcoreinfo(d);
	if (sym(vi, "kallsyms_names", &names) ||
	    sym(vi, "kallsyms_token_table", &tt) ||
	    sym(vi, "kallsyms_token_index", &ti) ||
	    sym(vi, "kallsyms_offsets", &offs) ||
	    sym(vi, "kallsyms_relative_base", &rb) || sym(vi, "_stext", &stext) ||
	    tt <= names || tt - names > IMG_MAX || ti <= tt ||
	    ti - tt > IMG_MAX || !(rel = sdei_vmcoreinfo_get(vi, "OSRELEASE", &rlen)))
		return 1;	/* no kallsyms in this dump: no seed */
	nb = malloc(tt - names);
	if (!nb || sdei_dump_read(d, SDEI_KVADDR, names, nb, tt - names))
		return 1;
	/* the first n names: a length byte (two from v6.1's big names) */
	for (i = 0; i < n && pos < tt - names; i++) {
		size_t l = nb[pos++];

		if (l & 0x80 && pos < tt - names)
			l = (l & 0x7f) | (size_t)nb[pos++] << 7;
		pos += l;
	}
	if (pos > tt - names)
		return 1;
	n = i;
	n32 = n;
	memcpy(img, &n32, 4);	/* kallsyms_num_syms at MEM_BASE */
	used = 8;
	a_names = MEM_BASE + used;
	memcpy(img + used, nb, pos);
	used += pos;
	if (take(d, tt, ti - tt, &a_tt) || take(d, ti, 512, &a_ti) ||
	    take(d, offs, 4 * (size_t)n, &a_off) || take(d, rb, 8, &a_rb))
		return 1;
	f = fopen(argv[2], "wb");
	if (!f)
		return 2;
	fprintf(f, "OSRELEASE=%.*s\nSYMBOL(_stext)=%llx\n"
		"SYMBOL(kallsyms_num_syms)=%llx\nSYMBOL(kallsyms_names)=%llx\n"
		"SYMBOL(kallsyms_token_table)=%llx\n"
		"SYMBOL(kallsyms_token_index)=%llx\n"
		"SYMBOL(kallsyms_offsets)=%llx\n"
		"SYMBOL(kallsyms_relative_base)=%llx\n", (int)rlen, rel,
		(unsigned long long)stext, MEM_BASE, (unsigned long long)a_names,
		(unsigned long long)a_tt, (unsigned long long)a_ti,
		(unsigned long long)a_off, (unsigned long long)a_rb);
	fputc(0, f);
	fwrite(img, 1, used, f);
	free(nb);
	sdei_dump_close(d);
	return fclose(f) ? 2 : 0;
}
