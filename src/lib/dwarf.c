// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Struct layouts from a vmlinux's DWARF, through libdw.
 *
 * A distribution vmlinux carries 30-60 MB of .debug_info, and the
 * analysis asks for a handful of types (pt_regs, task_struct, irq_desc
 * ...), so nothing is read at open time. The first query scans compile
 * units in order, records every complete struct, union and typedef
 * definition it meets in a name hash (first definition wins), and stops
 * after the unit that defined the wanted name; later queries resume the
 * scan where it stopped. The common kernel types sit in the first units
 * (head and init code include sched.h and ptrace.h), so a typical run
 * reads a few units; a name that does not exist costs one full scan,
 * once: after that the hash is complete and answers alone. Each
 * (type, member) answer is also memoised.
 *
 * The DWARF is input: a hostile file must give false, never a hang.
 * Every recursion (typedef chains, nested anonymous members, arrays of
 * arrays) is bounded, sibling offsets must grow, and sizes above
 * DWARF_SIZE_MAX or offsets past the end of their struct are refused.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* Deeper than any real type chain, shallow enough to stop a loop fast. */
#define DWARF_MAX_DEPTH	64
/* No kernel struct or member is anywhere near 1 GiB. */
#define DWARF_SIZE_MAX	(UINT64_C(1) << 30)

enum dwarf_kind {
	KIND_STRUCT = 1,
	KIND_UNION = 2,
	KIND_TYPEDEF = 4,
};

/* One definition in the name hash; name points into the DWARF. */
struct dwarf_type {
	const char *name;
	Dwarf_Off off;		/* DIE offset in .debug_info */
	unsigned int kind;
};

/* One memoised answer; key is "type\nmember" (owned). */
struct dwarf_memo {
	char *key;
	bool found;
	uint64_t offset, size;
};

struct sdei_dwarf {
	int fd;
	Elf *elf;		/* for dwarf_begin_elf, else NULL */
	Dwfl *dwfl;		/* for relocatable objects, else NULL */
	Dwarf *dw;
	Dwarf_Off next_cu;	/* where the scan resumes */
	bool scan_done;
	struct dwarf_type *types;	/* open addressing, power of 2 */
	size_t nr_types, types_alloc;
	struct dwarf_memo *memo;
	size_t nr_memo, memo_alloc;
};

/* ------------------------------------------------------------------ */
/* Hash tables                                                         */
/* ------------------------------------------------------------------ */

static uint64_t hash_str(const char *s, uint64_t h)
{
	while (*s)
		h = (h ^ (unsigned char)*s++) * UINT64_C(0x100000001b3);
	return h;
}

static uint64_t hash_type(const char *name, unsigned int kind)
{
	return hash_str(name, UINT64_C(0xcbf29ce484222325) ^ kind);
}

static struct dwarf_type *type_get(struct sdei_dwarf *d, const char *name,
				   unsigned int kind)
{
	size_t mask = d->types_alloc - 1, i;

	if (!d->types_alloc)
		return NULL;
	for (i = hash_type(name, kind) & mask; d->types[i].name;
	     i = (i + 1) & mask)
		if (d->types[i].kind == kind &&
		    !strcmp(d->types[i].name, name))
			return &d->types[i];
	return NULL;
}

static void type_place(struct dwarf_type *v, size_t alloc,
		       const struct dwarf_type *t)
{
	size_t mask = alloc - 1, i;

	for (i = hash_type(t->name, t->kind) & mask; v[i].name;
	     i = (i + 1) & mask)
		;
	v[i] = *t;
}

/* Records a definition unless the name is known; false on no memory. */
static bool type_add(struct sdei_dwarf *d, const char *name, Dwarf_Off off,
		     unsigned int kind)
{
	struct dwarf_type t = { name, off, kind };

	if (type_get(d, name, kind))
		return true;
	if (2 * (d->nr_types + 1) > d->types_alloc) {
		size_t alloc = d->types_alloc ? 2 * d->types_alloc : 4096, i;
		struct dwarf_type *v = calloc(alloc, sizeof(*v));

		if (!v)
			return false;
		for (i = 0; i < d->types_alloc; i++)
			if (d->types[i].name)
				type_place(v, alloc, &d->types[i]);
		free(d->types);
		d->types = v;
		d->types_alloc = alloc;
	}
	type_place(d->types, d->types_alloc, &t);
	d->nr_types++;
	return true;
}

static struct dwarf_memo *memo_get(struct sdei_dwarf *d, const char *key)
{
	size_t mask = d->memo_alloc - 1, i;

	if (!d->memo_alloc)
		return NULL;
	for (i = hash_str(key, 0) & mask; d->memo[i].key; i = (i + 1) & mask)
		if (!strcmp(d->memo[i].key, key))
			return &d->memo[i];
	return NULL;
}

static void memo_place(struct dwarf_memo *v, size_t alloc,
		       const struct dwarf_memo *m)
{
	size_t mask = alloc - 1, i;

	for (i = hash_str(m->key, 0) & mask; v[i].key; i = (i + 1) & mask)
		;
	v[i] = *m;
}

/* Takes key; a failure only costs the memo, never the answer. */
static void memo_add(struct sdei_dwarf *d, char *key, bool found,
		     uint64_t offset, uint64_t size)
{
	struct dwarf_memo m = { key, found, offset, size };

	if (2 * (d->nr_memo + 1) > d->memo_alloc) {
		size_t alloc = d->memo_alloc ? 2 * d->memo_alloc : 64, i;
		struct dwarf_memo *v = calloc(alloc, sizeof(*v));

		if (!v) {
			free(key);
			return;
		}
		for (i = 0; i < d->memo_alloc; i++)
			if (d->memo[i].key)
				memo_place(v, alloc, &d->memo[i]);
		free(d->memo);
		d->memo = v;
		d->memo_alloc = alloc;
	}
	memo_place(d->memo, d->memo_alloc, &m);
	d->nr_memo++;
}

/* ------------------------------------------------------------------ */
/* The lazy index                                                      */
/* ------------------------------------------------------------------ */

static unsigned int tag_kind(int tag)
{
	switch (tag) {
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
		return KIND_STRUCT;
	case DW_TAG_union_type:
		return KIND_UNION;
	case DW_TAG_typedef:
		return KIND_TYPEDEF;
	default:
		return 0;
	}
}

static bool is_declaration(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	bool flag;

	if (!dwarf_attr(die, DW_AT_declaration, &attr))
		return false;
	return dwarf_formflag(&attr, &flag) || flag;
}

/*
 * Indexes the top-level definitions of the next unit. Returns true when
 * one of them is name with a kind in kinds (its DIE offset to hit_ret).
 */
static bool scan_unit(struct sdei_dwarf *d, const char *name,
		      unsigned int kinds, Dwarf_Off *hit_ret)
{
	Dwarf_Off off = d->next_cu, next, abbrev, prev;
	Dwarf_Half version;
	uint8_t addr_size, off_size;
	size_t hsize;
	Dwarf_Die cu, die;
	bool hit = false;

	/* a type signature pointer would select .debug_types: NULL */
	if (dwarf_next_unit(d->dw, off, &next, &hsize, &version, &abbrev,
			    &addr_size, &off_size, NULL, NULL) ||
	    next <= off) {
		d->scan_done = true;
		return false;
	}
	d->next_cu = next;
	if (version < 2 || version > 5 ||
	    !dwarf_offdie(d->dw, off + hsize, &cu))
		return false;
	if (dwarf_child(&cu, &die))
		return false;
	do {
		unsigned int kind = tag_kind(dwarf_tag(&die));
		const char *n;

		prev = dwarf_dieoffset(&die);
		if (!kind || is_declaration(&die))
			continue;
		n = dwarf_diename(&die);
		if (!n || !*n)
			continue;
		/* Without memory the hash misses names: costs time only */
		type_add(d, n, prev, kind);
		if (!hit && (kind & kinds) && !strcmp(n, name)) {
			*hit_ret = prev;
			hit = true;
		}
	} while (!dwarf_siblingof(&die, &die) && dwarf_dieoffset(&die) > prev);
	return hit;
}

/* The first definition of name among kinds, in struct/union/typedef order. */
static bool find_type(struct sdei_dwarf *d, const char *name,
		      unsigned int kinds, Dwarf_Die *ret)
{
	static const unsigned int order[] = {
		KIND_STRUCT, KIND_UNION, KIND_TYPEDEF,
	};
	struct dwarf_type *t;
	Dwarf_Off hit = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		if (!(kinds & order[i]))
			continue;
		t = type_get(d, name, order[i]);
		if (t)
			return dwarf_offdie(d->dw, t->off, ret);
	}
	/*
	 * Not seen yet. A bare name takes whichever kind comes first in
	 * the file; "struct x" and typedef x usually share a unit.
	 */
	while (!d->scan_done)
		if (scan_unit(d, name, kinds, &hit))
			return dwarf_offdie(d->dw, hit, ret);
	return false;
}

/* ------------------------------------------------------------------ */
/* Types, members, sizes                                               */
/* ------------------------------------------------------------------ */

static bool type_of(Dwarf_Die *die, Dwarf_Die *ret)
{
	Dwarf_Attribute attr;

	return dwarf_attr_integrate(die, DW_AT_type, &attr) &&
	       dwarf_formref_die(&attr, ret);
}

static bool get_udata(Dwarf_Die *die, unsigned int name, uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Word v;

	if (!dwarf_attr_integrate(die, name, &attr) ||
	    dwarf_formudata(&attr, &v))
		return false;
	*ret = v;
	return true;
}

/*
 * Follows typedefs and qualifiers to the underlying type, and a struct
 * or union declaration to its definition elsewhere (by name).
 */
static bool strip_type(struct sdei_dwarf *d, Dwarf_Die *die)
{
	int i;

	for (i = 0; i < DWARF_MAX_DEPTH; i++) {
		int tag = dwarf_tag(die);
		const char *n;

		switch (tag) {
		case DW_TAG_typedef:
		case DW_TAG_const_type:
		case DW_TAG_volatile_type:
		case DW_TAG_restrict_type:
		case DW_TAG_atomic_type:
			if (!type_of(die, die))
				return false;
			continue;
		case DW_TAG_structure_type:
		case DW_TAG_class_type:
		case DW_TAG_union_type:
			if (!is_declaration(die))
				return true;
			n = dwarf_diename(die);
			return n && find_type(d, n, tag_kind(tag), die);
		default:
			return tag >= 0;
		}
	}
	return false;
}

static bool is_aggregate(Dwarf_Die *die)
{
	int tag = dwarf_tag(die);

	return tag == DW_TAG_structure_type || tag == DW_TAG_class_type ||
	       tag == DW_TAG_union_type;
}

static bool type_size(struct sdei_dwarf *d, Dwarf_Die *die, int depth,
		      uint64_t *ret);

/* Elements of one array, by its subranges; a flexible array has 0. */
static bool array_size(struct sdei_dwarf *d, Dwarf_Die *array, int depth,
		       uint64_t *ret)
{
	Dwarf_Die elem, sub;
	uint64_t total, n, lo, hi;

	if (get_udata(array, DW_AT_byte_size, ret))
		return *ret <= DWARF_SIZE_MAX;
	if (!type_of(array, &elem) || !type_size(d, &elem, depth + 1, &total))
		return false;
	if (dwarf_child(array, &sub))
		return false;
	do {
		if (dwarf_tag(&sub) != DW_TAG_subrange_type)
			continue;
		if (get_udata(&sub, DW_AT_count, &n)) {
			;
		} else if (get_udata(&sub, DW_AT_upper_bound, &hi)) {
			if (!get_udata(&sub, DW_AT_lower_bound, &lo))
				lo = 0;
			/* GCC's [0] and [] can carry an upper bound of -1 */
			n = hi == UINT64_MAX || hi < lo ? 0 : hi - lo + 1;
		} else {
			n = 0;
		}
		if (__builtin_mul_overflow(total, n, &total) ||
		    total > DWARF_SIZE_MAX)
			return false;
	} while (!dwarf_siblingof(&sub, &sub));
	*ret = total;
	return true;
}

static bool type_size(struct sdei_dwarf *d, Dwarf_Die *die, int depth,
		      uint64_t *ret)
{
	Dwarf_Die t = *die;
	Dwarf_Word size;
	int tag;

	if (depth > DWARF_MAX_DEPTH || !strip_type(d, &t))
		return false;
	tag = dwarf_tag(&t);
	switch (tag) {
	case DW_TAG_array_type:
		return array_size(d, &t, depth, ret);
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
	case DW_TAG_ptr_to_member_type:
		if (get_udata(&t, DW_AT_byte_size, ret))
			break;
		{
			uint8_t addr_size, off_size;
			Dwarf_Die cu;

			if (!dwarf_diecu(&t, &cu, &addr_size, &off_size))
				return false;
			*ret = addr_size;
		}
		break;
	case DW_TAG_enumeration_type:
		if (get_udata(&t, DW_AT_byte_size, ret))
			break;
		/* DWARF 3+: an enum may give only its underlying type */
		return type_of(&t, &t) && type_size(d, &t, depth + 1, ret);
	case DW_TAG_subroutine_type:
		return false;
	default:
		/*
		 * Structs, unions and base types: their DW_AT_byte_size
		 * (typedefs and arrays were handled above, so libdw does
		 * not recurse here).
		 */
		if (dwarf_aggregate_size(&t, &size))
			return false;
		*ret = size;
	}
	return *ret <= DWARF_SIZE_MAX;
}

/* DW_AT_data_member_location as a constant (or the old DW_OP form). */
static bool member_location(Dwarf_Die *member, uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Word v;
	Dwarf_Op *ops;
	size_t nops;

	/* Bit fields are not byte-addressable: not ours to answer */
	if (dwarf_hasattr(member, DW_AT_bit_size) ||
	    dwarf_hasattr(member, DW_AT_data_bit_offset))
		return false;
	if (!dwarf_attr(member, DW_AT_data_member_location, &attr)) {
		*ret = 0;		/* union members */
		return true;
	}
	switch (dwarf_whatform(&attr)) {
	case DW_FORM_block:
	case DW_FORM_block1:
	case DW_FORM_block2:
	case DW_FORM_block4:
	case DW_FORM_exprloc:
		if (dwarf_getlocation(&attr, &ops, &nops) || nops != 1 ||
		    (ops[0].atom != DW_OP_plus_uconst &&
		     ops[0].atom != DW_OP_constu))
			return false;
		*ret = ops[0].number;
		return true;
	case DW_FORM_sdata:
		{
			Dwarf_Sword s;

			if (dwarf_formsdata(&attr, &s) || s < 0)
				return false;
			*ret = (uint64_t)s;
			return true;
		}
	default:
		if (dwarf_formudata(&attr, &v))
			return false;
		*ret = v;
		return true;
	}
}

/*
 * Finds member name[0..len) in the struct or union agg, looking through
 * anonymous struct and union members (their offsets add up). The
 * member's type goes to type_ret.
 */
static bool find_member(struct sdei_dwarf *d, Dwarf_Die *agg,
			const char *name, size_t len, int depth,
			uint64_t *offset_ret, Dwarf_Die *type_ret)
{
	Dwarf_Die m, t;
	Dwarf_Off prev;
	uint64_t loc, inner;

	if (depth > DWARF_MAX_DEPTH || dwarf_child(agg, &m))
		return false;
	do {
		const char *n;

		prev = dwarf_dieoffset(&m);
		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		n = dwarf_diename(&m);
		if (n && *n) {
			if (strncmp(n, name, len) || n[len])
				continue;
			if (!member_location(&m, &loc) ||
			    !type_of(&m, type_ret))
				return false;
			*offset_ret = loc;
			return true;
		}
		/* An anonymous struct or union: its members are ours */
		if (!type_of(&m, &t) || !strip_type(d, &t) || !is_aggregate(&t))
			continue;
		if (!find_member(d, &t, name, len, depth + 1, &inner,
				 type_ret))
			continue;
		if (!member_location(&m, &loc) ||
		    __builtin_add_overflow(loc, inner, offset_ret))
			return false;
		return true;
	} while (!dwarf_siblingof(&m, &m) && dwarf_dieoffset(&m) > prev);
	return false;
}

/* "struct x", "union x" or a bare name (struct, union, then typedef). */
static bool lookup_type(struct sdei_dwarf *d, const char *type, Dwarf_Die *ret)
{
	unsigned int kinds = KIND_STRUCT | KIND_UNION | KIND_TYPEDEF;

	while (*type == ' ')
		type++;
	if (!strncmp(type, "struct ", 7)) {
		kinds = KIND_STRUCT;
		type += 7;
	} else if (!strncmp(type, "union ", 6)) {
		kinds = KIND_UNION;
		type += 6;
	}
	while (*type == ' ')
		type++;
	if (!*type || strchr(type, ' ') || !find_type(d, type, kinds, ret))
		return false;
	return strip_type(d, ret) && is_aggregate(ret);
}

static bool resolve(struct sdei_dwarf *d, const char *type,
		    const char *member, uint64_t *offset_ret,
		    uint64_t *size_ret)
{
	Dwarf_Die agg, t;
	uint64_t total, off = 0, inner, size;
	const char *p, *dot;

	if (!lookup_type(d, type, &agg) || !type_size(d, &agg, 0, &total))
		return false;
	if (!member) {
		*offset_ret = 0;
		*size_ret = total;
		return true;
	}
	/* "a.b.c": members of members, offsets summed */
	t = agg;
	for (p = member;; p = dot + 1) {
		dot = strchr(p, '.');
		if (!dot)
			dot = p + strlen(p);
		if (dot == p || !find_member(d, &t, p, (size_t)(dot - p), 0,
					     &inner, &t) ||
		    __builtin_add_overflow(off, inner, &off))
			return false;
		if (!*dot)
			break;
		if (!strip_type(d, &t) || !is_aggregate(&t))
			return false;
	}
	if (!type_size(d, &t, 0, &size) || off > total || size > total - off)
		return false;
	*offset_ret = off;
	*size_ret = size;
	return true;
}

/*
 * sdei_dwarf_member() - offset and size of a member of a struct or union
 * @arg: a struct sdei_dwarf * (NULL gives false)
 * @type: "struct NAME", "union NAME", or a bare NAME (a struct, union
 *	or typedef naming one; struct first when several are known)
 * @member: a member name, anonymous struct and union members looked
 *	through, or a path "a.b" through nested members; NULL asks for the
 *	size of the whole type (offset 0, size = sizeof)
 * @offset_ret: byte offset of the member in the type
 * @size_ret: the member's size (typedefs, qualifiers and arrays followed;
 *	a flexible array is 0)
 *
 * Return: false when the type or member does not exist, is a bit field,
 * or the DWARF describing it is malformed. Not thread-safe: the lazy
 * index and the memo are updated in place.
 */
bool sdei_dwarf_member(void *arg, const char *type, const char *member,
		       uint64_t *offset_ret, uint64_t *size_ret)
{
	struct sdei_dwarf *d = arg;
	struct dwarf_memo *m;
	uint64_t off = 0, size = 0;
	char *key;
	bool found;

	if (!d || !type)
		return false;
	/* '\n' cannot occur in a type name: the key is unambiguous */
	if (asprintf(&key, "%s\n%s", type, member ? member : "\1") < 0)
		key = NULL;
	m = key ? memo_get(d, key) : NULL;
	if (m) {
		free(key);
		found = m->found;
		off = m->offset;
		size = m->size;
	} else {
		found = resolve(d, type, member, &off, &size);
		if (key)
			memo_add(d, key, found, off, size);
	}
	if (found) {
		*offset_ret = off;
		*size_ret = size;
	}
	return found;
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

static bool is_debug_section(const char *name)
{
	return name && (!strncmp(name, ".debug_", 7) ||
			!strncmp(name, ".zdebug_", 8));
}

/*
 * Does the file have DWARF at all (a .debug_info with contents)? And do
 * relocations apply to it (a .o or .ko)?
 */
static struct sdei_error *has_dwarf(Elf *elf, const char *path, bool *ret,
				    bool *reloc_ret)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	*ret = false;
	*reloc_ret = false;
	if (elf_getshdrstrndx(elf, &shstrndx))
		return sdei_error_create(SDEI_ERROR_CORRUPT, "'%s': %s", path,
					 elf_errmsg(-1));
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		const char *name;

		if (!gelf_getshdr(scn, &shdr))
			return sdei_error_create(SDEI_ERROR_CORRUPT,
						 "'%s': %s", path,
						 elf_errmsg(-1));
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (shdr.sh_type == SHT_REL || shdr.sh_type == SHT_RELA) {
			Elf_Scn *target = elf_getscn(elf, shdr.sh_info);
			GElf_Shdr tshdr;

			if (target && gelf_getshdr(target, &tshdr) &&
			    is_debug_section(elf_strptr(elf, shstrndx,
							tshdr.sh_name)))
				*reloc_ret = true;
			continue;
		}
		if (!name || (strcmp(name, ".debug_info") &&
			      strcmp(name, ".zdebug_info")))
			continue;
		if (shdr.sh_type != SHT_NOBITS && shdr.sh_size)
			*ret = true;
	}
	return NULL;
}

static int no_debuginfo(Dwfl_Module *mod, void **userdata,
			const char *modname, Dwarf_Addr base,
			const char *file_name, const char *debuglink_file,
			GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	(void)mod, (void)userdata, (void)modname, (void)base;
	(void)file_name, (void)debuglink_file, (void)debuglink_crc;
	(void)debuginfo_file_name;
	return -1;		/* only the file we were given */
}

/*
 * A relocatable object (a .o, a .ko) keeps its DWARF's string and unit
 * offsets in relocations, which libdw alone does not apply: libdwfl's
 * offline mode does.
 */
static struct sdei_error *open_relocatable(struct sdei_dwarf *d,
					   const char *path)
{
	static const Dwfl_Callbacks callbacks = {
		.find_debuginfo = no_debuginfo,
		.section_address = dwfl_offline_section_address,
	};
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	int fd;

	d->dwfl = dwfl_begin(&callbacks);
	if (!d->dwfl)
		return sdei_error_create(SDEI_ERROR_OTHER, "'%s': %s", path,
					 dwfl_errmsg(-1));
	fd = dup(d->fd);		/* libdwfl closes what it is given */
	if (fd < 0)
		return sdei_error_errno(errno, "'%s'", path);
	mod = dwfl_report_offline(d->dwfl, path, path, fd);
	if (!mod) {
		close(fd);
		return sdei_error_create(SDEI_ERROR_CORRUPT, "'%s': %s", path,
					 dwfl_errmsg(-1));
	}
	dwfl_report_end(d->dwfl, NULL, NULL);
	d->dw = dwfl_module_getdwarf(mod, &bias);
	if (!d->dw)
		return sdei_error_create(SDEI_ERROR_CORRUPT, "'%s': %s", path,
					 dwfl_errmsg(-1));
	return NULL;
}

/*
 * sdei_dwarf_open() - prepare to read struct layouts from a file's DWARF
 * @vmlinux: an ELF file (vmlinux, a .debug file, a .o or .ko)
 * @ret: the handle, or NULL (and no error) when the file has no DWARF
 *
 * Only the ELF headers are read here; the DWARF is indexed lazily by
 * sdei_dwarf_member().
 *
 * Return: NULL, or an error for an unreadable, non-ELF or corrupt file.
 */
struct sdei_error *sdei_dwarf_open(const char *vmlinux,
				   struct sdei_dwarf **ret)
{
	struct sdei_dwarf *d;
	struct sdei_error *err;
	GElf_Ehdr ehdr;
	bool dwarf, reloc;

	*ret = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return &sdei_error_nomem;
	d->fd = open(vmlinux, O_RDONLY | O_CLOEXEC);
	if (d->fd < 0) {
		err = sdei_error_errno(errno, "'%s'", vmlinux);
		goto fail;
	}
	elf_version(EV_CURRENT);
	d->elf = elf_begin(d->fd, ELF_C_READ_MMAP, NULL);
	if (!d->elf || elf_kind(d->elf) != ELF_K_ELF) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
					"'%s': not an ELF file", vmlinux);
		goto fail;
	}
	if (!gelf_getehdr(d->elf, &ehdr)) {
		err = sdei_error_create(SDEI_ERROR_CORRUPT, "'%s': %s",
					vmlinux, elf_errmsg(-1));
		goto fail;
	}
	err = has_dwarf(d->elf, vmlinux, &dwarf, &reloc);
	if (err || !dwarf)
		goto fail;
	if (ehdr.e_type == ET_REL && reloc) {
		elf_end(d->elf);
		d->elf = NULL;
		err = open_relocatable(d, vmlinux);
		if (err)
			goto fail;
	} else {
		d->dw = dwarf_begin_elf(d->elf, DWARF_C_READ, NULL);
		if (!d->dw) {
			err = sdei_error_create(SDEI_ERROR_CORRUPT,
						"'%s': %s", vmlinux,
						dwarf_errmsg(-1));
			goto fail;
		}
	}
	*ret = d;
	return NULL;

fail:
	sdei_dwarf_close(d);
	return err;
}

/* sdei_dwarf_close() - free a handle; NULL is accepted */
void sdei_dwarf_close(struct sdei_dwarf *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->memo_alloc; i++)
		free(d->memo[i].key);
	free(d->memo);
	free(d->types);
	if (d->dwfl)
		dwfl_end(d->dwfl);	/* owns d->dw */
	else if (d->dw)
		dwarf_end(d->dw);
	if (d->elf)
		elf_end(d->elf);
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}
