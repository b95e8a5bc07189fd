// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The symbol table behind every source: the hot names caught while it is
 * filled, a name hash built when a lookup needs more, and address-sorted
 * indices for symbolization. Sources fill it through sdei_sym_add() and
 * call sdei_sym_finish().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sym.h"

struct sdei_symtab *sdei_sym_create(enum sdei_symsrc source)
{
	struct sdei_symtab *tab = calloc(1, sizeof(*tab));

	if (tab)
		tab->source = source;
	return tab;
}

static void sym_hot_free(struct sdei_sym_hot *hot)
{
	if (!hot)
		return;
	free(hot->copies);
	free(hot->hit);
	free(hot->hit_next);
	free(hot);
}

void sdei_symtab_destroy(struct sdei_symtab *tab)
{
	if (!tab)
		return;
	free(tab->path);
	free(tab->describe);
	sym_hot_free(tab->hot);
	if (tab->lazy)
		tab->lazy_ops->destroy(tab->lazy);
	free(tab->syms);
	if (tab->arena_mapped)
		munmap(tab->arena, tab->arena_mapped);
	else
		free(tab->arena);
	free(tab->hash);
	free(tab->dup_next);
	free(tab->by_addr);
	free(tab->text_by_addr);
	free(tab);
}

enum sdei_symsrc sdei_symtab_source(const struct sdei_symtab *tab)
{
	return tab ? tab->source : SDEI_SYMSRC_NONE;
}

const char *sdei_symtab_describe(const struct sdei_symtab *tab)
{
	return tab && tab->describe ? tab->describe : "no symbols";
}

bool sdei_symtab_has_data(const struct sdei_symtab *tab)
{
	return tab && tab->has_data;
}

/* ---- hot names ---------------------------------------------------- */

/*
 * What the analysis looks up (analyze.c, stack.c; ../shared/DESIGN.md's
 * list of symbols read from memory and of stop-path functions) and what
 * sdei_sym_ranges() needs. A name missing here is found all the same: its
 * first lookup builds the name hash, and a lazy table (System.map,
 * kallsyms) reads its whole source for that, which costs what loading
 * did before this set. Keep the list in step with the analysis for speed,
 * not for correctness.
 */
static const char *const sym_hot_names[] = {
	"_stext", "_text", "_etext", "__per_cpu_offset", "__per_cpu_start",
	"crash_notes", "nr_cpu_ids", "panic_cpu", "__cpu_possible_mask",
	"__cpu_present_mask", "__cpu_online_mask", "__cpu_active_mask",
	"__irq_regs", "irq_stack_ptr", "overflow_stack", "__entry_task",
	"sdei_active_normal_event", "sdei_active_critical_event",
	"sdei_stack_normal_ptr", "sdei_stack_critical_ptr",
	"sdei_nmi_stopping", "enable_pseudo_nmi", "supports_pseudo_nmis",
	"crash_stop",
	"waiting_for_crash_ipi", "ipi_desc", "kasan_init", "__asan_load8",
	"__crash_kexec", "crash_save_cpu", "ipi_handler", "do_handle_IPI",
	"ipi_cpu_crash_stop", "local_cpu_stop", "panic_smp_self_stop",
	"arm64_nmi_cpu_stop", "sdei_nmi_handler", "__sdei_handler",
	"do_sdei_event", "handle_percpu_devid_irq",
	"handle_percpu_devid_fasteoi_nmi", "gic_handle_irq",
	"__gic_handle_irq_from_irqsoff", "call_on_irq_stack", "el1h_64_irq",
	"el0t_64_irq", "default_idle_call", "arch_cpu_idle", "cpu_park_loop",
	"panic", "machine_kexec",
};

static int hot_find(const struct sdei_sym_hot *hot, const char *name,
		    size_t len)
{
	unsigned int i;

	if (!len)
		return -1;
	for (i = hot->slot[sdei_sym_hot_key(name, len)]; i;
	     i = hot->n[i - 1].next) {
		if (hot->n[i - 1].len == len &&
		    !memcmp(hot->n[i - 1].name, name, len))
			return (int)i - 1;
	}
	return -1;
}

static void hot_add_name(struct sdei_sym_hot *hot, const char *name,
			 size_t len)
{
	unsigned int k, i;

	if (!len || hot->nr == SDEI_SYM_HOT_MAX ||
	    hot_find(hot, name, len) >= 0)
		return;
	k = sdei_sym_hot_key(name, len);
	i = hot->nr++;
	hot->n[i].name = name;
	hot->n[i].len = len;
	hot->n[i].next = hot->slot[k];
	hot->slot[k] = (uint8_t)(i + 1);
}

struct sdei_error *sdei_sym_hot_init(struct sdei_symtab *tab,
				     const char *vmcoreinfo)
{
	struct sdei_sym_hot *hot = calloc(1, sizeof(*hot));
	const char *p = vmcoreinfo;
	char *c;

	if (!hot)
		return &sdei_error_nomem;
	for (size_t i = 0; i < sizeof(sym_hot_names) / sizeof(*sym_hot_names);
	     i++)
		hot_add_name(hot, sym_hot_names[i], strlen(sym_hot_names[i]));
	/* every SYMBOL() of VMCOREINFO: sdei_sym_check_vmcoreinfo() */
	if (p) {
		hot->copies = malloc(strlen(p) + 1);
		if (!hot->copies) {
			sym_hot_free(hot);
			return &sdei_error_nomem;
		}
	}
	c = hot->copies;
	while (p && *p) {
		const char *eol = strchr(p, '\n'), *close;

		if (!eol)
			eol = p + strlen(p);
		if (!strncmp(p, "SYMBOL(", 7)) {
			close = memchr(p, ')', (size_t)(eol - p));
			if (close && close[1] == '=') {
				size_t len = (size_t)(close - p - 7);

				memcpy(c, p + 7, len);
				c[len] = '\0';
				hot_add_name(hot, c, len);
				c += len + 1;
			}
		}
		p = *eol ? eol + 1 : eol;
	}
	sym_hot_free(tab->hot);
	tab->hot = hot;
	return NULL;
}

struct sdei_error *sdei_sym_hot_match(struct sdei_sym_hot *hot,
				      unsigned int first, const char *name,
				      size_t len, char type, uint64_t addr)
{
	unsigned int i;
	size_t h;

	for (i = first; i; i = hot->n[i - 1].next) {
		if (hot->n[i - 1].len == len &&
		    !memcmp(hot->n[i - 1].name, name, len))
			break;
	}
	if (!i)
		return NULL;
	if (hot->nr_hit == hot->alloc_hit) {
		size_t n = hot->alloc_hit ? hot->alloc_hit * 2 : 64;
		struct sdei_sym *v;
		uint32_t *nx;

		if (n > UINT32_MAX - 1)
			return sdei_error_create(SDEI_ERROR_CORRUPT,
						 "too many symbols");
		v = realloc(hot->hit, n * sizeof(*v));
		if (!v)
			return &sdei_error_nomem;
		hot->hit = v;
		nx = realloc(hot->hit_next, n * sizeof(*nx));
		if (!nx)
			return &sdei_error_nomem;
		hot->hit_next = nx;
		hot->alloc_hit = n;
	}
	h = hot->nr_hit++;
	hot->hit[h].addr = addr;
	hot->hit[h].name = 0;
	hot->hit[h].type = type;
	hot->hit_next[h] = 0;
	if (hot->n[i - 1].tail)
		hot->hit_next[hot->n[i - 1].tail - 1] = (uint32_t)h + 1;
	else
		hot->n[i - 1].head = (uint32_t)h + 1;
	hot->n[i - 1].tail = (uint32_t)h + 1;
	return NULL;
}

/* ---- filling ------------------------------------------------------ */

struct sdei_error *sdei_sym_reserve(struct sdei_symtab *tab, size_t n)
{
	struct sdei_sym *v;

	if (n <= tab->alloc)
		return NULL;
	if (n > UINT32_MAX - 1)
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "too many symbols");
	v = realloc(tab->syms, n * sizeof(*v));
	if (!v)
		return &sdei_error_nomem;
	tab->syms = v;
	tab->alloc = n;
	return NULL;
}

static struct sdei_error *sym_grow(struct sdei_symtab *tab)
{
	return sdei_sym_reserve(tab, tab->alloc ? tab->alloc * 2 : 4096);
}

struct sdei_error *sdei_sym_add_at(struct sdei_symtab *tab, uint32_t name_off,
				   char type, uint64_t addr)
{
	struct sdei_error *err;
	struct sdei_sym *s;

	if (tab->nr == tab->alloc) {
		err = sym_grow(tab);
		if (err)
			return err;
	}
	s = &tab->syms[tab->nr++];
	s->addr = addr;
	s->name = name_off;
	s->type = type;
	return NULL;
}

struct sdei_error *sdei_sym_add(struct sdei_symtab *tab, const char *name,
				size_t len, char type, uint64_t addr)
{
	size_t need = tab->arena_len + len + 1;
	struct sdei_error *err;
	uint32_t off;

	if (need > UINT32_MAX)
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "symbol names exceed 4 GiB");
	if (need > tab->arena_alloc) {
		size_t n = tab->arena_alloc ? tab->arena_alloc : 65536;
		char *a;

		while (n < need)
			n *= 2;
		a = realloc(tab->arena, n);
		if (!a)
			return &sdei_error_nomem;
		tab->arena = a;
		tab->arena_alloc = n;
	}
	err = sdei_sym_hot_note(tab, name, len, type, addr);
	if (err)
		return err;
	off = (uint32_t)tab->arena_len;
	memcpy(tab->arena + off, name, len);
	tab->arena[off + len] = '\0';
	tab->arena_len = need;
	return sdei_sym_add_at(tab, off, type, addr);
}

void sdei_sym_relocate(struct sdei_symtab *tab, uint64_t offset)
{
	if (!offset)
		return;
	for (size_t i = 0; i < tab->nr; i++)
		tab->syms[i].addr += offset;
	for (size_t i = 0; tab->hot && i < tab->hot->nr_hit; i++)
		tab->hot->hit[i].addr += offset;
	if (tab->lazy)
		tab->lazy_ops->relocate(tab->lazy, offset);
	if (tab->text_start)
		tab->text_start += offset;
	if (tab->text_end)
		tab->text_end += offset;
	tab->reloc += offset;
}

/* ---- the name hash ------------------------------------------------ */

/* FNV-1a: short names need no more */
static uint32_t sym_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static bool sym_is_global(char type)
{
	return type >= 'A' && type <= 'Z';
}

static const struct sdei_symtab *sort_tab;

static int sym_cmp_addr(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	uint64_t x = sort_tab->syms[i].addr, y = sort_tab->syms[j].addr;

	if (x != y)
		return x < y ? -1 : 1;
	return i < j ? -1 : i > j;	/* stable: file order */
}

static struct sdei_error *sym_build_hash(struct sdei_symtab *tab)
{
	uint32_t *tail;
	size_t size = 1024;

	/* load factor at most 3/4: memory is what a cold load pays for */
	while (size < tab->nr + tab->nr / 3)
		size *= 2;
	tab->hash = calloc(size, sizeof(*tab->hash));
	tab->dup_next = calloc(tab->nr + 1, sizeof(*tab->dup_next));
	tail = malloc((tab->nr + 1) * sizeof(*tail));
	if (!tab->hash || !tab->dup_next || !tail) {
		free(tail);
		free(tab->hash);
		free(tab->dup_next);
		tab->hash = NULL;
		tab->dup_next = NULL;
		return &sdei_error_nomem;
	}
	tab->hash_mask = size - 1;
	for (size_t i = 0; i < tab->nr; i++) {
		const char *name = tab->arena + tab->syms[i].name;
		uint32_t h = sym_hash(name);
		size_t slot = h & tab->hash_mask;
		uint64_t v;

		while ((v = tab->hash[slot])) {
			uint32_t head = (uint32_t)v - 1;

			if ((uint32_t)(v >> 32) == h &&
			    !strcmp(tab->arena + tab->syms[head].name, name)) {
				/* a duplicate: append to its name's chain */
				tab->dup_next[tail[head]] = (uint32_t)i + 1;
				tail[head] = (uint32_t)i;
				break;
			}
			slot = (slot + 1) & tab->hash_mask;
		}
		if (!v) {
			tab->hash[slot] = (uint64_t)h << 32 | ((uint32_t)i + 1);
			tail[i] = (uint32_t)i;
		}
	}
	free(tail);
	return NULL;
}

/*
 * The symbols of one name, in the order they were added: a chain in the
 * hot set or in the hash (index + 1 in @next, the links in @chain), or,
 * when memory for the hash ran out, a scan of every symbol.
 */
struct sym_iter {
	const char *name;
	const struct sdei_sym *base;
	const uint32_t *chain;
	uint32_t next;
	bool scan;
	size_t pos;
};

static void sym_iter_init(const struct sdei_symtab *tab, struct sym_iter *it,
			  const char *name)
{
	/*
	 * The name index is a cache that lookups fill: the table is never
	 * defined const, and the library has no threads.
	 */
	struct sdei_symtab *w = (struct sdei_symtab *)tab;
	size_t len = strlen(name);
	struct sdei_error *err;
	uint32_t h;
	int k;

	memset(it, 0, sizeof(*it));
	it->name = name;
	if (!tab)
		return;
	if (tab->hot && (k = hot_find(tab->hot, name, len)) >= 0) {
		it->base = tab->hot->hit;
		it->chain = tab->hot->hit_next;
		it->next = tab->hot->n[k].head;
		return;
	}
	if (!tab->hash && tab->lazy && !tab->nr) {
		/* a lazy table: the whole source, once */
		err = tab->lazy_ops->expand(w);
		if (err) {
			sdei_error_destroy(err);
			return;
		}
	}
	if (!tab->nr)
		return;
	if (!tab->hash) {
		err = sym_build_hash(w);
		if (err) {
			sdei_error_destroy(err);
			it->scan = true;
			return;
		}
	}
	h = sym_hash(name);
	for (size_t slot = h & tab->hash_mask;;
	     slot = (slot + 1) & tab->hash_mask) {
		uint64_t v = tab->hash[slot];
		uint32_t i = (uint32_t)v - 1;

		if (!v)
			return;
		/* the slot's hash spares most visits to the symbol */
		if ((uint32_t)(v >> 32) == h &&
		    !strcmp(tab->arena + tab->syms[i].name, name)) {
			it->base = tab->syms;
			it->chain = tab->dup_next;
			it->next = i + 1;
			return;
		}
	}
}

static const struct sdei_sym *sym_iter_next(const struct sdei_symtab *tab,
					    struct sym_iter *it)
{
	const struct sdei_sym *s;

	if (it->scan) {
		while (it->pos < tab->nr) {
			s = &tab->syms[it->pos++];
			if (!strcmp(tab->arena + s->name, it->name))
				return s;
		}
		return NULL;
	}
	if (!it->next)
		return NULL;
	s = &it->base[it->next - 1];
	it->next = it->chain[it->next - 1];
	return s;
}

static const struct sdei_sym *sym_find(const struct sdei_symtab *tab,
				       const char *name)
{
	struct sym_iter it;

	sym_iter_init(tab, &it, name);
	return sym_iter_next(tab, &it);
}

/* The global symbol of that name if there is one, else the first. */
static const struct sdei_sym *sym_find_best(const struct sdei_symtab *tab,
					    const char *name)
{
	const struct sdei_sym *first = NULL, *s;
	struct sym_iter it;

	sym_iter_init(tab, &it, name);
	while ((s = sym_iter_next(tab, &it))) {
		if (sym_is_global(s->type))
			return s;
		if (!first)
			first = s;
	}
	return first;
}

/* ---- finishing ---------------------------------------------------- */

struct sdei_error *sdei_sym_index(struct sdei_symtab *tab, bool sorted)
{
	size_t i;

	for (i = 1; sorted && i < tab->nr; i++) {
		if (tab->syms[i].addr < tab->syms[i - 1].addr)
			sorted = false;
	}
	tab->nr_by_addr = tab->nr;
	if (!sorted) {
		tab->by_addr = malloc(tab->nr * sizeof(*tab->by_addr));
		if (!tab->by_addr)
			return &sdei_error_nomem;
		for (i = 0; i < tab->nr; i++)
			tab->by_addr[i] = (uint32_t)i;
		/*
		 * qsort has no context argument in C11; tables are built
		 * one at a time (the library has no threads).
		 */
		sort_tab = tab;
		qsort(tab->by_addr, tab->nr, sizeof(*tab->by_addr),
		      sym_cmp_addr);
		sort_tab = NULL;
	}
	/* room for all: the pages past the text symbols stay untouched */
	tab->text_by_addr = malloc((tab->nr + 1) *
				   sizeof(*tab->text_by_addr));
	if (!tab->text_by_addr)
		return &sdei_error_nomem;
	tab->nr_text = 0;
	for (i = 0; i < tab->nr_by_addr; i++) {
		uint32_t k = tab->by_addr ? tab->by_addr[i] : (uint32_t)i;

		if (sdei_sym_is_text(tab->syms[k].type))
			tab->text_by_addr[tab->nr_text++] = k;
	}
	return NULL;
}

void sdei_sym_ranges(struct sdei_symtab *tab)
{
	const struct sdei_sym *s;

	s = sym_find_best(tab, "_stext");
	if (!s)
		s = sym_find_best(tab, "_text");
	tab->text_start = s ? s->addr : 0;
	s = sym_find_best(tab, "_etext");
	tab->text_end = s ? s->addr : 0;
	if (tab->text_end <= tab->text_start)
		tab->text_start = tab->text_end = 0;

	/* Data symbols are there when the per-CPU base array is. */
	tab->has_data = sym_find(tab, "__per_cpu_offset") != NULL;
}

struct sdei_error *sdei_sym_finish(struct sdei_symtab *tab, bool sorted)
{
	struct sdei_error *err;

	if (!tab->nr)
		return sdei_error_create(SDEI_ERROR_FORMAT, "no symbols");
	err = sdei_sym_index(tab, sorted);
	if (err)
		return err;
	sdei_sym_ranges(tab);
	return NULL;
}

struct sdei_error *sdei_symtab_from_ops(const struct sdei_symtab_ops *ops,
					void *arg, const char *describe,
					bool has_data,
					struct sdei_symtab **ret)
{
	struct sdei_symtab *tab = sdei_sym_create(SDEI_SYMSRC_HOST);

	if (!tab)
		return &sdei_error_nomem;
	tab->ops = ops;
	tab->ops_arg = arg;
	tab->has_data = has_data;
	tab->describe = strdup(describe);
	if (!tab->describe) {
		sdei_symtab_destroy(tab);
		return &sdei_error_nomem;
	}
	*ret = tab;
	return NULL;
}

bool sdei_symtab_lookup(const struct sdei_symtab *tab, const char *name,
			uint64_t *ret)
{
	const struct sdei_sym *s;

	if (tab->ops)
		return tab->ops->lookup(tab->ops_arg, name, ret);
	s = sym_find_best(tab, name);

	if (!s)
		return false;
	*ret = s->addr;
	return true;
}

/*
 * Within a run of symbols at one address, prefer a global name: a local
 * alias at the same spot is usually a label or a section marker.
 */
#define AT(order, i)	(&tab->syms[(order) ? (order)[i] : (i)])

static const struct sdei_sym *sym_pick(const struct sdei_symtab *tab,
				       const uint32_t *order, size_t i)
{
	const struct sdei_sym *best = AT(order, i);
	uint64_t addr = best->addr;
	size_t j = i + 1;

	while (j-- > 0 && AT(order, j)->addr == addr) {
		const struct sdei_sym *s = AT(order, j);

		/* walking backwards: take the earliest global */
		if (sym_is_global(s->type) || !sym_is_global(best->type))
			best = s;
	}
	return best;
}

static const struct sdei_sym *sym_containing(const struct sdei_symtab *tab,
					     const uint32_t *order, size_t n,
					     uint64_t addr, uint64_t limit)
{
	size_t lo = 0, hi = n;
	uint64_t base, next;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (AT(order, mid)->addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	base = AT(order, lo - 1)->addr;
	/* the first symbol after @addr bounds the match; none: no bound */
	if (lo < n)
		next = AT(order, lo)->addr;
	else if (limit)
		next = limit;
	else
		return NULL;
	if (limit && limit < next)
		next = limit;
	if (addr >= next || next - base > SDEI_SYM_MAX_SIZE)
		return NULL;
	return sym_pick(tab, order, lo - 1);
}

const char *sdei_symtab_symbolize(const struct sdei_symtab *tab,
				  uint64_t addr, uint64_t *offset_ret)
{
	const struct sdei_sym *s;

	if (tab && tab->ops)
		return tab->ops->symbolize(tab->ops_arg, addr, offset_ret);
	if (!tab)
		return NULL;
	if (!tab->nr_by_addr && tab->lazy)
		return tab->lazy_ops->symbolize(tab, addr, offset_ret);
	if (!tab->nr_by_addr)
		return NULL;
	if (tab->text_end && addr >= tab->text_start && addr < tab->text_end)
		s = sym_containing(tab, tab->text_by_addr, tab->nr_text, addr,
				   tab->text_end);
	else
		s = sym_containing(tab, tab->by_addr, tab->nr_by_addr, addr,
				   0);
	if (!s)
		return NULL;
	if (offset_ret)
		*offset_ret = addr - s->addr;
	return tab->arena + s->name;
}

const char *sdei_sym_vmci_get(const char *vmcoreinfo, const char *key,
			      size_t *len_ret)
{
	size_t klen = strlen(key);
	const char *p = vmcoreinfo;

	if (!p)
		return NULL;
	while (*p) {
		const char *eol = strchr(p, '\n');

		if (!eol)
			eol = p + strlen(p);
		if ((size_t)(eol - p) > klen && !memcmp(p, key, klen) &&
		    p[klen] == '=') {
			*len_ret = (size_t)(eol - p) - klen - 1;
			return p + klen + 1;
		}
		p = *eol ? eol + 1 : eol;
	}
	return NULL;
}

static bool parse_hex(const char *p, size_t len, uint64_t *ret)
{
	uint64_t v = 0;

	if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		len -= 2;
	}
	if (!len || len > 16)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*ret = v;
	return true;
}

bool sdei_sym_vmci_hex(const char *vmcoreinfo, const char *key,
		       uint64_t *ret)
{
	size_t len;
	const char *v = sdei_sym_vmci_get(vmcoreinfo, key, &len);

	while (v && len && (v[len - 1] == '\r' || v[len - 1] == ' '))
		len--;
	return v && parse_hex(v, len, ret);
}

uint64_t sdei_sym_kaslr_offset(const char *vmcoreinfo)
{
	uint64_t off;

	return sdei_sym_vmci_hex(vmcoreinfo, "KERNELOFFSET", &off) ? off : 0;
}

struct sdei_error *sdei_sym_check_vmcoreinfo(const struct sdei_symtab *tab,
					     const char *vmcoreinfo,
					     const char *path,
					     const char *where)
{
	const char *p = vmcoreinfo;

	if (!p)
		return NULL;
	while (*p) {
		const char *eol = strchr(p, '\n'), *close, *s;
		const struct sdei_sym *sym, *first;
		struct sym_iter it;
		char name[128];
		uint64_t want;
		size_t nlen;

		if (!eol)
			eol = p + strlen(p);
		if (strncmp(p, "SYMBOL(", 7))
			goto next;
		close = memchr(p, ')', (size_t)(eol - p));
		if (!close || close[1] != '=')
			goto next;
		nlen = (size_t)(close - p - 7);
		if (!nlen || nlen >= sizeof(name))
			goto next;
		memcpy(name, p + 7, nlen);
		name[nlen] = '\0';
		/* values, not addresses of kernel-image symbols */
		if (!strcmp(name, "mem_section") || !strcmp(name, "vmemmap"))
			goto next;
		s = close + 2;
		if (!parse_hex(s, (size_t)(eol - s) -
			       (eol > s && eol[-1] == '\r'), &want))
			goto next;
		first = NULL;
		sym_iter_init(tab, &it, name);
		while ((sym = sym_iter_next(tab, &it))) {
			if (!first)
				first = sym;
			if (sym->addr == want)
				break;
		}
		if (first && !sym)
			return sdei_error_create(SDEI_ERROR_MISMATCH,
				"%s%s%s does not match the dump: SYMBOL(%s) is 0x%llx in the dump but 0x%llx in %s",
				path ? "'" : "", path ? path : "kallsyms",
				path ? "'" : "", name, (unsigned long long)want,
				(unsigned long long)first->addr, where);
next:
		p = *eol ? eol + 1 : eol;
	}
	return NULL;
}
