// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stacks and frame records (KERNEL.md §5). The stop machinery's frames
 * live above call_on_irq_stack (or __sdei_handler) on a per-CPU stack, not
 * on the chain from the saved pc, so the stack is scanned for a record
 * whose return address lies in an anchor function (crash_save_cpu, the
 * way crash's arm64_in_kdump_text() finds them) and the chain is walked
 * up from there following the kernel unwinder's rules: records 8-byte
 * aligned, wholly on the stack, addresses only growing, a bounded depth.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_DEPTH	64
/* asm/stacktrace/frame.h (6.13+) */
#define FRAME_META_TYPE_PT_REGS	2
#define PT_REGS_X29		(29 * 8)
#define PT_REGS_PC		256

struct sdei_error *sdei_stack_read(sdei_read_fn *rd, void *arg,
				   uint64_t base, uint64_t size,
				   uint64_t page_size, struct sdei_stack *st)
{
	memset(st, 0, sizeof(*st));
	st->lo = base;
	st->hi = base + size;
	if (!base || !size || size > (1 << 20) || !page_size ||
	    base % page_size || size % page_size)
		return NULL;
	st->data = malloc(size);
	st->page_ok = calloc(size / page_size, 1);
	if (!st->data || !st->page_ok) {
		sdei_stack_deinit(st);
		return &sdei_error_nomem;
	}
	st->page_size = page_size;
	for (uint64_t off = 0; off < size; off += page_size) {
		struct sdei_error *err = rd(arg, SDEI_KVADDR, base + off,
					    st->data + off, page_size);

		if (err) {
			sdei_error_destroy(err);
			memset(st->data + off, 0, page_size);
			continue;
		}
		st->page_ok[off / page_size] = 1;
		st->readable++;
	}
	return NULL;
}

void sdei_stack_deinit(struct sdei_stack *st)
{
	free(st->data);
	free(st->page_ok);
	memset(st, 0, sizeof(*st));
}

/* The u64 at a stack address, if that page was read. */
static bool stack_u64(const struct sdei_stack *st, uint64_t addr,
		      uint64_t *ret)
{
	uint64_t off;

	if (addr < st->lo || addr > st->hi - 8 || addr % 8 || !st->data)
		return false;
	off = addr - st->lo;
	if (!st->page_ok[off / st->page_size])
		return false;
	*ret = sdei_le64(st->data + off);
	return true;
}

static bool is_anchor(const char *fn, const char *const *anchors)
{
	for (; fn && *anchors; anchors++)
		if (!strcmp(fn, *anchors))
			return true;
	return false;
}

int sdei_stack_find_chain(const struct sdei_stack *st,
			  const struct sdei_symtab *tab, uint64_t pacmask,
			  const char *const *anchors, uint64_t *pcs, int max,
			  uint64_t *rec_ret)
{
	if (!st->data || !tab)
		return 0;
	/* the deepest anchor record: the last call the stop made */
	for (uint64_t a = st->lo; a + 16 <= st->hi; a += 8) {
		uint64_t lr, off;

		if (!stack_u64(st, a + 8, &lr))
			continue;
		if (!is_anchor(sdei_symtab_symbolize(tab, lr | pacmask, &off),
			       anchors))
			continue;
		*rec_ret = a;
		return sdei_stack_walk(st, pacmask, a, pcs, max);
	}
	return 0;
}

int sdei_stack_walk(const struct sdei_stack *st, uint64_t pacmask,
		    uint64_t rec, uint64_t *pcs, int max)
{
	int n = 0;

	while (n < max && n < MAX_DEPTH) {
		uint64_t fp, lr;

		if (!stack_u64(st, rec, &fp) || !stack_u64(st, rec + 8, &lr))
			break;
		if (!lr && !fp && st->meta_off && rec >= st->lo + st->meta_off) {
			/*
			 * 6.13+: the metadata record inside a pt_regs; as the
			 * unwinder does, go on at the interrupted pc and x29
			 */
			uint64_t type, regs = rec - st->meta_off;

			if (!stack_u64(st, rec + 16, &type) ||
			    type != FRAME_META_TYPE_PT_REGS ||
			    !stack_u64(st, regs + PT_REGS_X29, &fp) ||
			    !stack_u64(st, regs + PT_REGS_PC, &lr) || !lr)
				break;	/* FINAL, or not a frame */
		} else if (!lr) {
			break;	/* the final record */
		}
		pcs[n++] = lr | pacmask;
		if (fp <= rec || fp % 8 || fp > st->hi - 16)
			break;	/* leaves the stack, or goes backwards */
		rec = fp;
	}
	return n;
}

bool sdei_stack_holds(const struct sdei_stack *st, uint64_t addr)
{
	return st->lo && addr >= st->lo && addr <= st->hi;
}
