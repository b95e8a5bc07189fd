// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The machine: sparse physical memory, the arm64 kernel virtual layout,
 * allocations, symbols, VMCOREINFO and the note area.
 *
 * Physical memory is a hash of the pages that were ever allocated or
 * written; RAM itself may be 1 TiB, nothing is kept per page of RAM.
 */
#define GEN_INTERNAL
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define SZ_64K		0x10000ULL
#define SZ_2M		0x200000ULL
#define SZ_8M		0x800000ULL
#define SZ_256M		0x10000000ULL
#define SZ_1G		0x40000000ULL
#define SZ_2G		0x80000000ULL

/* Image layout, relative to _text (link-time sizes, same for every granule) */
#define IMG_STEXT	0x10000ULL
#define IMG_TEXT_END	0x800000ULL	/* _etext */
#define IMG_RODATA_END	0xc00000ULL
#define IMG_END		0x1400000ULL	/* _end: 20 MiB */

#define DEFAULT_CRASHTIME	1700000000ULL

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

struct gen *gen_create(void)
{
	struct gen *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->p.page_size = 4096;
	g->p.va_bits = 48;
	g->p.phys_offset = 0x40000000ULL;
	g->p.ram_size = 64ULL << 20;
	g->p.kimage_vaddr = 0xffff800080000000ULL;
	g->crashtime = DEFAULT_CRASHTIME;
	g->kallsyms = GEN_KALLSYMS_ALL;
	return g;
}

void gen_destroy(struct gen *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->cap; i++)
		free(g->pages[i].data);
	free(g->pages);
	free(g->vmap);
	for (i = 0; i < g->nsyms; i++)
		free(g->syms[i].name);
	free(g->syms);
	for (i = 0; i < g->nvmodel; i++) {
		free(g->vmodel[i].key);
		free(g->vmodel[i].value);
	}
	free(g->vmodel);
	for (i = 0; i < g->nvuser; i++) {
		free(g->vuser[i].key);
		free(g->vuser[i].value);
	}
	free(g->vuser);
	free(g->vmcoreinfo);
	free(g->notes);
	free(g->note_area);
	free(g);
}

struct gen_params *gen_params(struct gen *g)
{
	return &g->p;
}

const struct gen_layout *gen_get_layout(struct gen *g)
{
	return &g->l;
}

void gen_kallsyms_default(struct gen *g, enum gen_kallsyms mode)
{
	if (!g->kallsyms_set)
		g->kallsyms = mode;
}

void gen_set_kallsyms(struct gen *g, enum gen_kallsyms mode)
{
	g->kallsyms = mode;
	g->kallsyms_set = true;
}

/* ---- sparse physical pages ---------------------------------------- */

static size_t page_hash(uint64_t pfn, size_t cap)
{
	return (size_t)((pfn * 0x9e3779b97f4a7c15ULL) >> 17) & (cap - 1);
}

static int pages_grow(struct gen *g)
{
	size_t ncap = g->cap ? g->cap * 2 : 1024, i;
	struct gen_page *np = calloc(ncap, sizeof(*np));

	if (!np)
		return -1;
	for (i = 0; i < g->cap; i++) {
		struct gen_page *op = &g->pages[i];
		size_t h;

		if (!op->data)
			continue;
		h = page_hash(op->pfn, ncap);
		while (np[h].data)
			h = (h + 1) & (ncap - 1);
		np[h] = *op;
	}
	free(g->pages);
	g->pages = np;
	g->cap = ncap;
	return 0;
}

struct gen_page *gen_page_lookup(struct gen *g, uint64_t pfn, bool create)
{
	size_t h;

	if (g->cap) {
		h = page_hash(pfn, g->cap);
		while (g->pages[h].data) {
			if (g->pages[h].pfn == pfn)
				return &g->pages[h];
			h = (h + 1) & (g->cap - 1);
		}
	}
	if (!create)
		return NULL;
	if ((g->npages + 1) * 2 > g->cap && pages_grow(g))
		return NULL;
	h = page_hash(pfn, g->cap);
	while (g->pages[h].data)
		h = (h + 1) & (g->cap - 1);
	g->pages[h].data = calloc(1, g->page_size);
	if (!g->pages[h].data)
		return NULL;
	g->pages[h].pfn = pfn;
	g->pages[h].flags = 0;
	g->npages++;
	return &g->pages[h];
}

bool gen_page_dumped(const struct gen_page *pg)
{
	return pg && pg->data && !(pg->flags & GEN_PAGE_EXCLUDED);
}

static int page_ptr_cmp(const void *a, const void *b)
{
	const struct gen_page *pa = *(struct gen_page * const *)a;
	const struct gen_page *pb = *(struct gen_page * const *)b;

	return pa->pfn < pb->pfn ? -1 : pa->pfn > pb->pfn;
}

/* All known pages (dumped or excluded), sorted by pfn; caller frees. */
int gen_page_sorted(struct gen *g, struct gen_page ***out, size_t *n)
{
	struct gen_page **arr = malloc((g->npages + 1) * sizeof(*arr));
	size_t i, k = 0;

	if (!arr)
		return -1;
	for (i = 0; i < g->cap; i++)
		if (g->pages[i].data)
			arr[k++] = &g->pages[i];
	qsort(arr, k, sizeof(*arr), page_ptr_cmp);
	*out = arr;
	*n = k;
	return 0;
}

static bool pa_in_ram(struct gen *g, uint64_t pa)
{
	return pa >= g->p.phys_offset &&
	       pa - g->p.phys_offset < g->p.ram_size;
}

/* Make every page of [pa, pa+len) known (allocated memory is dumped). */
static int touch_phys(struct gen *g, uint64_t pa, uint64_t len)
{
	uint64_t pfn, last;

	if (!len)
		return 0;
	last = (pa + len - 1) >> g->page_shift;
	for (pfn = pa >> g->page_shift; pfn <= last; pfn++)
		if (!gen_page_lookup(g, pfn, true))
			return -1;
	return 0;
}

int gen_write_phys(struct gen *g, uint64_t pa, const void *buf, size_t len)
{
	const uint8_t *src = buf;

	while (len) {
		uint64_t off = pa & (g->page_size - 1);
		size_t chunk = g->page_size - off;
		struct gen_page *pg;

		if (!pa_in_ram(g, pa))
			return -1;
		if (chunk > len)
			chunk = len;
		pg = gen_page_lookup(g, pa >> g->page_shift, true);
		if (!pg)
			return -1;
		memcpy(pg->data + off, src, chunk);
		src += chunk;
		pa += chunk;
		len -= chunk;
	}
	return 0;
}

/* ---- layout ------------------------------------------------------- */

int gen_layout(struct gen *g)
{
	struct gen_params *p = &g->p;
	struct gen_layout *l = &g->l;
	unsigned int vc_bits;
	uint64_t po_vc, po_hw;

	if (g->laid_out)
		return 0;
	switch (p->page_size) {
	case 4096:
		g->page_shift = 12;
		break;
	case 16384:
		g->page_shift = 14;
		break;
	case 65536:
		g->page_shift = 16;
		break;
	default:
		return -1;
	}
	g->page_size = p->page_size;
	if (p->va_bits < 36 || p->va_bits > 48)
		return -1;
	if (!p->kernel_phys)
		p->kernel_phys = p->phys_offset + SZ_2M;
	if ((p->phys_offset | p->kernel_phys | p->kaslr | p->kimage_vaddr) &
	    (g->page_size - 1))
		return -1;
	if (p->ram_size < 16ULL << 20 ||
	    p->ram_size > (1ULL << (p->va_bits - 1)) ||
	    p->ram_size & (g->page_size - 1))
		return -1;
	if (p->kernel_phys < p->phys_offset ||
	    p->kernel_phys + IMG_END + (4ULL << 20) >
	    p->phys_offset + p->ram_size)
		return -1;

	vc_bits = p->vmcoreinfo_va_bits ? p->vmcoreinfo_va_bits : p->va_bits;
	po_hw = 0 - (1ULL << p->va_bits);
	po_vc = 0 - (1ULL << vc_bits);

	l->page_offset = po_hw;
	l->text = p->kimage_vaddr + p->kaslr;
	l->stext = l->text + IMG_STEXT;
	l->etext = l->text + IMG_TEXT_END;
	l->end = l->text + IMG_END;
	l->kimage_voffset = l->text - p->kernel_phys;
	l->modules_vaddr = 0 - (1ULL << (p->va_bits - 1));
	l->modules_end = p->kimage_vaddr;
	l->vmalloc_start = l->modules_end;
	if (p->kimage_vaddr - l->modules_vaddr < SZ_2G) {
		/* v6.1: 128M of modules, vmemmap at the top */
		unsigned int sh = g->page_shift - 6;

		l->vmemmap_start = 0 - (1ULL << (vc_bits - sh));
		l->vmemmap_end = l->vmemmap_start +
				 ((l->modules_vaddr - po_vc) >> sh);
		l->vmalloc_end = l->vmemmap_start - SZ_256M;
	} else {
		/* v6.5+: 2G of modules, vmemmap ends 1G below the top */
		unsigned int sh = g->page_shift - 6;

		l->vmemmap_end = 0 - SZ_1G;
		l->vmemmap_start = l->vmemmap_end -
				   ((l->modules_vaddr - po_vc) >> sh);
		l->vmalloc_end = l->vmemmap_end -
				 ((l->modules_vaddr - po_hw) >> sh) - SZ_8M;
	}
	l->vmalloc_base = align_up(l->end, SZ_1G);
	if (l->vmalloc_base >= l->vmalloc_end)
		return -1;

	g->image_size = IMG_END;
	g->text_next = l->stext + 0x800;
	g->rodata = g->rodata_next = l->etext;
	g->rodata_end = l->text + IMG_RODATA_END;
	g->data = g->data_next = g->rodata_end;
	g->data_end = l->end;
	g->phys_floor = p->kernel_phys + IMG_END;
	g->phys_top = p->phys_offset + p->ram_size;
	g->vmalloc_next = l->vmalloc_base;
	g->laid_out = true;

	gen_symbol_sized(g, "_text", l->text, 'T', 0);
	gen_symbol_sized(g, "_stext", l->stext, 'T', 0);
	gen_symbol_sized(g, "_etext", l->etext, 'T', 0);
	gen_symbol_sized(g, "_end", l->end, 'B', 0);
	/* swapper_pg_dir sits in the image, like the kernel's */
	l->swapper_pg_dir = gen_alloc_kimage(g, g->page_size, g->page_size,
					     NULL);
	l->init_uts_ns = gen_alloc_kimage(g, 0x1a0, 64, NULL);
	if (!l->swapper_pg_dir || !l->init_uts_ns)
		return -1;
	gen_symbol_sized(g, "swapper_pg_dir", l->swapper_pg_dir, 'B',
			 g->page_size);
	gen_symbol_sized(g, "init_uts_ns", l->init_uts_ns, 'D', 0x1a0);
	return 0;
}

/* ---- allocations -------------------------------------------------- */

static uint64_t bump(struct gen *g, uint64_t *next, uint64_t limit,
		     uint64_t size, uint64_t align)
{
	uint64_t va;

	if (!g->laid_out || g->finalized)
		return 0;
	if (!align)
		align = 8;
	if (align & (align - 1))
		return 0;
	va = align_up(*next, align);
	if (va + size > limit || va + size < va)
		return 0;
	if (touch_phys(g, va - g->l.kimage_voffset, size ? size : 1))
		return 0;
	*next = va + size;
	return va;
}

uint64_t gen_alloc_kimage(struct gen *g, uint64_t size, uint64_t align,
			  const char *sym)
{
	uint64_t va = bump(g, &g->data_next, g->data_end, size, align);

	if (va && sym && gen_symbol_sized(g, sym, va, 'D', size))
		return 0;
	return va;
}

uint64_t gen_alloc_rodata(struct gen *g, uint64_t size, uint64_t align,
			  const char *sym)
{
	uint64_t va = bump(g, &g->rodata_next, g->rodata_end, size, align);

	if (va && sym && gen_symbol_sized(g, sym, va, 'R', size))
		return 0;
	return va;
}

/* Top-down, like memblock: linear objects, vmalloc pages, page tables. */
uint64_t gen_alloc_phys(struct gen *g, uint64_t size, uint64_t align)
{
	uint64_t top;

	if (!g->laid_out || !size)
		return 0;
	if (align < 8)
		align = 8;
	if (align & (align - 1))
		return 0;
	if (g->phys_top - g->phys_floor < size)
		return 0;
	top = (g->phys_top - size) & ~(align - 1);
	if (top < g->phys_floor)
		return 0;
	if (touch_phys(g, top, size))
		return 0;
	g->phys_top = top;
	return top;
}

uint64_t gen_alloc_linear(struct gen *g, uint64_t size, uint64_t align)
{
	uint64_t pa;

	if (g->finalized)
		return 0;
	pa = gen_alloc_phys(g, size, align);
	if (!pa)
		return 0;
	return pa - g->p.phys_offset + g->l.page_offset;
}

uint64_t gen_alloc_vmalloc(struct gen *g, uint64_t size)
{
	uint64_t npg, i, va, al;

	if (!g->laid_out || g->finalized || !size)
		return 0;
	npg = (size + g->page_size - 1) >> g->page_shift;
	/* THREAD_ALIGN-friendly for stacks; no smaller than a page */
	al = g->page_size > SZ_64K ? g->page_size : SZ_64K;
	va = align_up(g->vmalloc_next, al);
	if (va + (npg + 1) * g->page_size > g->l.vmalloc_end)
		return 0;
	for (i = 0; i < npg; i++) {
		uint64_t pa = gen_alloc_phys(g, g->page_size, g->page_size);

		if (!pa)
			return 0;
		if (g->nvmap == g->capvmap) {
			size_t nc = g->capvmap ? g->capvmap * 2 : 64;
			struct gen_vmap *nv = realloc(g->vmap,
						      nc * sizeof(*nv));

			if (!nv)
				return 0;
			g->vmap = nv;
			g->capvmap = nc;
		}
		g->vmap[g->nvmap].va = va + i * g->page_size;
		g->vmap[g->nvmap].pa = pa;
		g->nvmap++;
	}
	/* one unmapped guard page after each area, as vmalloc leaves */
	g->vmalloc_next = va + (npg + 1) * g->page_size;
	return va;
}

/* ---- symbols ------------------------------------------------------ */

static struct gen_sym *sym_find(struct gen *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nsyms; i++)
		if (!strcmp(g->syms[i].name, name))
			return &g->syms[i];
	return NULL;
}

int gen_symbol_sized(struct gen *g, const char *name, uint64_t va,
		     char type, uint64_t size)
{
	struct gen_sym *s;

	if (!name || !*name || !strchr("TtDdBbRrAaWwVv", type) || !type)
		return -1;
	s = sym_find(g, name);
	if (s) {
		s->va = va;
		s->type = type;
		s->size = size;
		return 0;
	}
	if (g->nsyms == g->capsyms) {
		size_t nc = g->capsyms ? g->capsyms * 2 : 128;
		struct gen_sym *ns = realloc(g->syms, nc * sizeof(*ns));

		if (!ns)
			return -1;
		g->syms = ns;
		g->capsyms = nc;
	}
	s = &g->syms[g->nsyms];
	s->name = strdup(name);
	if (!s->name)
		return -1;
	s->va = va;
	s->type = type;
	s->size = size;
	g->nsyms++;
	return 0;
}

int gen_symbol(struct gen *g, const char *name, uint64_t va, char type)
{
	return gen_symbol_sized(g, name, va, type, 0);
}

uint64_t gen_symbol_addr(struct gen *g, const char *name)
{
	struct gen_sym *s = sym_find(g, name);

	return s ? s->va : 0;
}

uint64_t gen_text_symbol(struct gen *g, const char *name, uint64_t size)
{
	struct gen_sym *s = sym_find(g, name);
	uint64_t va;

	if (s)
		return s->va;
	if (!g->laid_out)
		return 0;
	if (!size)
		size = 0x100;
	va = align_up(g->text_next, 8);
	if (va + size > g->l.etext)
		return 0;
	g->text_next = va + size;
	if (gen_symbol_sized(g, name, va, 'T', size))
		return 0;
	return va;
}

/* System.map and vmlinux show link-time addresses (no KASLR). */
uint64_t gen_link_addr(struct gen *g, uint64_t va)
{
	if (va >= g->l.text && va <= g->l.end)
		return va - g->p.kaslr;
	return va;
}

/* ---- memory by VA ------------------------------------------------- */

static int vmap_cmp(const void *key, const void *elem)
{
	uint64_t va = *(const uint64_t *)key;
	const struct gen_vmap *m = elem;

	return va < m->va ? -1 : va > m->va;
}

uint64_t gen_va_to_pa(struct gen *g, uint64_t va)
{
	const struct gen_layout *l = &g->l;

	if (!g->laid_out)
		return ~0ULL;
	if (va >= l->page_offset && va - l->page_offset < g->p.ram_size)
		return va - l->page_offset + g->p.phys_offset;
	if (va >= l->text && va < l->end)
		return va - l->kimage_voffset;
	if (va >= l->vmalloc_base && g->nvmap) {
		uint64_t pva = va & ~(g->page_size - 1);
		struct gen_vmap *m = bsearch(&pva, g->vmap, g->nvmap,
					     sizeof(*m), vmap_cmp);

		if (m)
			return m->pa + (va & (g->page_size - 1));
	}
	return ~0ULL;
}

int gen_write(struct gen *g, uint64_t va, const void *buf, size_t len)
{
	const uint8_t *src = buf;

	while (len) {
		size_t chunk = g->page_size - (va & (g->page_size - 1));
		uint64_t pa = gen_va_to_pa(g, va);

		if (chunk > len)
			chunk = len;
		if (pa == ~0ULL || gen_write_phys(g, pa, src, chunk))
			return -1;
		src += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

int gen_read(struct gen *g, uint64_t va, void *buf, size_t len)
{
	uint8_t *dst = buf;

	while (len) {
		uint64_t off = va & (g->page_size - 1);
		size_t chunk = g->page_size - off;
		uint64_t pa = gen_va_to_pa(g, va);
		struct gen_page *pg;

		if (chunk > len)
			chunk = len;
		if (pa == ~0ULL || !pa_in_ram(g, pa))
			return -1;
		pg = gen_page_lookup(g, pa >> g->page_shift, false);
		if (pg)
			memcpy(dst, pg->data + off, chunk);
		else
			memset(dst, 0, chunk);
		dst += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

int gen_write_u64(struct gen *g, uint64_t va, uint64_t val)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(val >> (8 * i));
	return gen_write(g, va, b, sizeof(b));
}

int gen_write_u32(struct gen *g, uint64_t va, uint32_t val)
{
	uint8_t b[4];
	int i;

	for (i = 0; i < 4; i++)
		b[i] = (uint8_t)(val >> (8 * i));
	return gen_write(g, va, b, sizeof(b));
}

int gen_exclude_page(struct gen *g, uint64_t va)
{
	uint64_t pa = gen_va_to_pa(g, va);
	struct gen_page *pg;

	if (pa == ~0ULL || !pa_in_ram(g, pa))
		return -1;
	pg = gen_page_lookup(g, pa >> g->page_shift, true);
	if (!pg)
		return -1;
	pg->flags |= GEN_PAGE_EXCLUDED;
	return 0;
}

/* ---- VMCOREINFO lines --------------------------------------------- */

static int vline_set(struct gen_vline **arr, size_t *n, const char *key,
		     const char *value)
{
	struct gen_vline *nv;
	char *v = NULL;
	size_t i;

	if (value) {
		v = strdup(value);
		if (!v)
			return -1;
	}
	for (i = 0; i < *n; i++) {
		if (!strcmp((*arr)[i].key, key)) {
			free((*arr)[i].value);
			(*arr)[i].value = v;
			return 0;
		}
	}
	nv = realloc(*arr, (*n + 1) * sizeof(*nv));
	if (!nv)
		goto fail;
	*arr = nv;
	nv[*n].key = strdup(key);
	if (!nv[*n].key)
		goto fail;
	nv[*n].value = v;
	(*n)++;
	return 0;
fail:
	free(v);
	return -1;
}

int gen_vmcoreinfo_set(struct gen *g, const char *key, const char *fmt, ...)
{
	char *val = NULL;
	va_list ap;
	int ret;

	if (!key || !*key || strchr(key, '='))
		return -1;
	if (fmt) {
		va_start(ap, fmt);
		ret = vasprintf(&val, fmt, ap);
		va_end(ap);
		if (ret < 0)
			return -1;
	}
	ret = vline_set(&g->vmodel, &g->nvmodel, key, val);
	free(val);
	return ret;
}

int gen_vmcoreinfo_user(struct gen *g, const char *key, const char *value)
{
	if (!key || !*key)
		return -1;
	return vline_set(&g->vuser, &g->nvuser, key, value);
}

void gen_vmcoreinfo_omit(struct gen *g)
{
	g->vmci_omit = true;
}

/* ---- notes -------------------------------------------------------- */

static int note_append(uint8_t **buf, size_t *len, const char *name,
		       uint32_t type, const void *desc, size_t dlen)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	size_t nlen = align_up(namesz, 4), dalign = align_up(dlen, 4);
	size_t total = 12 + nlen + dalign;
	uint8_t *nb = realloc(*buf, *len + total), *p;
	uint32_t hdr[3] = { namesz, (uint32_t)dlen, type };

	if (!nb)
		return -1;
	p = nb + *len;
	memset(p, 0, total);
	memcpy(p, hdr, 12);
	memcpy(p + 12, name, namesz);
	if (dlen)
		memcpy(p + 12 + nlen, desc, dlen);
	*buf = nb;
	*len += total;
	return 0;
}

int gen_file_note(struct gen *g, const char *name, uint32_t type,
		  const void *desc, size_t len)
{
	if (!name || len > 0x10000000)
		return -1;
	if (note_append(&g->notes, &g->notes_len, name, type, desc, len))
		return -1;
	if (!strcmp(name, "CORE") && type == 1)
		g->nr_prstatus++;
	return 0;
}

/* ---- finalize: release, uts, kallsyms, page tables, VMCOREINFO ---- */

int gen_set_release(struct gen *g, const char *release)
{
	if (strlen(release) >= sizeof(g->p.release))
		return -1;
	strcpy(g->p.release, release);
	return 0;
}

static void derive_build_id(struct gen *g)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *s;
	int i;

	/* FNV-1a, stretched: stable per release, looks like a SHA-1 */
	for (i = 0; i < 20; i++) {
		for (s = g->p.release; *s; s++) {
			h ^= (uint8_t)*s;
			h *= 0x100000001b3ULL;
		}
		h ^= (uint64_t)i;
		h *= 0x100000001b3ULL;
		g->build_id[i] = (uint8_t)(h >> 29);
	}
}

static int write_uts(struct gen *g)
{
	uint8_t uts[6 * 65];
	static const char *const fixed[6] = {
		"Linux", "mkvmcore", NULL, "#1 SMP PREEMPT mkvmcore",
		"aarch64", "(none)"
	};
	int i;

	memset(uts, 0, sizeof(uts));
	for (i = 0; i < 6; i++) {
		const char *v = i == 2 ? g->p.release : fixed[i];

		snprintf((char *)uts + 65 * i, 65, "%s", v);
	}
	return gen_write(g, g->l.init_uts_ns, uts, sizeof(uts));
}

struct vlist {
	struct gen_vline *v;
	size_t n;
};

static int vl_add(struct vlist *vl, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int vl_add(struct vlist *vl, const char *key, const char *fmt, ...)
{
	char *val;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&val, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -1;
	ret = vline_set(&vl->v, &vl->n, key, val);
	free(val);
	return ret;
}

static void vl_free(struct vlist *vl)
{
	size_t i;

	for (i = 0; i < vl->n; i++) {
		free(vl->v[i].key);
		free(vl->v[i].value);
	}
	free(vl->v);
	vl->v = NULL;
	vl->n = 0;
}

/* Overlay @src on @dst: same key replaces in place, new keys append. */
static int vl_overlay(struct vlist *dst, const struct gen_vline *src,
		      size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (vline_set(&dst->v, &dst->n, src[i].key, src[i].value))
			return -1;
	return 0;
}

static bool vl_has(const struct vlist *vl, const char *key)
{
	size_t i;

	for (i = 0; i < vl->n; i++)
		if (!strcmp(vl->v[i].key, key))
			return true;
	return false;
}

static int build_vmcoreinfo(struct gen *g)
{
	const struct gen_layout *l = &g->l;
	bool new_layout = l->modules_end - l->modules_vaddr >= SZ_2G;
	unsigned int vc_bits = g->p.vmcoreinfo_va_bits ?
			       g->p.vmcoreinfo_va_bits : g->p.va_bits;
	uint64_t phys_vc = g->p.phys_offset;
	struct vlist vl = { 0 };
	char bid[41];
	size_t i, len = 0;
	char *text = NULL;
	int ret = -1;
	static const char *const ks[] = {
		"kallsyms_names", "kallsyms_num_syms", "kallsyms_token_table",
		"kallsyms_token_index", "kallsyms_offsets",
		"kallsyms_relative_base"
	};

	/* a 52-bit kernel on 48-bit hardware shifts memstart_addr down */
	if (vc_bits > g->p.va_bits)
		phys_vc -= (0 - (1ULL << g->p.va_bits)) -
			   (0 - (1ULL << vc_bits));
	for (i = 0; i < 20; i++)
		sprintf(bid + 2 * i, "%02x", g->build_id[i]);

	if (vl_add(&vl, "OSRELEASE", "%s", g->p.release) ||
	    vl_add(&vl, "BUILD-ID", "%s", bid) ||
	    vl_add(&vl, "PAGESIZE", "%u", g->p.page_size) ||
	    vl_add(&vl, "SYMBOL(init_uts_ns)", "%llx",
		   (unsigned long long)l->init_uts_ns) ||
	    vl_add(&vl, "OFFSET(uts_namespace.name)", "0") ||
	    vl_add(&vl, "SYMBOL(swapper_pg_dir)", "%llx",
		   (unsigned long long)l->swapper_pg_dir) ||
	    vl_add(&vl, "SYMBOL(_stext)", "%llx",
		   (unsigned long long)l->stext))
		goto out;
	if (new_layout && vl_add(&vl, "NUMBER(VMALLOC_START)", "0x%llx",
				 (unsigned long long)l->vmalloc_start))
		goto out;
	/* the kernel model's lines come after the generic block */
	for (i = 0; i < g->nvmodel; i++)
		if (!vl_has(&vl, g->vmodel[i].key) &&
		    vline_set(&vl.v, &vl.n, g->vmodel[i].key, ""))
			goto out;
	if (g->kallsyms != GEN_KALLSYMS_NONE) {
		for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
			char key[64];

			snprintf(key, sizeof(key), "SYMBOL(%s)", ks[i]);
			if (vl_add(&vl, key, "%llx", (unsigned long long)
				   gen_symbol_addr(g, ks[i])))
				goto out;
		}
	}
	if (vl_add(&vl, "NUMBER(VA_BITS)", "%u", vc_bits) ||
	    vl_add(&vl, "NUMBER(MODULES_VADDR)", "0x%llx",
		   (unsigned long long)l->modules_vaddr) ||
	    vl_add(&vl, "NUMBER(MODULES_END)", "0x%llx",
		   (unsigned long long)l->modules_end))
		goto out;
	if (!new_layout && vl_add(&vl, "NUMBER(VMALLOC_START)", "0x%llx",
				  (unsigned long long)l->vmalloc_start))
		goto out;
	if (vl_add(&vl, "NUMBER(VMALLOC_END)", "0x%llx",
		   (unsigned long long)l->vmalloc_end) ||
	    vl_add(&vl, "NUMBER(VMEMMAP_START)", "0x%llx",
		   (unsigned long long)l->vmemmap_start) ||
	    vl_add(&vl, "NUMBER(VMEMMAP_END)", "0x%llx",
		   (unsigned long long)l->vmemmap_end) ||
	    vl_add(&vl, "NUMBER(kimage_voffset)", "0x%llx",
		   (unsigned long long)l->kimage_voffset) ||
	    vl_add(&vl, "NUMBER(PHYS_OFFSET)", "0x%llx",
		   (unsigned long long)phys_vc) ||
	    vl_add(&vl, "NUMBER(TCR_EL1_T1SZ)", "0x%x",
		   64 - g->p.va_bits) ||
	    vl_add(&vl, "KERNELOFFSET", "%llx",
		   (unsigned long long)g->p.kaslr) ||
	    vl_add(&vl, "NUMBER(KERNELPACMASK)", "0x0") ||
	    vl_add(&vl, "CRASHTIME", "%llu",
		   (unsigned long long)g->crashtime))
		goto out;
	/* model values (in place), then the scenario's, then drops */
	if (vl_overlay(&vl, g->vmodel, g->nvmodel) ||
	    vl_overlay(&vl, g->vuser, g->nvuser))
		goto out;

	for (i = 0; i < vl.n; i++)
		if (vl.v[i].value)
			len += strlen(vl.v[i].key) + strlen(vl.v[i].value) + 2;
	text = malloc(len + 1);
	if (!text)
		goto out;
	len = 0;
	for (i = 0; i < vl.n; i++)
		if (vl.v[i].value)
			len += (size_t)sprintf(text + len, "%s=%s\n",
					       vl.v[i].key, vl.v[i].value);
	text[len] = '\0';
	free(g->vmcoreinfo);
	g->vmcoreinfo = text;
	ret = 0;
out:
	vl_free(&vl);
	return ret;
}

static int build_note_area(struct gen *g)
{
	size_t len = g->notes_len;
	uint8_t *buf = NULL;

	if (len) {
		buf = malloc(len);
		if (!buf)
			return -1;
		memcpy(buf, g->notes, len);
	}
	g->vmci_desc_off = 0;
	g->vmci_desc_len = 0;
	if (!g->vmci_omit) {
		size_t start = len;

		g->vmci_desc_len = strlen(g->vmcoreinfo);
		if (note_append(&buf, &len, "VMCOREINFO", 0, g->vmcoreinfo,
				g->vmci_desc_len)) {
			free(buf);
			return -1;
		}
		g->vmci_desc_off = start + 12 + 12;	/* "VMCOREINFO\0" */
	}
	free(g->note_area);
	g->note_area = buf;
	g->note_area_len = len;
	return 0;
}

static unsigned int parse_version(const char *rel)
{
	unsigned int a = 0, b = 0, c = 0;

	if (sscanf(rel, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return a << 16 | b << 8 | (c > 255 ? 255 : c);
}

int gen_finalize(struct gen *g)
{
	if (g->finalized)
		return 0;
	if (!g->laid_out)
		return -1;
	if (!g->p.release[0]) {
		unsigned int v = g->p.version;

		if (!v)
			v = g->l.modules_end - g->l.modules_vaddr >= SZ_2G ?
			    (6u << 16 | 12u << 8) : (6u << 16 | 1u << 8);
		snprintf(g->p.release, sizeof(g->p.release),
			 "%u.%u.%u-mkvmcore", v >> 16, (v >> 8) & 0xff,
			 v & 0xff);
	}
	if (!g->p.version)
		g->p.version = parse_version(g->p.release);
	derive_build_id(g);
	if (write_uts(g))
		return -1;
	if (g->kallsyms != GEN_KALLSYMS_NONE && gen_build_kallsyms(g))
		return -1;
	if (gen_build_page_tables(g))
		return -1;
	if (build_vmcoreinfo(g) || build_note_area(g))
		return -1;
	g->finalized = true;
	return 0;
}
