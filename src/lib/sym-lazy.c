// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tables read lazily: a sorted System.map (sym-map.c) and the kallsyms
 * tables of dump memory (sym-kallsyms.c) are not kept in memory.
 *
 * Their source makes one pass, which catches the hot names (symtab.c)
 * and hands every symbol worth keeping to sdei_sym_lazy_add(): the index
 * keeps every SDEI_LAZY_SEG-th one's address and place in the source,
 * once over all symbols and once over the text symbols. Symbolize finds
 * the segment by binary search and has the source decode it again; a
 * few decoded segments are kept. A lookup of a name outside the hot set
 * has the source build the full table (ops->expand), as other sources
 * are kept.
 *
 * On a cold start, memory touched is what costs (every new page is a
 * fault): the index of a distribution map is 40 KiB, where the symbols,
 * their names and a hash of them made 7 MB.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sym.h"

/* What slots get when the source gives no memory of its own. */
#define LAZY_STORE	49152

static bool is_global(char type)
{
	return type >= 'A' && type <= 'Z';
}

/* ---- the index ----------------------------------------------------- */

static struct sdei_error *index_reserve(struct sdei_lazy_index *x, size_t n,
					bool aux)
{
	uint64_t *a;
	uint32_t *o;

	if (n <= x->alloc)
		return NULL;
	a = realloc(x->addr, n * sizeof(*a));
	if (!a)
		return &sdei_error_nomem;
	x->addr = a;
	o = realloc(x->off, n * sizeof(*o));
	if (!o)
		return &sdei_error_nomem;
	x->off = o;
	o = realloc(x->first, n * sizeof(*o));
	if (!o)
		return &sdei_error_nomem;
	x->first = o;
	if (aux) {
		o = realloc(x->aux, n * sizeof(*o));
		if (!o)
			return &sdei_error_nomem;
		x->aux = o;
	}
	x->alloc = n;
	return NULL;
}

struct sdei_error *sdei_sym_lazy_reserve(struct sdei_sym_lazy *lazy, size_t n)
{
	struct sdei_error *err;

	for (int k = 0; k < SDEI_LAZY_KINDS; k++) {
		struct sdei_lazy_index *x = &lazy->idx[k];

		err = index_reserve(x, n / SDEI_LAZY_SEG + 4, x->aux);
		if (err)
			return err;
	}
	return NULL;
}

/* A new segment starts with this symbol. */
struct sdei_error *sdei_lazy_mark(struct sdei_lazy_index *x, uint64_t addr,
				  uint64_t off, uint32_t aux)
{
	struct sdei_error *err;

	if (x->nr && x->end - x->off[x->nr - 1] > x->max_span)
		x->max_span = x->end - x->off[x->nr - 1];
	if (x->nr == x->alloc) {
		err = index_reserve(x, x->alloc ? x->alloc * 2 : 64, x->aux);
		if (err)
			return err;
	}
	x->addr[x->nr] = addr;
	x->off[x->nr] = (uint32_t)off;
	x->first[x->nr] = (uint32_t)x->count;
	if (x->aux)
		x->aux[x->nr] = aux;
	x->nr++;
	x->left = SDEI_LAZY_SEG;
	return NULL;
}

static size_t seg_count(const struct sdei_lazy_index *x, size_t seg)
{
	return (size_t)((seg + 1 < x->nr ? x->first[seg + 1] : x->count) -
			x->first[seg]);
}

/* ---- segments ------------------------------------------------------ */

/* Each slot's share of @store: its entries, then room for their names. */
static size_t slot_size(const struct sdei_sym_lazy *lazy)
{
	return lazy->store_len / SDEI_LAZY_SLOTS & ~(size_t)15;
}

/* Carves the slots out of @store, which the pass no longer needs. */
static bool slots_init(struct sdei_sym_lazy *lazy)
{
	size_t per;

	if (!lazy->store) {
		lazy->store = malloc(LAZY_STORE);
		if (!lazy->store)
			return false;
		lazy->store_len = LAZY_STORE;
	}
	per = slot_size(lazy);
	for (int i = 0; i < SDEI_LAZY_SLOTS; i++) {
		struct sdei_lazy_slot *sl = &lazy->slot[i];

		sl->kind = -1;
		sl->ent = (struct sdei_lazy_ent *)(void *)(lazy->store +
							   i * per);
		sl->text = (char *)(sl->ent + SDEI_LAZY_SEG);
		sl->cap = per - SDEI_LAZY_SEG * sizeof(*sl->ent);
	}
	lazy->slots_ready = true;
	return true;
}

char *sdei_sym_seg_scratch(struct sdei_sym_seg *sg, size_t len)
{
	struct sdei_sym_lazy *lazy = sg->tab->lazy;

	if (len >= lazy->scratch_len) {
		char *b = realloc(lazy->scratch, len + 1);

		if (!b)
			return NULL;
		lazy->scratch = b;
		lazy->scratch_len = len + 1;
	}
	return lazy->scratch;
}

bool sdei_sym_seg_put(struct sdei_sym_seg *sg, uint64_t addr, char type,
		      const char *name, size_t len, uint32_t key)
{
	struct sdei_lazy_slot *sl = sg->slot;
	struct sdei_lazy_ent *e;
	char *text;

	if (sg->kind == SDEI_LAZY_TEXT && !sdei_sym_is_text(type))
		return true;
	if (sl->nr == sg->want || (sl->nr && addr < sg->prev)) {
		sg->bad = true;
		return false;
	}
	sg->prev = addr;
	text = sl->big ? sl->big : sl->text;
	if (sl->len + len + 1 > sl->cap) {
		size_t cap = (sl->len + len + 1) * 2;
		char *b = realloc(sl->big, cap);

		if (!b) {
			sg->bad = true;
			return false;
		}
		if (!sl->big)
			memcpy(b, sl->text, sl->len);
		sl->big = text = b;
		sl->cap = cap;
	}
	memcpy(text + sl->len, name, len);
	text[sl->len + len] = '\0';
	e = &sl->ent[sl->nr++];
	e->addr = addr + sg->tab->reloc;
	e->name = (uint32_t)sl->len;
	e->key = key;
	e->type = type;
	sl->len += len + 1;
	/* the last one: what follows may be cut off by @len */
	return sl->nr < sg->want;
}

/*
 * Segment @seg of index @kind, decoded: the source must give what the
 * pass saw (one rewritten since then gives no names rather than wrong
 * ones). NULL: not available.
 */
static const struct sdei_lazy_slot *seg_get(const struct sdei_symtab *tab,
					    int kind, size_t seg)
{
	struct sdei_sym_lazy *lazy = tab->lazy;
	const struct sdei_lazy_index *x = &lazy->idx[kind];
	struct sdei_lazy_slot *sl, *victim = NULL;
	struct sdei_sym_seg sg = { .kind = kind, .seg = seg, .tab = tab };
	uint64_t end;

	if (seg >= x->nr || (!lazy->slots_ready && !slots_init(lazy)))
		return NULL;
	for (int i = 0; i < SDEI_LAZY_SLOTS; i++) {
		sl = &lazy->slot[i];
		if (sl->kind == kind && sl->seg == seg) {
			sl->used = ++lazy->clock;
			return sl->bad ? NULL : sl;
		}
		if (!victim || sl->used < victim->used)
			victim = sl;
	}
	sl = victim;
	if (sl->big) {
		free(sl->big);
		sl->big = NULL;
		sl->cap = slot_size(lazy) - SDEI_LAZY_SEG * sizeof(*sl->ent);
	}
	sl->kind = kind;
	sl->seg = seg;
	sl->used = ++lazy->clock;
	sl->bad = true;
	sl->nr = 0;
	sl->len = 0;
	end = seg + 1 < x->nr ? x->off[seg + 1] : x->end;
	sg.off = x->off[seg];
	if (end < sg.off)
		return NULL;
	/* not the gap before the next segment */
	sg.len = (size_t)(end - sg.off < x->max_span ? end - sg.off :
						       x->max_span);
	sg.aux = x->aux ? x->aux[seg] : 0;
	sg.slot = sl;
	sg.want = (unsigned int)seg_count(x, seg);
	if (!lazy->ops->decode(tab, lazy->src, &sg) || sg.bad ||
	    sl->nr != sg.want || sl->ent[0].addr != x->addr[seg])
		return NULL;
	sl->bad = false;
	return sl;
}

static const char *slot_text(const struct sdei_lazy_slot *sl)
{
	return sl->big ? sl->big : sl->text;
}

static bool cur_prev(const struct sdei_lazy_index *x, size_t *seg,
		     unsigned int *i)
{
	if (*i) {
		(*i)--;
		return true;
	}
	if (!*seg)
		return false;
	(*seg)--;
	*i = (unsigned int)seg_count(x, *seg) - 1;
	return true;
}

static bool cur_next(const struct sdei_lazy_index *x, size_t *seg,
		     unsigned int *i)
{
	if (*i + 1 < seg_count(x, *seg)) {
		(*i)++;
		return true;
	}
	if (*seg + 1 >= x->nr)
		return false;
	(*seg)++;
	*i = 0;
	return true;
}

/* ---- symbolize ----------------------------------------------------- */

static size_t name_slot(uint64_t key, size_t mask)
{
	return (size_t)(key * 0x9e3779b97f4a7c15ull >> 40) & mask;
}

/*
 * The name with @key (@text, @len long) as a string that lives as long
 * as the table: symbolize's callers keep what it returns.
 */
static const char *name_at(struct sdei_sym_lazy *lazy, uint64_t key,
			   const char *text, size_t len)
{
	size_t i;
	char *s;

	for (i = lazy->names ? name_slot(key, lazy->names_mask) : 0;
	     lazy->names && lazy->names[i].str;
	     i = (i + 1) & lazy->names_mask) {
		if (lazy->names[i].key == key)
			return lazy->names[i].str;
	}
	if (!lazy->names || (lazy->nr_names + 1) * 2 > lazy->names_mask + 1) {
		size_t size = lazy->names ? (lazy->names_mask + 1) * 2 : 64;
		struct sdei_lazy_name *t = calloc(size, sizeof(*t));

		if (!t)
			return NULL;
		for (size_t k = 0; lazy->names && k <= lazy->names_mask; k++) {
			if (!lazy->names[k].str)
				continue;
			i = name_slot(lazy->names[k].key, size - 1);
			while (t[i].str)
				i = (i + 1) & (size - 1);
			t[i] = lazy->names[k];
		}
		free(lazy->names);
		lazy->names = t;
		lazy->names_mask = size - 1;
	}
	s = strndup(text, len);
	if (!s)
		return NULL;
	i = name_slot(key, lazy->names_mask);
	while (lazy->names[i].str)
		i = (i + 1) & lazy->names_mask;
	lazy->names[i].key = key;
	lazy->names[i].str = s;
	lazy->nr_names++;
	return s;
}

/*
 * sdei_symtab_symbolize() over the index: the same answers as
 * sym_containing() and sym_pick() over the full table (symtab.c).
 */
static const char *lazy_symbolize(const struct sdei_symtab *tab,
				  uint64_t addr, uint64_t *offset_ret)
{
	struct sdei_sym_lazy *lazy = tab->lazy;
	bool text = tab->text_end && addr >= tab->text_start &&
		    addr < tab->text_end;
	int kind = text ? SDEI_LAZY_TEXT : SDEI_LAZY_ALL;
	const struct sdei_lazy_index *x = &lazy->idx[kind];
	uint64_t limit = text ? tab->text_end : 0, base, next;
	size_t lo = 0, hi = x->nr, seg, bseg, steps = 0;
	const struct sdei_lazy_slot *sl;
	struct sdei_lazy_ent best;
	const char *name, *t;
	unsigned int i, bi;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->addr[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	seg = lo - 1;
	sl = seg_get(tab, kind, seg);
	if (!sl)
		return NULL;
	lo = 0;
	hi = sl->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sl->ent[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	i = (unsigned int)lo - 1;
	best = sl->ent[i];
	base = best.addr;
	bseg = seg;
	bi = i;
	/* the first symbol after @addr bounds the match; none: no bound */
	if (cur_next(x, &seg, &i)) {
		sl = seg_get(tab, kind, seg);
		if (!sl)
			return NULL;
		next = sl->ent[i].addr;
	} else if (limit) {
		next = limit;
	} else {
		return NULL;
	}
	if (limit && limit < next)
		next = limit;
	if (addr >= next || next - base > SDEI_SYM_MAX_SIZE)
		return NULL;

	for (i = 0; i < lazy->nr_pick; i++) {
		if (lazy->pick[i].kind == kind && lazy->pick[i].addr == base) {
			name = lazy->pick[i].name;
			goto found;
		}
	}
	/* walking backwards: take the earliest global */
	seg = bseg;
	i = bi;
	while (cur_prev(x, &seg, &i)) {
		const struct sdei_lazy_ent *e;

		sl = seg_get(tab, kind, seg);
		if (!sl)
			return NULL;
		e = &sl->ent[i];
		if (e->addr != base)
			break;
		if (is_global(e->type) || !is_global(best.type)) {
			best = *e;
			bseg = seg;
			bi = i;
		}
		steps++;
	}
	sl = seg_get(tab, kind, bseg);
	if (!sl)
		return NULL;
	t = slot_text(sl) + best.name;
	name = name_at(lazy, best.key, t, strlen(t));
	if (name && steps > SDEI_LAZY_SEG) {
		/* a long run at one address: not to be walked again */
		unsigned int k = lazy->nr_pick < SDEI_LAZY_PICKS ?
				 lazy->nr_pick++ :
				 (unsigned int)(lazy->clock % SDEI_LAZY_PICKS);

		lazy->pick[k].kind = kind;
		lazy->pick[k].addr = base;
		lazy->pick[k].name = name;
	}
found:
	if (name && offset_ret)
		*offset_ret = addr - base;
	return name;
}

/* ---- the table ----------------------------------------------------- */

static void lazy_relocate(struct sdei_sym_lazy *lazy, uint64_t offset)
{
	for (int k = 0; k < SDEI_LAZY_KINDS; k++) {
		struct sdei_lazy_index *x = &lazy->idx[k];

		for (size_t i = 0; i < x->nr; i++)
			x->addr[i] += offset;
	}
	lazy->nr_pick = 0;
	/* decoded with the old offset */
	for (int i = 0; i < SDEI_LAZY_SLOTS; i++)
		lazy->slot[i].kind = -1;
}

static void lazy_destroy(struct sdei_sym_lazy *lazy)
{
	if (!lazy)
		return;
	if (lazy->ops && lazy->ops->destroy)
		lazy->ops->destroy(lazy->src);
	for (int k = 0; k < SDEI_LAZY_KINDS; k++) {
		free(lazy->idx[k].addr);
		free(lazy->idx[k].off);
		free(lazy->idx[k].first);
		free(lazy->idx[k].aux);
	}
	for (int i = 0; i < SDEI_LAZY_SLOTS; i++)
		free(lazy->slot[i].big);
	free(lazy->store);
	free(lazy->scratch);
	for (size_t i = 0; lazy->names && i <= lazy->names_mask; i++)
		free(lazy->names[i].str);
	free(lazy->names);
	free(lazy);
}

/* Once: a source that failed to read whole would fail again. */
static struct sdei_error *lazy_expand(struct sdei_symtab *tab)
{
	struct sdei_sym_lazy *lazy = tab->lazy;
	struct sdei_error *err;

	if (lazy->expand_failed)
		return sdei_error_create(SDEI_ERROR_OTHER,
					 "the symbols could not be read whole");
	err = lazy->ops->expand(tab, lazy->src);
	if (!err)
		return NULL;
	lazy->expand_failed = true;
	free(tab->syms);
	free(tab->by_addr);
	free(tab->text_by_addr);
	tab->syms = NULL;
	tab->by_addr = tab->text_by_addr = NULL;
	tab->nr = tab->alloc = tab->nr_by_addr = tab->nr_text = 0;
	return err;
}

static const struct sdei_sym_lazy_tab_ops lazy_tab_ops = {
	.symbolize = lazy_symbolize,
	.expand = lazy_expand,
	.relocate = lazy_relocate,
	.destroy = lazy_destroy,
};

struct sdei_error *sdei_sym_lazy_attach(struct sdei_symtab *tab,
					const struct sdei_sym_lazy_ops *ops,
					void *src, bool aux)
{
	struct sdei_sym_lazy *lazy = calloc(1, sizeof(*lazy));

	if (!lazy) {
		ops->destroy(src);
		return &sdei_error_nomem;
	}
	lazy->ops = ops;
	lazy->src = src;
	tab->lazy = lazy;
	tab->lazy_ops = &lazy_tab_ops;
	for (int k = 0; aux && k < SDEI_LAZY_KINDS; k++) {
		/* a non-NULL @aux asks index_reserve() for the array */
		lazy->idx[k].aux = malloc(sizeof(uint32_t));
		if (!lazy->idx[k].aux)
			return &sdei_error_nomem;
	}
	return NULL;
}

struct sdei_error *sdei_sym_lazy_done(struct sdei_symtab *tab, bool sorted,
				      char *store, size_t store_len)
{
	struct sdei_sym_lazy *lazy = tab->lazy;

	for (int k = 0; k < SDEI_LAZY_KINDS; k++) {
		struct sdei_lazy_index *x = &lazy->idx[k];

		if (x->nr && x->end - x->off[x->nr - 1] > x->max_span)
			x->max_span = x->end - x->off[x->nr - 1];
	}
	/* room for the entries and some names in each slot */
	if (store && store_len >= SDEI_LAZY_SLOTS * 4096) {
		lazy->store = store;
		lazy->store_len = store_len;
	} else {
		free(store);
	}
	/* out of address order: the index cannot serve, the table can */
	return sorted ? NULL : lazy_expand(tab);
}
