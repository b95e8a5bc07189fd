/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal interfaces of libsdei-vmcore: shared between the library's
 * files, never installed.
 */
#ifndef SDEI_INTERNAL_H
#define SDEI_INTERNAL_H

#include <stdarg.h>
#include "sdei-vmcore.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Little-endian loads from unaligned bytes: notes are 4-byte aligned. */
static inline uint32_t sdei_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t sdei_le64(const uint8_t *p)
{
	return (uint64_t)sdei_le32(p) | (uint64_t)sdei_le32(p + 4) << 32;
}

/* error.c */
struct sdei_error *sdei_error_vcreate(enum sdei_error_code code,
				      const char *fmt, va_list ap);

/* report.c: building the report model. Each returns NULL or nomem. */
struct sdei_report *sdei_report_create(void);
struct sdei_error *sdei_facts_add(struct sdei_facts *facts, const char *key,
				  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sdei_facts_deinit(struct sdei_facts *facts);
/*
 * Appends an entry (cpu = -1 for an unmapped note), verdict unknown. *ret
 * is valid only until the next call: the array is reallocated.
 */
struct sdei_error *sdei_report_add_cpu(struct sdei_report *report, int cpu,
				       struct sdei_cpu_report **ret);
/* Recounts report->counts from report->cpus. */
void sdei_report_finish(struct sdei_report *report);
/*
 * The CPUs set in @map (@bits bits) that have no entry in @report, as a
 * list ("7,9-11") in @buf; returns their number.
 */
size_t sdei_report_absent(const struct sdei_report *report,
			  const uint64_t *map, size_t bits, char *buf,
			  size_t len);

/*
 * The analysis reaches the target only through this: the CLI fills it
 * from a struct sdei_dump, the crash extension from crash's readmem().
 */
struct sdei_target {
	sdei_read_fn *read;
	void *arg;
	const char *vmcoreinfo;			/* may be NULL */
	const struct sdei_prstatus *notes;	/* the dump file's notes */
	size_t nr_notes;
	const struct sdei_note *all_notes;	/* whole note area, or NULL */
	size_t nr_all_notes;
	int header_nr_cpus;			/* -1 if none */
	struct sdei_symtab *symtab;		/* may be NULL */
	const char *symtab_why;			/* why there is none */
	/*
	 * Struct layouts (DWARF through libdw, or crash's MEMBER_OFFSET);
	 * member == NULL when no types are known. type is "struct pt_regs"
	 * style; returns false when the type or member does not exist.
	 */
	bool (*member)(void *arg, const char *type, const char *member,
		       uint64_t *offset_ret, uint64_t *size_ret);
	void *types_arg;
	const char *types_desc;			/* "DWARF of 'vmlinux'" */
};

/*
 * symtab.c: a table that asks its host (crash's symbol_value() and
 * value_search()) instead of holding symbols. symbolize returns a name
 * valid until the next call, or NULL.
 */
struct sdei_symtab_ops {
	bool (*lookup)(void *arg, const char *name, uint64_t *ret);
	const char *(*symbolize)(void *arg, uint64_t addr,
				 uint64_t *offset_ret);
};

struct sdei_error *sdei_symtab_from_ops(const struct sdei_symtab_ops *ops,
					void *arg, const char *describe,
					bool has_data,
					struct sdei_symtab **ret);

/* dwarf.c: struct layouts from a vmlinux's DWARF (libdw) */
struct sdei_dwarf;
/* NULL *ret (and no error) when the file has no DWARF. */
struct sdei_error *sdei_dwarf_open(const char *vmlinux,
				   struct sdei_dwarf **ret);
void sdei_dwarf_close(struct sdei_dwarf *dw);
/* The sdei_target.member callback; arg is a struct sdei_dwarf *. */
bool sdei_dwarf_member(void *arg, const char *type, const char *member,
		       uint64_t *offset_ret, uint64_t *size_ret);

/* analyze.c */
struct sdei_error *sdei_analyze(const struct sdei_target *target,
				const struct sdei_options *opts,
				struct sdei_report *report);

/* printk.c: the kernel log's stop lines */
struct sdei_log_line {
	uint64_t ts_nsec;
	char *text;
};

struct sdei_log {
	struct sdei_log_line *v;
	size_t nr, alloc;
	bool readable;			/* the ring itself could be read */
	unsigned int unreadable;	/* records lost to unreadable pages */
	char why[160];			/* when !readable */
};

struct sdei_error *sdei_log_read(sdei_read_fn *rd, void *arg,
				 const char *vmcoreinfo, struct sdei_log *log);
void sdei_log_deinit(struct sdei_log *log);
/* "0-2,5" into a bitmap of bits bits; false if malformed. */
bool sdei_parse_cpulist(const char *s, uint64_t *map, unsigned int bits);

/* stack.c: one stack's pages and the frame records on it */
struct sdei_stack {
	uint64_t lo, hi;		/* [lo, hi) */
	uint64_t page_size;
	uint8_t *data;			/* hi - lo bytes; NULL: not read */
	uint8_t *page_ok;		/* per page: it was in the dump */
	unsigned int readable;		/* pages read */
	/*
	 * 6.13+: offset of pt_regs.stackframe, whose {0, 0, PT_REGS}
	 * metadata record the walk steps through to the interrupted
	 * context; 0 before 6.13 (a {0, 0} record ends the chain)
	 */
	uint64_t meta_off;
};

struct sdei_error *sdei_stack_read(sdei_read_fn *rd, void *arg,
				   uint64_t base, uint64_t size,
				   uint64_t page_size, struct sdei_stack *st);
void sdei_stack_deinit(struct sdei_stack *st);
/*
 * Finds the deepest frame record whose return address is in one of the
 * NULL-terminated anchors and walks the chain up from it; the return
 * addresses (PAC stripped) go to pcs. Returns their number (0: none).
 */
int sdei_stack_find_chain(const struct sdei_stack *st,
			  const struct sdei_symtab *tab, uint64_t pacmask,
			  const char *const *anchors, uint64_t *pcs, int max,
			  uint64_t *rec_ret);
/* Walks frame records up from the record at rec, staying on the stack. */
int sdei_stack_walk(const struct sdei_stack *st, uint64_t pacmask,
		    uint64_t rec, uint64_t *pcs, int max);
bool sdei_stack_holds(const struct sdei_stack *st, uint64_t addr);

/* arm64.c */
/* "EL1h", "EL0t", "EL2h", "usr32", "reserved(0x..)" … */
const char *sdei_pstate_mode(uint64_t pstate, char *buf, size_t len);
/* "daif=DA-F" style: letters set, '-' clear */
const char *sdei_pstate_daif(uint64_t pstate, char *buf, size_t len);

#endif /* SDEI_INTERNAL_H */
