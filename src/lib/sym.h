/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbol tables: one lookup interface over vmlinux, System.map and the
 * kallsyms tables of dump memory. Private to src/lib/sym*.c.
 *
 * A table holds names (with their nm type letter) and run-time addresses
 * (KASLR applied). Names live in one arena; two address-sorted index
 * arrays serve symbolization (all symbols, and text symbols only).
 *
 * Lookups by name mostly ask for a few dozen names known in advance (what
 * the analysis reads, and the SYMBOL()s of VMCOREINFO): those "hot" names
 * are caught while the table is filled, so that no index of every name
 * has to be built. A name outside that set builds the full name hash on
 * first use: slower, never wrong.
 *
 * A sorted System.map and the kallsyms tables of dump memory are not
 * kept in memory at all (sym-lazy.c): one pass over the source keeps the
 * hot names and every 64th symbol's address and place in the source;
 * symbolize reads the few symbols it needs again.
 */
#ifndef SDEI_SYM_H
#define SDEI_SYM_H

#include <string.h>

#include "internal.h"

/* System.map and kallsyms carry no sizes: a match must lie this close. */
#define SDEI_SYM_MAX_SIZE	0x10000

/* 16 bytes: a distribution map has 175k of them. */
struct sdei_sym {
	uint64_t addr;
	uint32_t name;		/* offset of the NUL-terminated name in arena */
	char type;		/* nm letter: T t D d B b R r W V … */
};

/*
 * The hot names and every symbol that bears one, in the order they were
 * added. @slot is indexed by sdei_sym_hot_key(): 4 KiB that stay in the
 * cache while a map of 100k lines streams past.
 */
#define SDEI_SYM_HOT_MAX	255
#define SDEI_SYM_HOT_BITS	12

struct sdei_sym_hot {
	uint8_t slot[1u << SDEI_SYM_HOT_BITS];	/* hot name + 1, or 0 */
	unsigned int nr;
	struct {
		const char *name;
		size_t len;
		uint32_t head, tail;	/* hits: index + 1, 0 = none */
		uint8_t next;		/* same slot: hot name + 1 */
	} n[SDEI_SYM_HOT_MAX];
	char *copies;		/* the names that came from VMCOREINFO */
	struct sdei_sym *hit;	/* .name unused */
	uint32_t *hit_next;	/* index + 1, 0 = end */
	size_t nr_hit;
	size_t alloc_hit;
};

struct sdei_sym_lazy;

/*
 * What symtab.c calls on a lazy table, through pointers: the crash
 * plugin links symtab.c without the sources (Makefile's PLUGIN_LIB).
 */
struct sdei_sym_lazy_tab_ops {
	const char *(*symbolize)(const struct sdei_symtab *tab, uint64_t addr,
				 uint64_t *offset_ret);
	/* the whole source into @syms, as other sources are kept */
	struct sdei_error *(*expand)(struct sdei_symtab *tab);
	void (*relocate)(struct sdei_sym_lazy *lazy, uint64_t offset);
	void (*destroy)(struct sdei_sym_lazy *lazy);
};

struct sdei_symtab {
	enum sdei_symsrc source;
	/* a host's table (crash): lookups go to it, nothing is stored */
	const struct sdei_symtab_ops *ops;
	void *ops_arg;
	char *path;		/* vmlinux or System.map; NULL for kallsyms */
	char *describe;
	bool has_data;

	struct sdei_sym_hot *hot;	/* NULL: every lookup uses @hash */
	/*
	 * A table read lazily (sym-lazy.c); @syms stays empty until a
	 * lookup needs a name outside the hot set.
	 */
	struct sdei_sym_lazy *lazy;
	const struct sdei_sym_lazy_tab_ops *lazy_ops;
	uint64_t reloc;		/* KASLR offset applied so far */

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
	 * Built on the first lookup the hot set cannot answer. Open
	 * addressing, linear probing: name hash << 32 | (index + 1) of the
	 * first symbol of each name, 0 = empty. Later symbols of the same
	 * name hang off it in @dup_next (index + 1, 0 = end), in the order
	 * they were added: a map has 413 "__func__.0", and keeping them all
	 * in the probe run made building the hash quadratic.
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
static inline bool sdei_sym_wanted(char type, const char *name, size_t len)
{
	switch (type) {
	case 'a': case 'A':	/* absolute: sizes, CRCs, PE/COFF fields */
	case 'U': case 'u':	/* undefined */
	case 'w':		/* undefined weak */
	case 'N': case 'n':	/* debugging, non-alloc sections */
	case '?': case '-':
		return false;
	default:
		break;
	}
	if (!len)
		return false;
	/* AArch64 mapping symbols ($x, $d, $x.123) and assembler locals */
	if (name[0] == '$')
		return false;
	if (len >= 2 && name[0] == '.' && name[1] == 'L')
		return false;
	/* lockdep class keys: one name, hundreds of unrelated objects */
	if (len > 6 && !memcmp(name, "__key.", 6))
		return false;
	return true;
}

static inline bool sdei_sym_is_text(char type)
{
	/* Defined weak symbols in the kernel are functions (__weak). */
	return type == 'T' || type == 't' || type == 'W';
}

/* Copies the name into the arena and notes a hot name. NULL or nomem. */
struct sdei_error *sdei_sym_add(struct sdei_symtab *tab, const char *name,
				size_t len, char type, uint64_t addr);
/*
 * Adds a symbol whose name is already at @name_off in the arena; the
 * caller has noted it in the hot set (or did so in an earlier pass).
 */
struct sdei_error *sdei_sym_add_at(struct sdei_symtab *tab, uint32_t name_off,
				   char type, uint64_t addr);
/* Room for @n symbols at once (a source that can estimate its count). */
struct sdei_error *sdei_sym_reserve(struct sdei_symtab *tab, size_t n);
/*
 * Sorts, sets has_data and the text range. @sorted says the symbols were
 * added in address order (System.map, kallsyms).
 */
struct sdei_error *sdei_sym_finish(struct sdei_symtab *tab, bool sorted);
/* finish's first half: the address indices only. */
struct sdei_error *sdei_sym_index(struct sdei_symtab *tab, bool sorted);
/* finish's second half: the text range and has_data, from lookups. */
void sdei_sym_ranges(struct sdei_symtab *tab);
/* Adds @offset to every address (KASLR). */
void sdei_sym_relocate(struct sdei_symtab *tab, uint64_t offset);

/*
 * symtab.c: the hot set. sdei_sym_hot_init() before the first symbol is
 * added; every source notes each symbol it keeps, in order.
 */
struct sdei_error *sdei_sym_hot_init(struct sdei_symtab *tab,
				     const char *vmcoreinfo);
struct sdei_error *sdei_sym_hot_match(struct sdei_sym_hot *hot,
				      unsigned int first, const char *name,
				      size_t len, char type, uint64_t addr);

/*
 * Cheap enough to run on every line of a System.map: the length and the
 * first eight bytes of the name, which can be loaded before its end is
 * found.
 */
static inline unsigned int sdei_sym_hot_key(const char *name, size_t len)
{
	uint64_t a = 0;

	if (len >= 8) {
		memcpy(&a, name, 8);
	} else {
		for (size_t i = 0; i < len; i++)
			a |= (uint64_t)(uint8_t)name[i] << (8 * i);
	}
	return (unsigned int)(((a ^ len * 0xc2b2ae3d27d4eb4full) *
			       0x9e3779b97f4a7c15ull) >>
			      (64 - SDEI_SYM_HOT_BITS));
}

static inline struct sdei_error *sdei_sym_hot_note(struct sdei_symtab *tab,
						   const char *name,
						   size_t len, char type,
						   uint64_t addr)
{
	unsigned int i;

	if (!tab->hot)
		return NULL;
	i = tab->hot->slot[sdei_sym_hot_key(name, len)];
	return i ? sdei_sym_hot_match(tab->hot, i, name, len, type, addr) :
		   NULL;
}

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

/* ---- sym-lazy.c: tables read lazily --------------------------------- */

#define SDEI_LAZY_SEG	64	/* symbols per segment, at most */
#define SDEI_LAZY_SPAN	4096	/* source bytes a segment begins within */
#define SDEI_LAZY_SLOTS	8	/* segments kept decoded */
#define SDEI_LAZY_PICKS	8

enum { SDEI_LAZY_ALL, SDEI_LAZY_TEXT, SDEI_LAZY_KINDS };

/*
 * Segment i starts with symbol @first[i], at address @addr[i] and offset
 * @off[i] in its source (@aux[i]: what else the source wants to know of
 * it). It holds SDEI_LAZY_SEG symbols, or fewer when the next one lies
 * SDEI_LAZY_SPAN bytes further: text symbols are dense in the text but
 * sparse past it, and a segment is read whole. No segment's symbols span
 * more than @max_span bytes; the last one ends at @end.
 */
struct sdei_lazy_index {
	uint64_t *addr;		/* relocated */
	uint32_t *off;
	uint32_t *first;
	uint32_t *aux;		/* NULL unless the source asked for it */
	size_t nr, alloc;
	uint64_t end;		/* after the last symbol */
	uint64_t max_span;
	uint64_t count;		/* symbols */
	unsigned int left;	/* room in the last segment */
};

struct sdei_lazy_ent {
	uint64_t addr;		/* relocated */
	uint32_t name;		/* offset in the slot's text */
	uint32_t key;		/* the name's offset in the source */
	char type;
};

/* A decoded segment. */
struct sdei_lazy_slot {
	int kind;		/* -1: empty */
	size_t seg;
	uint64_t used;		/* LRU clock */
	bool bad;		/* the source no longer says what it did */
	unsigned int nr;
	struct sdei_lazy_ent *ent;	/* SDEI_LAZY_SEG */
	char *text;		/* the names, NUL-terminated */
	size_t len, cap;
	char *big;		/* text that outgrew @cap */
};

/*
 * A segment being decoded: the source delivers its symbols, from the one
 * at @off, through sdei_sym_seg_put(); @len bytes of the source hold them.
 */
struct sdei_sym_seg {
	int kind;
	size_t seg;
	uint64_t off;
	size_t len;
	uint32_t aux;
	/* private to sym-lazy.c */
	const struct sdei_symtab *tab;
	struct sdei_lazy_slot *slot;
	unsigned int want;
	uint64_t prev;
	bool bad;
};

struct sdei_sym_lazy_ops {
	/* decodes @sg: false when the source cannot (it changed, no memory) */
	bool (*decode)(const struct sdei_symtab *tab, void *src,
		       struct sdei_sym_seg *sg);
	/* fills tab->syms (not the hot set) and indexes them */
	struct sdei_error *(*expand)(struct sdei_symtab *tab, void *src);
	void (*destroy)(void *src);
};

struct sdei_lazy_name {
	uint64_t key;
	char *str;
};

struct sdei_sym_lazy {
	const struct sdei_sym_lazy_ops *ops;
	void *src;
	struct sdei_lazy_index idx[SDEI_LAZY_KINDS];
	bool expand_failed;
	char *store;		/* the slots' memory */
	size_t store_len;
	bool slots_ready;
	struct sdei_lazy_slot slot[SDEI_LAZY_SLOTS];
	uint64_t clock;
	char *scratch;		/* for a source's decoding */
	size_t scratch_len;
	/* names found by a long walk over one address */
	struct {
		int kind;
		uint64_t addr;
		const char *name;
	} pick[SDEI_LAZY_PICKS];
	unsigned int nr_pick;
	/* names handed out by symbolize, by key: open addressing */
	struct sdei_lazy_name *names;
	size_t names_mask;
	size_t nr_names;
};

/*
 * Makes @tab lazy over @src, which it owns from now on, failure or not
 * (ops->destroy). @aux: the index keeps sdei_sym_lazy_add()'s @aux of
 * each segment's first symbol.
 */
struct sdei_error *sdei_sym_lazy_attach(struct sdei_symtab *tab,
					const struct sdei_sym_lazy_ops *ops,
					void *src, bool aux);
/* Room for about @n symbols: a guess spares regrowing the index. */
struct sdei_error *sdei_sym_lazy_reserve(struct sdei_sym_lazy *lazy,
					 size_t n);
struct sdei_error *sdei_lazy_mark(struct sdei_lazy_index *x, uint64_t addr,
				  uint64_t off, uint32_t aux);

/* The segment to which a symbol at @off (its end at @end) belongs. */
static inline struct sdei_error *
sdei_lazy_index_add(struct sdei_lazy_index *x, uint64_t addr, uint64_t off,
		    uint64_t end, uint32_t aux)
{
	struct sdei_error *err;

	if (!x->left || off - x->off[x->nr - 1] >= SDEI_LAZY_SPAN) {
		err = sdei_lazy_mark(x, addr, off, aux);
		if (err)
			return err;
	}
	x->left--;
	x->end = end;
	x->count++;
	return NULL;
}

/*
 * Every symbol worth keeping, in the source's order (which must be the
 * address order; sdei_sym_lazy_done() is told if it was not).
 */
static inline struct sdei_error *sdei_sym_lazy_add(struct sdei_sym_lazy *lazy,
						   uint64_t addr, char type,
						   uint64_t off, uint64_t end,
						   uint32_t aux)
{
	struct sdei_error *err;

	err = sdei_lazy_index_add(&lazy->idx[SDEI_LAZY_ALL], addr, off, end,
				  aux);
	if (err || !sdei_sym_is_text(type))
		return err;
	return sdei_lazy_index_add(&lazy->idx[SDEI_LAZY_TEXT], addr, off, end,
				   aux);
}

/*
 * The pass is over: @store (owned, may be NULL) becomes the slots'
 * memory; out of address order, the full table is built at once.
 */
struct sdei_error *sdei_sym_lazy_done(struct sdei_symtab *tab, bool sorted,
				      char *store, size_t store_len);
/* Scratch memory for a decoder: @len bytes and a NUL after them. */
char *sdei_sym_seg_scratch(struct sdei_sym_seg *sg, size_t len);
/*
 * One symbol worth keeping (of either kind); false: that was the last one
 * the segment needs, or it cannot be kept (sg->bad).
 */
bool sdei_sym_seg_put(struct sdei_sym_seg *sg, uint64_t addr, char type,
		      const char *name, size_t len, uint32_t key);

#endif /* SDEI_SYM_H */
