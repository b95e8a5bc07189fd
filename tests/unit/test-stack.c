// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The frame-record walker (src/lib/stack.c) on hand-made stacks: it must
 * follow the kernel unwinder's rules (KERNEL.md §5) and end on every
 * hostile chain (loops, backwards or misaligned links, links off the
 * stack, unreadable pages, endless chains) without reading outside the
 * stack. TAP output; exit 0 when all pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

#define PAGE	4096u
#define LO	0xffff800080100000ull
#define SIZE	(4 * PAGE)
#define TEXT	0xffff800080010000ull
#define PACMASK	0xff80000000000000ull

static uint8_t mem[SIZE];
static uint8_t page_ok[SIZE / PAGE];

static struct sdei_stack stack_of(void)
{
	struct sdei_stack st = {
		.lo = LO, .hi = LO + SIZE, .page_size = PAGE,
		.data = mem, .page_ok = page_ok, .readable = SIZE / PAGE,
	};

	return st;
}

static void reset(void)
{
	memset(mem, 0, sizeof(mem));
	memset(page_ok, 1, sizeof(page_ok));
}

/* A frame record {fp, lr} at stack address @at. */
static void record(uint64_t at, uint64_t fp, uint64_t lr)
{
	uint64_t off = at - LO;

	for (int i = 0; i < 8; i++) {
		mem[off + i] = (uint8_t)(fp >> (8 * i));
		mem[off + 8 + i] = (uint8_t)(lr >> (8 * i));
	}
}

static void test_walk(void)
{
	struct sdei_stack st = stack_of();
	uint64_t pcs[128], a = LO + 0x100;
	int n;

	reset();
	record(a, a + 0x40, TEXT + 0x10);
	record(a + 0x40, a + 0x80, TEXT + 0x20);
	record(a + 0x80, 0, 0);		/* the final record */
	n = sdei_stack_walk(&st, 0, a, pcs, 128);
	ok(n == 2 && pcs[0] == TEXT + 0x10 && pcs[1] == TEXT + 0x20,
	   "walk: a chain up to the final record (%d frames)", n);

	n = sdei_stack_walk(&st, 0, a, pcs, 1);
	ok(n == 1, "walk: stops at the caller's limit");

	reset();
	record(a, a + 0x40, TEXT + 0x10);
	record(a + 0x40, a, TEXT + 0x20);	/* back to the first */
	n = sdei_stack_walk(&st, 0, a, pcs, 128);
	ok(n == 2, "walk: a two-record loop ends (%d frames)", n);

	reset();
	record(a, a, TEXT + 0x10);		/* points at itself */
	n = sdei_stack_walk(&st, 0, a, pcs, 128);
	ok(n == 1, "walk: a record pointing at itself ends (%d frames)", n);

	reset();
	record(a, a + 0x44, TEXT + 0x10);	/* misaligned link */
	record(a + 0x44, a + 0x80, TEXT + 0x20);
	n = sdei_stack_walk(&st, 0, a, pcs, 128);
	ok(n == 1, "walk: a misaligned link is not followed (%d frames)", n);

	reset();
	record(a, LO + SIZE - 8, TEXT + 0x10);	/* record would cross hi */
	n = sdei_stack_walk(&st, 0, a, pcs, 128);
	ok(n == 1, "walk: a link whose record leaves the stack is not followed (%d frames)",
	   n);

	reset();
	record(a, 0xffff000012345000ull, TEXT + 0x10);	/* another stack */
	n = sdei_stack_walk(&st, 0, a, pcs, 128);
	ok(n == 1, "walk: a link to another stack is not followed (%d frames)",
	   n);

	reset();
	record(a, LO + PAGE + 0x10, TEXT + 0x10);
	record(LO + PAGE + 0x10, LO + PAGE + 0x50, TEXT + 0x20);
	page_ok[1] = 0;				/* not in the dump */
	n = sdei_stack_walk(&st, 0, a, pcs, 128);
	ok(n == 1, "walk: a record on an unreadable page ends the chain (%d frames)",
	   n);

	reset();
	for (uint64_t r = LO; r + 0x20 <= LO + SIZE; r += 0x10)
		record(r, r + 0x10, TEXT + (r - LO));
	n = sdei_stack_walk(&st, 0, LO, pcs, 128);
	ok(n == 64, "walk: an endless growing chain stops at 64 frames (%d)",
	   n);

	reset();
	record(a, 0, TEXT + 0x10);		/* PAC-signed lr */
	n = sdei_stack_walk(&st, PACMASK, a, pcs, 128);
	ok(n == 1 && pcs[0] == ((TEXT + 0x10) | PACMASK),
	   "walk: PAC bits are replaced by the kernel's (0x%llx)",
	   n ? (unsigned long long)pcs[0] : 0ull);

	/* 6.13+: an exception's pt_regs at p, its {0, 0, type} at p + 296 */
	{
		uint64_t p = LO + 0x400, meta = p + 296, b = LO + 0x800;

		reset();
		record(a, meta, TEXT + 0x10);
		record(meta, 0, 0);
		record(meta + 16, 2, 0);	/* type PT_REGS (and pad) */
		record(p + 29 * 8, b, 0);	/* x29, x30 */
		record(p + 256, TEXT + 0x300, 0);	/* pc, pstate */
		record(b, b + 0x40, TEXT + 0x20);
		record(b + 0x40, 0, 0);
		n = sdei_stack_walk(&st, 0, a, pcs, 128);
		ok(n == 1, "walk: before 6.13 a {0, 0} record ends the chain (%d frames)",
		   n);
		st.meta_off = 296;
		n = sdei_stack_walk(&st, 0, a, pcs, 128);
		ok(n == 3 && pcs[1] == TEXT + 0x300 && pcs[2] == TEXT + 0x20,
		   "walk: 6.13+ steps through a PT_REGS metadata record to the interrupted pc and x29 (%d frames)",
		   n);
		record(meta + 16, 1, 0);	/* type FINAL */
		n = sdei_stack_walk(&st, 0, a, pcs, 128);
		ok(n == 1, "walk: 6.13+ a FINAL metadata record ends the chain (%d frames)",
		   n);
		record(meta + 16, 2, 0);
		record(p + 29 * 8, p - 0x100, 0);	/* x29 below: backwards */
		n = sdei_stack_walk(&st, 0, a, pcs, 128);
		ok(n == 2, "walk: 6.13+ an interrupted x29 that goes backwards is not followed (%d frames)",
		   n);
		st.meta_off = 0;
	}

	n = sdei_stack_walk(&st, 0, LO + SIZE, pcs, 128);
	ok(n == 0, "walk: a start beyond the stack reads nothing");
	n = sdei_stack_walk(&st, 0, LO - 16, pcs, 128);
	ok(n == 0, "walk: a start below the stack reads nothing");
}

static int fail_page;

static struct sdei_error *read_mem(void *arg, enum sdei_addr_space space,
				   uint64_t addr, void *buf, size_t len)
{
	(void)arg;
	if (space != SDEI_KVADDR || addr < LO || addr + len > LO + SIZE)
		return sdei_error_create(SDEI_ERROR_FAULT, "out of range");
	if ((addr - LO) / PAGE == (uint64_t)fail_page)
		return sdei_error_create(SDEI_ERROR_FAULT, "excluded");
	memcpy(buf, mem + (addr - LO), len);
	return NULL;
}

static void test_read_and_find(void)
{
	static const char *const anchors[] = { "crash_save_cpu", NULL };
	char map[] = "/tmp/test-stack-map.XXXXXX";
	struct sdei_symtab *tab = NULL;
	struct sdei_stack st;
	struct sdei_error *err;
	uint64_t pcs[16], rec = 0, a = LO + 3 * PAGE + 0x100;
	FILE *f;
	int fd, n;

	reset();
	/* a later anchor record low on the stack, the stop's chain above */
	record(LO + 0x200, LO + 0x240, TEXT + 0x104);
	record(LO + 0x240, 0, 0);
	record(a, a + 0x40, TEXT + 0x104);	/* crash_save_cpu+0x4 */
	record(a + 0x40, a + 0x80, TEXT + 0x208);	/* ipi_handler+0x8 */
	record(a + 0x80, 0, 0);

	fail_page = 1;
	err = sdei_stack_read(read_mem, NULL, LO, SIZE, PAGE, &st);
	ok(!err && st.readable == 3 && !st.page_ok[1] && st.page_ok[3],
	   "read: an excluded page is marked unreadable, not zero-filled as data (%u pages read)",
	   st.readable);

	fd = mkstemp(map);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		skip("cannot write a System.map in /tmp");
		sdei_stack_deinit(&st);
		return;
	}
	fprintf(f, "%016llx T _stext\n%016llx T crash_save_cpu\n"
		"%016llx T ipi_handler\n%016llx T _etext\n",
		(unsigned long long)TEXT, (unsigned long long)TEXT + 0x100,
		(unsigned long long)TEXT + 0x200,
		(unsigned long long)TEXT + 0x1000);
	fclose(f);
	err = sdei_symtab_from_system_map(map, NULL, &tab);
	unlink(map);
	if (!ok(!err && tab, "find: a System.map for the anchors loads")) {
		sdei_error_destroy(err);
		sdei_stack_deinit(&st);
		return;
	}
	n = sdei_stack_find_chain(&st, tab, 0, anchors, pcs, 16, &rec);
	/* stacks grow down: the lowest anchor record is the latest call */
	ok(n == 1 && pcs[0] == TEXT + 0x104 && rec == LO + 0x200,
	   "find: the deepest crash_save_cpu record wins (%d frames, record 0x%llx)",
	   n, (unsigned long long)rec);
	memset(st.data + 0x200, 0, 16);	/* that record gone */
	n = sdei_stack_find_chain(&st, tab, 0, anchors, pcs, 16, &rec);
	ok(n == 2 && pcs[0] == TEXT + 0x104 && pcs[1] == TEXT + 0x208 &&
	   rec == a,
	   "find: then the chain is walked up to ipi_handler (%d frames, record 0x%llx)",
	   n, (unsigned long long)rec);
	sdei_stack_deinit(&st);

	fail_page = -1;
	err = sdei_stack_read(read_mem, NULL, LO, SIZE, PAGE, &st);
	ok(!err && st.readable == 4, "read: all four pages");
	memset(st.data, 0, SIZE);
	n = sdei_stack_find_chain(&st, tab, 0, anchors, pcs, 16, &rec);
	ok(n == 0, "find: no anchor record, no chain");
	sdei_stack_deinit(&st);

	err = sdei_stack_read(read_mem, NULL, LO + 8, SIZE, PAGE, &st);
	ok(!err && !st.data, "read: a misaligned stack base is not read");
	sdei_stack_deinit(&st);
	sdei_symtab_destroy(tab);
}

int main(void)
{
	test_walk();
	test_read_and_find();
	return tap_done();
}
