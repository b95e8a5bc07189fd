// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stand-in vmlinux's DWARF: one DWARF 4 compile unit that describes
 * the structs the analysis reads with types (struct pt_regs, task_struct,
 * irq_desc, irqstat), at the offsets the kernel model writes (the GEN_*
 * layout in gen.h). Written by hand, as GCC would lay it out:
 *
 *  - names are DW_FORM_string (inline): no .debug_str;
 *  - type references are DW_FORM_ref4 (offsets from the unit start), and
 *    every type is emitted before its first user, so one pass does;
 *  - member offsets are DW_AT_data_member_location constants (data2);
 *    union members have none, as GCC emits them;
 *  - pt_regs keeps its anonymous union of user_regs and the anonymous
 *    struct {regs[31], sp, pc, pstate}, and u64/pid_t are typedef chains,
 *    so a reader has to look through both as it must on a real vmlinux.
 */
#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define KV(a, b, c)		(((a) << 16) | ((b) << 8) | (c))

enum abbrev_code {
	AB_CU = 1,
	AB_BASE,		/* name, byte_size, encoding */
	AB_PTR,			/* byte_size, type */
	AB_VOID_PTR,		/* byte_size */
	AB_TYPEDEF,		/* name, type */
	AB_STRUCT,		/* name, byte_size; children */
	AB_ANON_STRUCT,		/* byte_size; children */
	AB_ANON_UNION,		/* byte_size; children */
	AB_MEMBER,		/* name, type, data_member_location */
	AB_ANON_MEMBER,		/* type, data_member_location */
	AB_UNION_MEMBER,	/* name, type */
	AB_UNION_ANON_MEMBER,	/* type */
	AB_ARRAY,		/* type; children */
	AB_SUBRANGE,		/* type, upper_bound */
};

struct dbuf {
	uint8_t *b;
	size_t len, cap;
	int err;
};

static void put(struct dbuf *d, const void *p, size_t n)
{
	if (d->err)
		return;
	if (d->len + n > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 1024;
		uint8_t *nb;

		while (cap < d->len + n)
			cap *= 2;
		nb = realloc(d->b, cap);
		if (!nb) {
			d->err = 1;
			return;
		}
		d->b = nb;
		d->cap = cap;
	}
	memcpy(d->b + d->len, p, n);
	d->len += n;
}

static void u8(struct dbuf *d, unsigned int v)
{
	uint8_t b = (uint8_t)v;

	put(d, &b, 1);
}

/* Little-endian, whatever the host: the vmlinux is aarch64 LE. */
static void uint_le(struct dbuf *d, uint64_t v, unsigned int n)
{
	while (n--) {
		u8(d, v & 0xff);
		v >>= 8;
	}
}

static void uleb(struct dbuf *d, uint64_t v)
{
	do {
		unsigned int b = v & 0x7f;

		v >>= 7;
		u8(d, b | (v ? 0x80 : 0));
	} while (v);
}

static void cstr(struct dbuf *d, const char *s)
{
	put(d, s, strlen(s) + 1);
}

/* ---- .debug_abbrev ------------------------------------------------- */

static void abbrev(struct dbuf *a, unsigned int code, unsigned int tag,
		   int children, const unsigned int *attrs)
{
	uleb(a, code);
	uleb(a, tag);
	u8(a, children ? DW_CHILDREN_yes : DW_CHILDREN_no);
	for (; attrs[0]; attrs += 2) {
		uleb(a, attrs[0]);
		uleb(a, attrs[1]);
	}
	uleb(a, 0);
	uleb(a, 0);
}

static void build_abbrev(struct dbuf *a)
{
	static const unsigned int cu[] = {
		DW_AT_producer, DW_FORM_string,
		DW_AT_language, DW_FORM_data1,
		DW_AT_name, DW_FORM_string, 0 };
	static const unsigned int base[] = {
		DW_AT_name, DW_FORM_string,
		DW_AT_byte_size, DW_FORM_data1,
		DW_AT_encoding, DW_FORM_data1, 0 };
	static const unsigned int ptr[] = {
		DW_AT_byte_size, DW_FORM_data1,
		DW_AT_type, DW_FORM_ref4, 0 };
	static const unsigned int void_ptr[] = {
		DW_AT_byte_size, DW_FORM_data1, 0 };
	static const unsigned int tdef[] = {
		DW_AT_name, DW_FORM_string,
		DW_AT_type, DW_FORM_ref4, 0 };
	static const unsigned int strct[] = {
		DW_AT_name, DW_FORM_string,
		DW_AT_byte_size, DW_FORM_data2, 0 };
	static const unsigned int anon[] = {
		DW_AT_byte_size, DW_FORM_data2, 0 };
	static const unsigned int member[] = {
		DW_AT_name, DW_FORM_string,
		DW_AT_type, DW_FORM_ref4,
		DW_AT_data_member_location, DW_FORM_data2, 0 };
	static const unsigned int anon_member[] = {
		DW_AT_type, DW_FORM_ref4,
		DW_AT_data_member_location, DW_FORM_data2, 0 };
	static const unsigned int umember[] = {
		DW_AT_name, DW_FORM_string,
		DW_AT_type, DW_FORM_ref4, 0 };
	static const unsigned int uanon[] = {
		DW_AT_type, DW_FORM_ref4, 0 };
	static const unsigned int array[] = {
		DW_AT_type, DW_FORM_ref4, 0 };
	static const unsigned int subrange[] = {
		DW_AT_type, DW_FORM_ref4,
		DW_AT_upper_bound, DW_FORM_data1, 0 };

	abbrev(a, AB_CU, DW_TAG_compile_unit, 1, cu);
	abbrev(a, AB_BASE, DW_TAG_base_type, 0, base);
	abbrev(a, AB_PTR, DW_TAG_pointer_type, 0, ptr);
	abbrev(a, AB_VOID_PTR, DW_TAG_pointer_type, 0, void_ptr);
	abbrev(a, AB_TYPEDEF, DW_TAG_typedef, 0, tdef);
	abbrev(a, AB_STRUCT, DW_TAG_structure_type, 1, strct);
	abbrev(a, AB_ANON_STRUCT, DW_TAG_structure_type, 1, anon);
	abbrev(a, AB_ANON_UNION, DW_TAG_union_type, 1, anon);
	abbrev(a, AB_MEMBER, DW_TAG_member, 0, member);
	abbrev(a, AB_ANON_MEMBER, DW_TAG_member, 0, anon_member);
	abbrev(a, AB_UNION_MEMBER, DW_TAG_member, 0, umember);
	abbrev(a, AB_UNION_ANON_MEMBER, DW_TAG_member, 0, uanon);
	abbrev(a, AB_ARRAY, DW_TAG_array_type, 1, array);
	abbrev(a, AB_SUBRANGE, DW_TAG_subrange_type, 0, subrange);
	uleb(a, 0);
}

/* ---- .debug_info --------------------------------------------------- */

/* Each DIE writer returns the DIE's offset in the unit (for DW_FORM_ref4). */
static uint32_t here(const struct dbuf *d)
{
	return (uint32_t)d->len;
}

static uint32_t base_type(struct dbuf *d, const char *name, unsigned int size,
			  unsigned int encoding)
{
	uint32_t off = here(d);

	uleb(d, AB_BASE);
	cstr(d, name);
	u8(d, size);
	u8(d, encoding);
	return off;
}

static uint32_t typedef_of(struct dbuf *d, const char *name, uint32_t type)
{
	uint32_t off = here(d);

	uleb(d, AB_TYPEDEF);
	cstr(d, name);
	uint_le(d, type, 4);
	return off;
}

/* A pointer to @type, or void * when @type is 0. */
static uint32_t pointer_to(struct dbuf *d, uint32_t type)
{
	uint32_t off = here(d);

	uleb(d, type ? AB_PTR : AB_VOID_PTR);
	u8(d, 8);
	if (type)
		uint_le(d, type, 4);
	return off;
}

static uint32_t array_of(struct dbuf *d, uint32_t type, unsigned int count,
			 uint32_t index_type)
{
	uint32_t off = here(d);

	uleb(d, AB_ARRAY);
	uint_le(d, type, 4);
	uleb(d, AB_SUBRANGE);
	uint_le(d, index_type, 4);
	u8(d, count - 1);
	u8(d, 0);		/* end of the array's children */
	return off;
}

/* Opens a struct (NULL name: anonymous) or an anonymous union. */
static uint32_t aggregate(struct dbuf *d, const char *name, unsigned int size,
			  int is_union)
{
	uint32_t off = here(d);

	if (is_union) {
		uleb(d, AB_ANON_UNION);
	} else if (name) {
		uleb(d, AB_STRUCT);
		cstr(d, name);
	} else {
		uleb(d, AB_ANON_STRUCT);
	}
	uint_le(d, size, 2);
	return off;
}

/* A struct member (NULL name: an anonymous struct or union member). */
static void member(struct dbuf *d, const char *name, uint32_t type,
		   unsigned int loc)
{
	if (name) {
		uleb(d, AB_MEMBER);
		cstr(d, name);
	} else {
		uleb(d, AB_ANON_MEMBER);
	}
	uint_le(d, type, 4);
	uint_le(d, loc, 2);
}

static void union_member(struct dbuf *d, const char *name, uint32_t type)
{
	if (name) {
		uleb(d, AB_UNION_MEMBER);
		cstr(d, name);
	} else {
		uleb(d, AB_UNION_ANON_MEMBER);
	}
	uint_le(d, type, 4);
}

static void end_children(struct dbuf *d)
{
	u8(d, 0);
}

static void build_info(struct dbuf *d, unsigned int version)
{
	uint32_t ull, ul, uint, sint, u64, u32, s32, pid_t_, vptr;
	uint32_t regs31, frame2, user_regs, regs_struct, regs_union, kstat;
	size_t len_at;

	/* unit header: unit_length (patched), version, abbrev, addr size */
	len_at = d->len;
	uint_le(d, 0, 4);
	uint_le(d, 4, 2);
	uint_le(d, 0, 4);
	u8(d, 8);

	uleb(d, AB_CU);
	cstr(d, "GNU C11 12.2.0 -mlittle-endian -mabi=lp64 -g (mkvmcore)");
	u8(d, DW_LANG_C99);
	cstr(d, "mkvmcore-types.c");

	ull = base_type(d, "long long unsigned int", 8, DW_ATE_unsigned);
	ul = base_type(d, "long unsigned int", 8, DW_ATE_unsigned);
	uint = base_type(d, "unsigned int", 4, DW_ATE_unsigned);
	sint = base_type(d, "int", 4, DW_ATE_signed);
	u64 = typedef_of(d, "u64", typedef_of(d, "__u64", ull));
	u32 = typedef_of(d, "u32", typedef_of(d, "__u32", uint));
	s32 = typedef_of(d, "s32", typedef_of(d, "__s32", sint));
	pid_t_ = typedef_of(d, "pid_t", typedef_of(d, "__kernel_pid_t", sint));
	vptr = pointer_to(d, 0);
	regs31 = array_of(d, u64, 31, ul);
	frame2 = array_of(d, u64, 2, ul);

	/* struct user_pt_regs (uapi) */
	user_regs = aggregate(d, "user_pt_regs", 272, 0);
	member(d, "regs", regs31, 0);
	member(d, "sp", u64, 248);
	member(d, "pc", u64, 256);
	member(d, "pstate", u64, 264);
	end_children(d);

	/* struct pt_regs (KERNEL.md §5): 6.1-6.12, or 6.13+ below */
	regs_struct = aggregate(d, NULL, 272, 0);
	member(d, "regs", regs31, 0);
	member(d, "sp", u64, 248);
	member(d, "pc", u64, 256);
	member(d, "pstate", u64, 264);
	end_children(d);
	regs_union = aggregate(d, NULL, 272, 1);
	union_member(d, "user_regs", user_regs);
	union_member(d, NULL, regs_struct);
	end_children(d);
	if (version >= KV(6, 13, 0)) {
		/*
		 * v6.13 (c2c6b27b5aa1): u32 pmr where unused2 was, and
		 * stackframe a struct frame_record_meta {record, type}
		 * (asm/stacktrace/frame.h); no POE (por_el1) fields.
		 */
		uint32_t rec, meta;

		rec = aggregate(d, "frame_record", 16, 0);
		member(d, "fp", u64, 0);
		member(d, "lr", u64, 8);
		end_children(d);
		meta = aggregate(d, "frame_record_meta", 24, 0);
		member(d, "record", rec, 0);
		member(d, "type", u64, 16);
		end_children(d);
		aggregate(d, "pt_regs", GEN_PT_REGS_SIZE, 0);
		member(d, NULL, regs_union, 0);
		member(d, "orig_x0", u64, 272);
		member(d, "syscallno", s32, 280);
		member(d, "pmr", u32, 284);
		member(d, "sdei_ttbr1", u64, 288);
		member(d, "stackframe", meta, 296);
	} else {
		aggregate(d, "pt_regs", GEN_PT_REGS_SIZE, 0);
		member(d, NULL, regs_union, 0);
		member(d, "orig_x0", u64, 272);
		member(d, "syscallno", s32, 280);
		member(d, "unused2", u32, 284);
		member(d, "sdei_ttbr1", u64, 288);
		member(d, "pmr_save", u64, 296);
		member(d, "stackframe", frame2, 304);
	}
	member(d, "lockdep_hardirqs", u64, 320);
	member(d, "exit_rcu", u64, 328);
	end_children(d);

	/* struct task_struct: the members the analysis reads */
	aggregate(d, "task_struct", GEN_TASK_SIZE, 0);
	member(d, "__state", uint, GEN_TASK_STATE);
	member(d, "stack", vptr, GEN_TASK_STACK);
	member(d, "pid", pid_t_, GEN_TASK_PID);
	member(d, "tgid", pid_t_, GEN_TASK_TGID);
	end_children(d);

	/* irq_desc->kstat_irqs: struct irqstat __percpu * from v6.10 */
	if (version >= KV(6, 10, 0)) {
		uint32_t irqstat = aggregate(d, "irqstat", GEN_IRQSTAT_SIZE, 0);

		member(d, "cnt", uint, 0);
		member(d, "ref", uint, 4);
		end_children(d);
		kstat = pointer_to(d, irqstat);
	} else {
		kstat = pointer_to(d, uint);
	}
	aggregate(d, "irq_desc", GEN_IRQ_DESC_SIZE, 0);
	member(d, "handle_irq", vptr, GEN_IRQ_DESC_HANDLE_IRQ);
	member(d, "kstat_irqs", kstat, GEN_IRQ_DESC_KSTAT_IRQS);
	member(d, "action", vptr, GEN_IRQ_DESC_ACTION);
	end_children(d);

	end_children(d);	/* the compile unit's */

	if (!d->err) {
		uint32_t n = (uint32_t)(d->len - len_at - 4);

		for (int i = 0; i < 4; i++)
			d->b[len_at + i] = (uint8_t)(n >> (8 * i));
	}
}

int gen_build_dwarf(struct gen *g, struct gen_dwarf *out)
{
	struct dbuf a = { 0 }, i = { 0 };

	build_abbrev(&a);
	build_info(&i, gen_params(g)->version);
	if (a.err || i.err) {
		free(a.b);
		free(i.b);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	out->abbrev = a.b;
	out->abbrev_len = a.len;
	out->info = i.b;
	out->info_len = i.len;
	return 0;
}

void gen_dwarf_free(struct gen_dwarf *d)
{
	free(d->abbrev);
	free(d->info);
	memset(d, 0, sizeof(*d));
}
