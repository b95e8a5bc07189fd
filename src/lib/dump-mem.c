// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dump memory through libkdumpfile: sdei_dump_open() is the notes-only
 * open of dump.c plus this. Kept apart so that the crash extension, which
 * reads memory through crash, links dump.c without libkdumpfile.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libkdumpfile/addrxlat.h>
#include <libkdumpfile/kdumpfile.h>

#include "dump.h"

#define SDEI_VMCORE_TRACE_ENV	"SDEI_VMCORE_TRACE"

static struct sdei_error *set_mem_error(struct sdei_dump *dump,
					const char *what, const char *why)
{
	if (asprintf(&dump->mem_error, "%s: %s", what,
		     why ? why : "unknown error") < 0) {
		dump->mem_error = NULL;
		return &sdei_error_nomem;
	}
	return NULL;
}

/*
 * VMCOREINFO text that crashes libkdumpfile 0.5.1 (both found by fuzzing):
 *  - a key that starts with '.': it becomes an attribute path with an
 *    empty first component ("lines..x");
 *  - a PAGESIZE it can parse that is not a sane page size: it checks only
 *    for a power of two, which 0 is, so "PAGESIZE=" (or "PAGESIZE" alone
 *    on its line) gives page_shift -1; a huge power of two sizes caches.
 * It splits the raw text at '\n' and '=' and reads values as C strings,
 * which is what this does too.
 */
static bool vmcoreinfo_text_unsafe(const uint8_t *text, size_t len,
				   char *why, size_t why_len)
{
	const uint8_t *p = text, *end = text + len;

	while (p < end) {
		const uint8_t *endl = memchr(p, '\n', (size_t)(end - p));
		const uint8_t *eq;
		char val[32], *stop;
		unsigned long n;
		size_t kl, vl;

		if (!endl)
			endl = end;
		eq = memchr(p, '=', (size_t)(endl - p));
		kl = (size_t)((eq ? eq : endl) - p);
		if (kl && p[0] == '.') {
			vl = strnlen((const char *)p, kl);
			snprintf(why, why_len, "VMCOREINFO has a key starting with '.' ('%.*s'), which libkdumpfile " KDUMPFILE_VERSION_STRING " cannot handle",
				 (int)(vl < 32 ? vl : 32), (const char *)p);
			return true;
		}
		if (kl >= 8 && !memcmp(p, "PAGESIZE", 8) &&
		    (kl == 8 || !p[8])) {
			const uint8_t *v = eq ? eq + 1 : endl;

			vl = strnlen((const char *)v, (size_t)(endl - v));
			if (vl >= sizeof(val))
				vl = sizeof(val) - 1;
			memcpy(val, v, vl);
			val[vl] = '\0';
			n = strtoul(val, &stop, 10);
			if (!*stop && (n < 1024 || n > (1ul << 20) ||
				       (n & (n - 1)))) {
				snprintf(why, why_len, "VMCOREINFO has PAGESIZE=%s, which libkdumpfile " KDUMPFILE_VERSION_STRING " cannot handle",
					 val);
				return true;
			}
		}
		p = endl + 1;
	}
	return false;
}

/* Whether libkdumpfile can be given this dump's VMCOREINFO texts. */
static void vmcoreinfo_unsafe(struct sdei_dump *dump, char *why,
			      size_t why_len)
{
	size_t i;

	for (i = 0; i < dump->nr_notes; i++) {
		const struct sdei_note *n = &dump->notes[i];

		if (!strncmp(n->name, "VMCOREINFO", 10) &&
		    vmcoreinfo_text_unsafe(n->desc, n->descsz, why,
					   why_len))
			return;
	}
	/* the kdump reader also parses the sub-header's copy */
	if (dump->format == SDEI_FORMAT_KDUMP && dump->kdump_vmcoreinfo)
		vmcoreinfo_text_unsafe(dump->kdump_vmcoreinfo,
				       dump->kdump_vmcoreinfo_size, why,
				       why_len);
}

static void free_kdump_ctx(struct sdei_dump *dump);

/*
 * Failures here do not fail the open: the notes were read already, and a
 * notes-only analysis is still worth having. sdei_dump_read() then says
 * why memory cannot be read.
 */
static struct sdei_error *open_memory(struct sdei_dump *dump)
{
	kdump_ctx_t *ctx;
	kdump_status st;
	kdump_num_t num;
	uint64_t ps;
	char why[128] = "";
	struct sdei_error *err;

	vmcoreinfo_unsafe(dump, why, sizeof(why));
	if (*why)
		return set_mem_error(dump, "memory is not read", why);

	ctx = kdump_new();
	if (!ctx)
		return &sdei_error_nomem;
	st = kdump_open_fd(ctx, dump->fd);
	if (st != KDUMP_OK) {
		err = set_mem_error(dump, "libkdumpfile cannot open the dump",
				    kdump_get_err(ctx));
		/*
		 * A kdump-compressed open that failed late (its notes, e.g.
		 * "Cannot process arch notes") leaves the same half-built
		 * state that makes kdump_free() crash (notes-foreign.scn):
		 * park it as free_kdump_ctx() does.
		 */
		dump->kctx = ctx;
		free_kdump_ctx(dump);
		dump->kctx = NULL;
		return err;
	}
	dump->kctx = ctx;

	if (kdump_get_number_attr(ctx, "arch.page_size", &num) == KDUMP_OK &&
	    num && !(num & (num - 1)))
		dump->page_size = num;
	else if (sdei_vmcoreinfo_number(dump->vmcoreinfo, "PAGESIZE", 10,
					&ps) && ps && !(ps & (ps - 1)))
		dump->page_size = ps;
	else
		dump->page_size = 4096;

	/*
	 * 0.5.1 sets no OS type for ELF or diskdump files, and without it
	 * nothing translates (ECOSYSTEM.md §1). Setting it also reads and
	 * checks init_uts_ns, so it fails without VMCOREINFO.
	 */
	st = kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux");
	if (st != KDUMP_OK)
		return set_mem_error(dump,
				     "libkdumpfile cannot set up Linux address translation",
				     kdump_get_err(ctx));
	return NULL;
}

static const char *space_name(enum sdei_addr_space space)
{
	return space == SDEI_KVADDR ? "kernel virtual address" :
		"physical address";
}

/* The PT_LOAD whose file-backed part holds the byte at addr, or NULL. */
static const struct sdei_load *elf_load_at(const struct sdei_dump *dump,
					   bool virt, uint64_t addr)
{
	size_t i;

	for (i = 0; i < dump->nr_loads; i++) {
		const struct sdei_load *l = &dump->loads[i];
		uint64_t start = virt ? l->vaddr : l->paddr;

		if (addr >= start && addr - start < l->filesz)
			return l;
	}
	return NULL;
}

/* Whether every byte of [addr, addr + len) is file-backed (physical). */
static bool elf_phys_present(const struct sdei_dump *dump, uint64_t addr,
			     uint64_t len)
{
	while (len) {
		const struct sdei_load *l = elf_load_at(dump, false, addr);
		uint64_t n;

		if (!l)
			return false;
		n = l->paddr + l->filesz - addr;
		if (n >= len)
			return true;
		addr += n;
		len -= n;
	}
	return true;
}

/*
 * The physical address of a kernel virtual address, as the CPU saw it:
 * through the dump's page tables first. A PT_LOAD's p_vaddr is only a
 * fallback: makedumpfile's kernel-text PT_LOAD claims all of
 * [_text, _end) linearly, yet 6.1's vmalloc hands out [_text, _stext) —
 * vmcore-stuck's CPU 0 IRQ stack lives there — so p_vaddr can name the
 * wrong page, and the kdump-compressed copy of the same dump (which has
 * only the page tables) would disagree.
 */
static struct sdei_error *kv_to_phys(struct sdei_dump *dump,
					 uint64_t va, uint64_t *pa)
{
	const struct sdei_load *l;
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *axsys;
	addrxlat_fulladdr_t fa;
	addrxlat_status as = ADDRXLAT_ERR_NOTIMPL;
	struct sdei_error *err = NULL;

	if (kdump_get_addrxlat(dump->kctx, &axctx, &axsys) != KDUMP_OK)
		goto fallback;
	fa.addr = va;
	fa.as = ADDRXLAT_KVADDR;
	as = addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, axctx, axsys);
	if (as == ADDRXLAT_OK)
		*pa = fa.addr;
	else
		err = sdei_error_fault(va,
				       "'%s': cannot translate kernel virtual address 0x%" PRIx64 ": %s",
				       dump->path, va,
				       addrxlat_ctx_get_err(axctx));
	addrxlat_ctx_decref(axctx);
	addrxlat_sys_decref(axsys);
	if (as == ADDRXLAT_OK)
		return NULL;
fallback:
	l = elf_load_at(dump, true, va);
	if (l && l->paddr != UINT64_MAX) {
		sdei_error_destroy(err);
		*pa = l->paddr + (va - l->vaddr);
		return NULL;
	}
	if (!err)
		err = sdei_error_fault(va,
				       "'%s': cannot translate kernel virtual address 0x%" PRIx64 ": %s",
				       dump->path, va,
				       kdump_get_err(dump->kctx));
	return err;
}

/*
 * One kdump_read(): of @pa (physical) for ELF, of @addr in @space for
 * kdump-compressed files. Messages name the address the caller asked for.
 */
static struct sdei_error *kd_read(struct sdei_dump *dump,
				  enum sdei_addr_space space, uint64_t addr,
				  uint64_t pa, void *buf, size_t len)
{
	bool elf = dump->format == SDEI_FORMAT_ELF;
	size_t got = len;
	kdump_status st;
	char phys[48] = "";

	if (elf)
		st = kdump_read(dump->kctx, KDUMP_KPHYSADDR, pa, buf, &got);
	else
		st = kdump_read(dump->kctx, space == SDEI_KVADDR ?
				KDUMP_KVADDR : KDUMP_KPHYSADDR, addr, buf,
				&got);
	if (st == KDUMP_OK && got == len)
		return NULL;
	if (elf && space == SDEI_KVADDR)
		snprintf(phys, sizeof(phys), " (physical 0x%" PRIx64 ")",
			 pa + got);
	if (st == KDUMP_ERR_NODATA)
		/* an excluded page: say it as the ELF reader does */
		return sdei_error_fault(addr + got,
					"'%s': %s 0x%" PRIx64 " is not in the dump",
					dump->path, space_name(space),
					addr + got);
	if (st == KDUMP_OK)
		return sdei_error_fault(addr + got,
					"'%s': short read at %s 0x%" PRIx64 "%s: %zu of %zu bytes",
					dump->path, space_name(space),
					addr + got, phys, got, len);
	return sdei_error_fault(addr + got,
				"'%s': cannot read %s 0x%" PRIx64 "%s: %s",
				dump->path, space_name(space), addr + got, phys,
				kdump_get_err(dump->kctx));
}

/*
 * libkdumpfile 0.5.1's ELF reader reads zeros, with success, for memory
 * the file does not hold: whatever no PT_LOAD holds when a PT_LOAD starts
 * less than a page above the address (its find_closest_*load() lookups),
 * and p_memsz beyond p_filesz (makedumpfile -E's filtered pages) for
 * KVADDR reads. It also sorts its p_vaddr table by physical address
 * (seg_virt_cmp()), so a KVADDR lookup can pick the wrong segment. So for
 * ELF we translate virtual addresses ourselves (page tables first),
 * check that every byte is file-backed, and read physical memory page by
 * page. The kdump-compressed reader checks its bitmap ("Excluded page")
 * and is used as it is.
 */
static struct sdei_error *elf_read(struct sdei_dump *dump,
				   enum sdei_addr_space space, uint64_t addr,
				   uint8_t *buf, size_t len)
{
	struct sdei_error *err;
	uint64_t pos = addr, end = addr + len;

	while (pos < end) {
		uint64_t chunk_end = (pos | (dump->page_size - 1)) + 1;
		uint64_t pa = pos;
		size_t n;

		if (chunk_end > end || !chunk_end)
			chunk_end = end;
		n = (size_t)(chunk_end - pos);
		if (space == SDEI_KVADDR) {
			err = kv_to_phys(dump, pos, &pa);
			if (err)
				return err;
		}
		if (pa + n < pa || !elf_phys_present(dump, pa, n)) {
			if (space == SDEI_KVADDR)
				return sdei_error_fault(pos,
							"'%s': kernel virtual address 0x%" PRIx64 " is not in the dump",
							dump->path, pos);
			return sdei_error_fault(pos,
						"'%s': physical address 0x%" PRIx64 " is not in the dump",
						dump->path, pos);
		}
		err = kd_read(dump, space, pos, pa, buf + (pos - addr), n);
		if (err)
			return err;
		pos = chunk_end;
	}
	return NULL;
}

static void trace_read(struct sdei_dump *dump, enum sdei_addr_space space,
		       uint64_t addr, size_t len)
{
	char line[64];
	int n;

	n = snprintf(line, sizeof(line), "%c 0x%" PRIx64 " %zu\n",
		     space == SDEI_KVADDR ? 'V' : 'P', addr, len);
	/* One write() per line: O_APPEND keeps lines whole. */
	if (n > 0 && write(dump->trace_fd, line, (size_t)n) < 0) {
		/* tracing is best effort; a read must not fail for it */
	}
}

struct sdei_error *sdei_dump_read(struct sdei_dump *dump,
				  enum sdei_addr_space space, uint64_t addr,
				  void *buf, size_t len)
{
	struct sdei_error *err;

	if (!len)
		return NULL;
	if (space != SDEI_KVADDR && space != SDEI_KPHYSADDR)
		return sdei_error_create(SDEI_ERROR_INVALID,
					 "bad address space %d", (int)space);
	if (!dump->kctx || dump->mem_error)
		return sdei_error_fault(addr,
					"'%s': cannot read %s 0x%" PRIx64 ": %s",
					dump->path, space_name(space), addr,
					dump->mem_error ? dump->mem_error :
					"no memory reader");
	if (addr + len - 1 < addr)
		return sdei_error_fault(addr,
					"'%s': %s range 0x%" PRIx64 " + %zu wraps around",
					dump->path, space_name(space), addr,
					len);
	if (dump->format == SDEI_FORMAT_ELF)
		err = elf_read(dump, space, addr, buf, len);
	else
		err = kd_read(dump, space, addr, addr, buf, len);
	if (err) {
		/* all or nothing: no partial data leaks out */
		memset(buf, 0, len);
		return err;
	}
	if (dump->trace_fd >= 0)
		trace_read(dump, space, addr, len);
	return NULL;
}

/*
 * libkdumpfile before 0.5.2 runs the diskdump format's attribute cleanup
 * hook after it has freed the attributes (upstream issue #72, fixed by
 * commit 97c716a "Run attribute cleanup hooks before deallocating
 * attributes"), so kdump_free() of every successfully opened
 * kdump-compressed file reads and writes freed memory: valgrind reports
 * two invalid 8-byte reads and two invalid 8-byte writes, on the real
 * dumps as on a bare open + free. ELF contexts are freed cleanly, and so
 * are contexts whose open failed (checked with valgrind on "Unknown file
 * format", "No content found" and "Wrong PRSTATUS size"): the failed-open
 * case that was suspected needs no special care.
 *
 * So a kdump-compressed context is not freed with those versions; it is
 * parked on a list instead, so that it stays reachable and
 * LeakSanitizer does not fail the sanitizer builds. The cost is a few KiB
 * per dump opened, which only a fuzzer notices (the file descriptor is
 * ours and is closed).
 */
#if KDUMPFILE_VERSION < KDUMPFILE_MKVER(0, 5, 2)
struct parked_ctx {
	struct parked_ctx *next;
	kdump_ctx_t *ctx;
};

static struct parked_ctx *parked;
static pthread_mutex_t parked_lock = PTHREAD_MUTEX_INITIALIZER;
#endif

static void free_kdump_ctx(struct sdei_dump *dump)
{
#if KDUMPFILE_VERSION < KDUMPFILE_MKVER(0, 5, 2)
	struct parked_ctx *p;

	if (dump->format == SDEI_FORMAT_KDUMP) {
		p = malloc(sizeof(*p));
		/* out of memory: an unreachable leak beats a use-after-free */
		if (!p)
			return;
		p->ctx = dump->kctx;
		pthread_mutex_lock(&parked_lock);
		p->next = parked;
		parked = p;
		pthread_mutex_unlock(&parked_lock);
		return;
	}
#endif
	kdump_free(dump->kctx);
}

struct sdei_error *sdei_dump_open(const char *path, struct sdei_dump **ret)
{
	struct sdei_dump *dump;
	struct sdei_error *err;
	const char *trace;

	*ret = NULL;
	err = sdei_dump_open_notes(path, &dump);
	if (err)
		return err;
	trace = getenv(SDEI_VMCORE_TRACE_ENV);
	if (trace && *trace) {
		dump->trace_fd = open(trace, O_WRONLY | O_APPEND | O_CREAT |
				      O_CLOEXEC, 0644);
		if (dump->trace_fd < 0) {
			err = sdei_error_errno(errno,
					       "cannot open trace file '%s' (%s)",
					       trace, SDEI_VMCORE_TRACE_ENV);
			goto fail;
		}
	}
	dump->mem_close = free_kdump_ctx;
	err = open_memory(dump);
	if (err)
		goto fail;
	*ret = dump;
	return NULL;
fail:
	sdei_dump_close(dump);
	return err;
}
