// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmcore-extract - cut an arm64 vmcore down to the pages an analysis reads.
 *
 * Writes a small ELF vmcore that holds the original note area byte for byte
 * (PRSTATUS notes and VMCOREINFO unchanged) and, as PT_LOAD segments, only:
 *  - the pages named by trace files ("V <hexaddr> <len>" kernel virtual,
 *    "P <hexaddr> <len>" physical: what the dump reader appends to the file
 *    named by $SDEI_VMCORE_TRACE);
 *  - every page-table page needed to translate those VAs, found by walking
 *    the arm64 tables from swapper_pg_dir ourselves (libkdumpfile 0.5.1
 *    translates the linear map and the kimage through the tables too);
 *  - the page of init_uts_ns (libkdumpfile checks the utsname on open);
 * When the first page of RAM (PHYS_OFFSET) is not kept, a PT_LOAD with
 * p_filesz 0 still names it at PAGE_OFFSET, as makedumpfile writes a
 * filtered range: without it libkdumpfile 0.5.1 translates linear-map VAs
 * by a fallback that leaks (LeakSanitizer then fails the sanitizer run).
 * Each PT_LOAD has p_paddr = PA and p_vaddr = the page's linear-map VA, or
 * its kimage VA for pages of the kernel image, as makedumpfile -E writes
 * them (libkdumpfile's linux setup wants a kimage segment: without one it
 * takes another path, and leaks); runs of pages are merged.
 *
 * The result is checked before exit: every traced range must read back
 * identical through libkdumpfile from both dumps.
 *
 * Build (no Makefile target needed):
 *   cc -std=gnu11 -O2 -Wall -Wextra -o build/vmcore-extract \
 *	tests/tools/vmcore-extract.c -lkdumpfile
 *
 * Use: see fixtures/README.md.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

struct range {
	bool virt;
	uint64_t addr;
	uint64_t len;
};

struct extract {
	kdump_ctx_t *ctx;
	const char *vmcoreinfo;
	unsigned int page_shift;
	uint64_t page_size;
	unsigned int va_bits;
	uint64_t pgd_pa;
	uint64_t phys_offset;
	uint64_t page_offset;
	uint64_t kimage_voffset;
	/* PA range of kernel-image pages (reached through kimage VAs) */
	/* pages reached through a kimage VA (not merely in its PA range:
	 * 6.1's vmalloc can hand out [_text, _stext), so a vmalloc'ed IRQ
	 * stack may sit between image pages) */
	uint64_t *kimg;
	size_t nr_kimg, alloc_kimg;
	/* physical page addresses to keep (unsorted, with duplicates) */
	uint64_t *pages;
	size_t nr_pages, alloc_pages;
	struct range *ranges;
	size_t nr_ranges, alloc_ranges;
	unsigned int nr_unmapped;
};

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("vmcore-extract: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *grow(void *v, size_t *alloc, size_t nr, size_t size)
{
	if (nr < *alloc)
		return v;
	*alloc = *alloc ? *alloc * 2 : 256;
	v = realloc(v, *alloc * size);
	if (!v)
		die("out of memory");
	return v;
}

static void add_page(struct extract *x, uint64_t pa)
{
	x->pages = grow(x->pages, &x->alloc_pages, x->nr_pages,
			sizeof(*x->pages));
	x->pages[x->nr_pages++] = pa & ~(x->page_size - 1);
}

static bool vmcoreinfo_num(const struct extract *x, const char *key,
			   int base, uint64_t *ret)
{
	size_t klen = strlen(key);
	const char *p = x->vmcoreinfo;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			*ret = strtoull(p + klen + 1, NULL, base);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static bool read_phys(struct extract *x, uint64_t pa, void *buf, size_t len)
{
	size_t got = len;

	return kdump_read(x->ctx, KDUMP_KPHYSADDR, pa, buf, &got) == KDUMP_OK &&
	       got == len;
}

/*
 * Translate @va through the tables at swapper_pg_dir, recording every table
 * page on the way. Handles table, block and page descriptors.
 */
static bool walk(struct extract *x, uint64_t va, uint64_t *pa_ret)
{
	unsigned int bits = x->page_shift - 3;
	unsigned int levels = (x->va_bits - 4) / bits;
	uint64_t oa_mask = ((1ULL << 48) - 1) & ~(x->page_size - 1);
	uint64_t table = x->pgd_pa;
	unsigned int level;

	for (level = 4 - levels; level <= 3; level++) {
		unsigned int shift = x->page_shift + (3 - level) * bits;
		unsigned int width = level == 4 - levels ?
			x->va_bits - shift : bits;
		uint64_t idx = (va >> shift) & ((1ULL << width) - 1);
		uint8_t raw[8];
		uint64_t desc = 0, out;
		int i;

		add_page(x, table);
		if (!read_phys(x, table + idx * 8, raw, 8))
			return false;
		for (i = 7; i >= 0; i--)
			desc = desc << 8 | raw[i];
		if (!(desc & 1))
			return false;
		out = desc & oa_mask;
		if (level == 3) {
			if ((desc & 3) != 3)
				return false;
			*pa_ret = out | (va & (x->page_size - 1));
			return true;
		}
		if ((desc & 3) == 1) {	/* block */
			uint64_t bmask = (1ULL << shift) - 1;

			*pa_ret = (out & ~bmask) | (va & bmask);
			return true;
		}
		table = out;
	}
	return false;
}

static void note_kimage(struct extract *x, uint64_t pa)
{
	x->kimg = grow(x->kimg, &x->alloc_kimg, x->nr_kimg, sizeof(*x->kimg));
	x->kimg[x->nr_kimg++] = pa & ~(x->page_size - 1);
}

static uint64_t page_vaddr(const struct extract *x, uint64_t pa)
{
	for (size_t i = 0; i < x->nr_kimg; i++)
		if (x->kimg[i] == pa)
			return pa + x->kimage_voffset;
	return x->page_offset + (pa - x->phys_offset);
}

static void add_range(struct extract *x, bool virt, uint64_t addr,
		      uint64_t len)
{
	uint64_t a, end = addr + (len ? len : 1);

	x->ranges = grow(x->ranges, &x->alloc_ranges, x->nr_ranges,
			 sizeof(*x->ranges));
	x->ranges[x->nr_ranges++] = (struct range){ virt, addr, len };
	for (a = addr & ~(x->page_size - 1); a < end; a += x->page_size) {
		uint64_t pa;

		if (!virt) {
			add_page(x, a);
			continue;
		}
		if (walk(x, a, &pa)) {
			add_page(x, pa);
			if (a - x->kimage_voffset == (pa & ~(x->page_size - 1)))
				note_kimage(x, pa);
		} else
			x->nr_unmapped++;
	}
}

static void read_trace(struct extract *x, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned int n = 0;

	if (!f)
		die("'%s': %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char kind, *end;
		uint64_t addr, len;

		if (line[0] != 'V' && line[0] != 'P')
			continue;
		kind = line[0];
		addr = strtoull(line + 1, &end, 16);
		len = strtoull(end, NULL, 0);
		if (len > (64ULL << 20))
			die("'%s': absurd length in '%s'", path, line);
		add_range(x, kind == 'V', addr, len);
		n++;
	}
	fclose(f);
	if (!n)
		die("'%s': no V/P lines", path);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t l = *(const uint64_t *)a, r = *(const uint64_t *)b;

	return l < r ? -1 : l > r;
}

static void sort_pages(struct extract *x)
{
	size_t i, n = 0;

	qsort(x->pages, x->nr_pages, sizeof(*x->pages), cmp_u64);
	for (i = 0; i < x->nr_pages; i++)
		if (!n || x->pages[n - 1] != x->pages[i])
			x->pages[n++] = x->pages[i];
	x->nr_pages = n;
}

static void pread_all(int fd, void *buf, size_t len, uint64_t off,
		      const char *path)
{
	ssize_t r = pread(fd, buf, len, (off_t)off);

	if (r < 0 || (size_t)r != len)
		die("'%s': cannot read %zu bytes at 0x%" PRIx64, path, len, off);
}

/* The note area of the input, byte for byte: ELF PT_NOTE or kdump's. */
static void *read_notes(const char *path, size_t *len_ret)
{
	int fd = open(path, O_RDONLY);
	unsigned char ident[8];
	uint64_t off = 0, len = 0;
	void *buf;

	if (fd < 0)
		die("'%s': %s", path, strerror(errno));
	pread_all(fd, ident, sizeof(ident), 0, path);
	if (!memcmp(ident, ELFMAG, SELFMAG)) {
		Elf64_Ehdr eh;
		Elf64_Phdr ph;
		int i;

		pread_all(fd, &eh, sizeof(eh), 0, path);
		for (i = 0; i < eh.e_phnum; i++) {
			pread_all(fd, &ph, sizeof(ph),
				  eh.e_phoff + (uint64_t)i * eh.e_phentsize,
				  path);
			if (ph.p_type == PT_NOTE) {
				if (len)
					die("'%s': more than one PT_NOTE", path);
				off = ph.p_offset;
				len = ph.p_filesz;
			}
		}
	} else if (!memcmp(ident, "KDUMP   ", 8)) {
		/* disk_dump_header.block_size, then kdump_sub_header */
		int32_t block_size;
		uint64_t sub[8];

		pread_all(fd, &block_size, 4, 428, path);
		pread_all(fd, sub, sizeof(sub), (uint64_t)block_size, path);
		off = sub[6];	/* offset_note */
		len = sub[7];	/* size_note */
	} else {
		die("'%s': neither ELF nor kdump-compressed", path);
	}
	if (!len || len > (16U << 20))
		die("'%s': no usable note area", path);
	buf = malloc(len);
	if (!buf)
		die("out of memory");
	pread_all(fd, buf, len, off, path);
	close(fd);
	*len_ret = len;
	return buf;
}

static kdump_ctx_t *open_dump(const char *path)
{
	kdump_ctx_t *ctx = kdump_new();
	int fd = open(path, O_RDONLY);

	if (!ctx)
		die("out of memory");
	if (fd < 0)
		die("'%s': %s", path, strerror(errno));
	if (kdump_open_fd(ctx, fd) != KDUMP_OK)
		die("'%s': %s", path, kdump_get_err(ctx));
	if (kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux") != KDUMP_OK)
		die("'%s': %s", path, kdump_get_err(ctx));
	return ctx;
}

static void write_all(FILE *f, const void *buf, size_t len, const char *path)
{
	if (fwrite(buf, 1, len, f) != len)
		die("'%s': write failed", path);
}

static size_t write_elf(struct extract *x, const char *out,
			const void *notes, size_t notes_len)
{
	Elf64_Phdr *ph;
	Elf64_Ehdr eh;
	size_t i, nr_loads = 0, nph;
	uint64_t data_off, off;
	unsigned char *page;
	FILE *f;

	/* Runs of physically contiguous pages become one PT_LOAD. */
	ph = calloc(x->nr_pages + 2, sizeof(*ph));
	page = malloc(x->page_size);
	if (!ph || !page)
		die("out of memory");
	if (!x->nr_pages || x->pages[0] != x->phys_offset) {
		/* start of RAM, filtered out: memory size only */
		ph[++nr_loads] = (Elf64_Phdr){
			.p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
			.p_paddr = x->phys_offset, .p_vaddr = x->page_offset,
			.p_memsz = x->page_size,
		};
	}
	for (i = 0; i < x->nr_pages; i++) {
		Elf64_Phdr *last = &ph[nr_loads];
		uint64_t va = page_vaddr(x, x->pages[i]);

		if (nr_loads &&
		    last->p_paddr + last->p_filesz == x->pages[i] &&
		    last->p_vaddr + last->p_filesz == va) {
			last->p_filesz += x->page_size;
			last->p_memsz += x->page_size;
			continue;
		}
		last = &ph[++nr_loads];
		last->p_type = PT_LOAD;
		last->p_flags = PF_R | PF_W | PF_X;
		last->p_paddr = x->pages[i];
		last->p_vaddr = va;
		last->p_filesz = last->p_memsz = x->page_size;
	}
	nph = nr_loads + 1;
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = sizeof(eh) + nph * sizeof(*ph);
	ph[0].p_filesz = ph[0].p_memsz = notes_len;
	data_off = (ph[0].p_offset + notes_len + x->page_size - 1) &
		   ~(x->page_size - 1);
	for (i = 1, off = data_off; i < nph; i++) {
		ph[i].p_offset = off;
		off += ph[i].p_filesz;
	}

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(*ph);
	if (nph >= PN_XNUM)
		die("too many segments (%zu)", nph);
	eh.e_phnum = (Elf64_Half)nph;

	f = fopen(out, "wb");
	if (!f)
		die("'%s': %s", out, strerror(errno));
	write_all(f, &eh, sizeof(eh), out);
	write_all(f, ph, nph * sizeof(*ph), out);
	write_all(f, notes, notes_len, out);
	memset(page, 0, x->page_size);
	write_all(f, page, data_off - ph[0].p_offset - notes_len, out);
	for (i = 0; i < x->nr_pages; i++) {
		if (!read_phys(x, x->pages[i], page, x->page_size))
			die("page 0x%" PRIx64 " is not in the dump", x->pages[i]);
		write_all(f, page, x->page_size, out);
	}
	if (fclose(f))
		die("'%s': %s", out, strerror(errno));
	free(page);
	free(ph);
	return nr_loads;
}

/* One physical chunk must read back the same from the cut-down dump. */
static bool same_phys(struct extract *x, kdump_ctx_t *small, uint64_t pa,
		      size_t len, const char **why)
{
	size_t l1 = len, l2 = len;
	void *a = malloc(len + 1), *b = malloc(len + 1);
	kdump_status s1, s2;
	bool same;

	if (!a || !b)
		die("out of memory");
	s1 = kdump_read(x->ctx, KDUMP_KPHYSADDR, pa, a, &l1);
	s2 = kdump_read(small, KDUMP_KPHYSADDR, pa, b, &l2);
	same = s1 != KDUMP_OK ||
	       (s2 == KDUMP_OK && l1 == l2 && !memcmp(a, b, l1));
	*why = s2 == KDUMP_OK ? "contents" : kdump_get_err(small);
	free(a);
	free(b);
	return same;
}

/*
 * Every traced range must read back the same from the cut-down dump.
 * Virtual ranges are compared at the physical pages the page tables name
 * (as the analysis translates them): libkdumpfile's ELF p_vaddr shortcut
 * would compare the wrong page where vmalloc reused [_text, _stext).
 */
static unsigned int verify(struct extract *x, const char *out)
{
	kdump_ctx_t *small = open_dump(out);
	unsigned int bad = 0;
	const char *why;
	size_t i;

	for (i = 0; i < x->nr_ranges; i++) {
		const struct range *r = &x->ranges[i];
		uint64_t a = r->addr, end = r->addr + r->len;

		while (a < end) {
			uint64_t next = (a | (x->page_size - 1)) + 1, pa = a;

			if (next > end)
				next = end;
			if ((!r->virt || walk(x, a, &pa)) &&
			    !same_phys(x, small, pa, (size_t)(next - a), &why)) {
				fprintf(stderr, "vmcore-extract: %c 0x%" PRIx64
					" %" PRIu64 " differs: %s\n",
					r->virt ? 'V' : 'P', r->addr, r->len,
					why);
				bad++;
				break;
			}
			a = next;
		}
	}
	kdump_free(small);
	return bad;
}

static void usage(void)
{
	fputs("usage: vmcore-extract -o OUT [-t TRACE]... [-V HEXVA[:LEN]]... "
	      "[-P HEXPA[:LEN]]... DUMP\n", stderr);
	exit(64);
}

static void add_arg_range(struct extract *x, bool virt, const char *arg)
{
	char *end;
	uint64_t addr = strtoull(arg, &end, 16), len = 1;

	if (*end == ':')
		len = strtoull(end + 1, NULL, 0);
	add_range(x, virt, addr, len);
}

int main(int argc, char **argv)
{
	struct extract x = { 0 };
	const char *out = NULL, *in;
	char *traces[64], *vas[64], *pas[64];
	int nt = 0, nv = 0, np = 0, opt, i;
	uint64_t sym, voff, t1sz, va_bits, pgsz, n;
	size_t notes_len, loads;
	void *notes;
	char *vmcoreinfo;

	while ((opt = getopt(argc, argv, "o:t:V:P:h")) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 't': if (nt < 64) traces[nt++] = optarg; break;
		case 'V': if (nv < 64) vas[nv++] = optarg; break;
		case 'P': if (np < 64) pas[np++] = optarg; break;
		default: usage();
		}
	}
	if (!out || optind != argc - 1)
		usage();
	in = argv[optind];

	notes = read_notes(in, &notes_len);
	x.ctx = open_dump(in);
	if (kdump_vmcoreinfo_raw(x.ctx, &vmcoreinfo) != KDUMP_OK)
		die("'%s': no VMCOREINFO: %s", in, kdump_get_err(x.ctx));
	x.vmcoreinfo = vmcoreinfo;
	if (!vmcoreinfo_num(&x, "PAGESIZE", 10, &pgsz) ||
	    (pgsz != 4096 && pgsz != 16384 && pgsz != 65536))
		die("'%s': no usable PAGESIZE", in);
	x.page_size = pgsz;
	x.page_shift = (unsigned int)__builtin_ctzll(pgsz);
	if (vmcoreinfo_num(&x, "NUMBER(TCR_EL1_T1SZ)", 0, &t1sz))
		va_bits = 64 - t1sz;	/* what the MMU really ran with */
	else if (!vmcoreinfo_num(&x, "NUMBER(VA_BITS)", 10, &va_bits))
		die("'%s': no VA_BITS", in);
	if (va_bits < 36 || va_bits > 48)
		die("'%s': %" PRIu64 "-bit VA is not supported", in, va_bits);
	x.va_bits = (unsigned int)va_bits;
	if (!vmcoreinfo_num(&x, "SYMBOL(swapper_pg_dir)", 16, &sym) ||
	    !vmcoreinfo_num(&x, "NUMBER(kimage_voffset)", 0, &voff) ||
	    !vmcoreinfo_num(&x, "NUMBER(PHYS_OFFSET)", 0, &x.phys_offset))
		die("'%s': VMCOREINFO lacks swapper_pg_dir, kimage_voffset "
		    "or PHYS_OFFSET", in);
	x.pgd_pa = sym - voff;
	x.kimage_voffset = voff;
	note_kimage(&x, x.pgd_pa);
	x.page_offset = -(1ULL << x.va_bits);

	for (i = 0; i < nt; i++)
		read_trace(&x, traces[i]);
	for (i = 0; i < nv; i++)
		add_arg_range(&x, true, vas[i]);
	for (i = 0; i < np; i++)
		add_arg_range(&x, false, pas[i]);
	if (vmcoreinfo_num(&x, "SYMBOL(init_uts_ns)", 16, &sym))
		add_range(&x, true, sym, 390 + 8);
	add_page(&x, x.pgd_pa);
	sort_pages(&x);

	loads = write_elf(&x, out, notes, notes_len);
	n = verify(&x, out);
	fprintf(stderr, "vmcore-extract: '%s': %zu pages in %zu PT_LOADs, "
		"%zu-byte note area, %zu ranges (%u unmapped pages skipped)\n",
		out, x.nr_pages, loads, notes_len, x.nr_ranges, x.nr_unmapped);
	if (n)
		die("%" PRIu64 " ranges read back differently", n);
	kdump_free(x.ctx);
	free(vmcoreinfo);
	free(notes);
	free(x.pages);
	free(x.ranges);
	return 0;
}
