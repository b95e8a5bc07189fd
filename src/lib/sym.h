/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbol tables: one lookup interface over vmlinux, System.map and the
 * kallsyms tables of dump memory. Private to src/lib/sym*.c.
 *
 * A table holds names (with their nm type letter) and run-time addresses
 * (KASLR applied). Names live in one arena; a hash maps name to symbol and
 * two address-sorted index arrays serve symbolization (all symbols, and
 * text symbols only).
 */
#ifndef SDEI_SYM_H
#define SDEI_SYM_H

#include "internal.h"

/* System.map and kallsyms carry no sizes: a match must lie this close. */
#define SDEI_SYM_MAX_SIZE	0x10000

/* 16 bytes: a distribution map has 175k of them. */
struct sdei_sym {
	uint64_t addr;
	uint32_t name;		/* offset of the NUL-terminated name in arena */
	char type;		/* nm letter: T t D d B b R r W V … */
};

struct sdei_symtab {
	enum sdei_symsrc source;
	/* a host's table (crash): lookups go to it, nothing is stored */
	const struct sdei_symtab_ops *ops;
	void *ops_arg;
	char *path;		/* vmlinux or System.map; NULL for kallsyms */
	char *describe;
	bool has_data;

	struct sdei_sym *syms;
	size_t nr;
	size_t alloc;

	/*
	 * Names. For a System.map the arena is the file itself, with each
	 * newline replaced by a NUL.
	 */
	char *arena;
	size_t arena_len;
	size_t arena_alloc;
	size_t arena_mapped;	/* arena is a private file mapping this long */

	/*
	 * Open addressing, linear probing: name hash << 32 | (index + 1) of
	 * the first symbol of each name, 0 = empty. Later symbols of the
	 * same name hang off it in @dup_next (index + 1, 0 = end), in the
	 * order they were added: a map has 413 "__func__.0", and keeping
	 * them all in the probe run made building the hash quadratic.
	 */
	uint64_t *hash;
	size_t hash_mask;
	uint32_t *dup_next;

	uint32_t *by_addr;	/* indices sorted by address, stable; NULL
				 * when the symbols are in address order */
	size_t nr_by_addr;
	uint32_t *text_by_addr;	/* the text symbols among them */
	size_t nr_text;
	uint64_t text_start;	/* [_stext, _etext): 0, 0 when unknown */
	uint64_t text_end;

	/*
	 * vmlinux only: its GNU build ID, hex. Types (libdw) can hang off
	 * @path later without changing the lookup side.
	 */
	char build_id[41];
};

/* symtab.c: building a table */
struct sdei_symtab *sdei_sym_create(enum sdei_symsrc source);
/* Whether a type letter / name is worth keeping (absolute, undefined, $x…). */
bool sdei_sym_wanted(char type, const char *name, size_t len);
/* Copies the name into the arena. Returns NULL or nomem. */
struct sdei_error *sdei_sym_add(struct sdei_symtab *tab, const char *name,
				size_t len, char type, uint64_t addr);
/* Adds a symbol whose name is already at @name_off in the arena. */
struct sdei_error *sdei_sym_add_at(struct sdei_symtab *tab, uint32_t name_off,
				   char type, uint64_t addr);
/* Room for @n symbols at once (a source that can estimate its count). */
struct sdei_error *sdei_sym_reserve(struct sdei_symtab *tab, size_t n);
/*
 * Sorts, hashes, sets has_data and the text range. @sorted says the
 * symbols were added in address order (System.map, kallsyms).
 */
struct sdei_error *sdei_sym_finish(struct sdei_symtab *tab, bool sorted);
/* Adds @offset to every address (KASLR). */
void sdei_sym_relocate(struct sdei_symtab *tab, uint64_t offset);

/* symtab.c: VMCOREINFO, read without the dump module (raw text). */
const char *sdei_sym_vmci_get(const char *vmcoreinfo, const char *key,
			      size_t *len_ret);
bool sdei_sym_vmci_hex(const char *vmcoreinfo, const char *key,
		       uint64_t *ret);
/* KERNELOFFSET (hex, no 0x), 0 when absent. */
uint64_t sdei_sym_kaslr_offset(const char *vmcoreinfo);
/*
 * Compares each SYMBOL(name)=value of VMCOREINFO with the table's symbol
 * of that name (when it has one): "'<path>' does not match the dump:
 * SYMBOL(x) is 0x… in the dump but 0x… in <where>" (path NULL: kallsyms).
 */
struct sdei_error *sdei_sym_check_vmcoreinfo(const struct sdei_symtab *tab,
					     const char *vmcoreinfo,
					     const char *path,
					     const char *where);

/* sym-map.c: a System.map; *@stub_ret says it was Debian's stub. */
struct sdei_error *sdei_sym_load_map(const char *path, const char *vmcoreinfo,
				     struct sdei_symtab **ret, bool *stub_ret);

#endif /* SDEI_SYM_H */
