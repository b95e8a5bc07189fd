// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 stage-1 page tables for the TTBR1 (kernel) half, rooted at
 * swapper_pg_dir, built once at write time: the linear map with block
 * entries (so 1 TiB of RAM costs a few table pages), the kernel image and
 * every vmalloc page with page entries. Table pages come from RAM and are
 * dumped like any other allocated page.
 */
#define GEN_INTERNAL
#include <string.h>

#include "gen.h"

#define PTE_VALID	(1ULL << 0)
#define PTE_TABLE	(1ULL << 1)	/* table (levels 0-2) or page (3) */
#define PTE_ATTR_NORMAL	(0ULL << 2)	/* AttrIndx: MT_NORMAL */
#define PTE_SH_INNER	(3ULL << 8)
#define PTE_AF		(1ULL << 10)
#define PTE_PXN		(1ULL << 53)
#define PTE_UXN		(1ULL << 54)
#define PROT_KERNEL	(PTE_ATTR_NORMAL | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define PROT_DATA	(PROT_KERNEL | PTE_PXN)
#define PTE_ADDR_MASK	0x0000fffffffff000ULL

struct ptctx {
	struct gen *g;
	unsigned int levels;
	unsigned int bits;		/* index bits below the top level */
	uint64_t root_pa;
};

static unsigned int level_shift(const struct ptctx *c, unsigned int lvl)
{
	return c->g->page_shift + (c->levels - 1 - lvl) * c->bits;
}

static uint64_t level_index(const struct ptctx *c, unsigned int lvl,
			    uint64_t va)
{
	unsigned int sh = level_shift(c, lvl);
	uint64_t mask;

	if (lvl == 0)
		mask = (1ULL << (c->g->p.va_bits - sh)) - 1;
	else
		mask = (1ULL << c->bits) - 1;
	return (va >> sh) & mask;
}

static int pte_rw(struct gen *g, uint64_t pa, uint64_t *val, bool write)
{
	struct gen_page *pg = gen_page_lookup(g, pa >> g->page_shift, true);
	uint64_t off = pa & (g->page_size - 1);
	uint64_t v = 0;
	int i;

	if (!pg)
		return -1;
	if (write) {
		for (i = 0; i < 8; i++)
			pg->data[off + i] = (uint8_t)(*val >> (8 * i));
		return 0;
	}
	for (i = 7; i >= 0; i--)
		v = v << 8 | pg->data[off + i];
	*val = v;
	return 0;
}

/* Install one entry for @va at @target level, creating tables above it. */
static int map_one(struct ptctx *c, uint64_t va, uint64_t desc,
		   unsigned int target)
{
	uint64_t table = c->root_pa;
	unsigned int lvl;

	for (lvl = 0; lvl < target; lvl++) {
		uint64_t ent_pa = table + level_index(c, lvl, va) * 8;
		uint64_t ent;

		if (pte_rw(c->g, ent_pa, &ent, false))
			return -1;
		if (!(ent & PTE_VALID)) {
			uint64_t t = gen_alloc_phys(c->g, c->g->page_size,
						    c->g->page_size);

			if (!t)
				return -1;
			ent = t | PTE_VALID | PTE_TABLE;
			if (pte_rw(c->g, ent_pa, &ent, true))
				return -1;
		} else if (!(ent & PTE_TABLE)) {
			return -1;	/* already a block: overlap */
		}
		table = ent & PTE_ADDR_MASK &
			~((uint64_t)c->g->page_size - 1);
	}
	return pte_rw(c->g, table + level_index(c, target, va) * 8, &desc,
		      true);
}

static int map_linear(struct ptctx *c)
{
	struct gen *g = c->g;
	uint64_t pa = g->p.phys_offset;
	uint64_t end = pa + g->p.ram_size;
	uint64_t va = g->l.page_offset;

	while (pa < end) {
		unsigned int lvl, target = c->levels - 1;
		uint64_t size = g->page_size;

		/* largest block arm64 allows here: at most 1 GiB */
		for (lvl = 1; lvl + 1 < c->levels; lvl++) {
			unsigned int sh = level_shift(c, lvl);
			uint64_t bs = 1ULL << sh;

			if (sh > 30)
				continue;
			if (!(pa & (bs - 1)) && !(va & (bs - 1)) &&
			    end - pa >= bs) {
				target = lvl;
				size = bs;
				break;
			}
		}
		if (map_one(c, va, pa | PROT_DATA | PTE_VALID |
			    (target == c->levels - 1 ? PTE_TABLE : 0),
			    target))
			return -1;
		pa += size;
		va += size;
	}
	return 0;
}

int gen_build_page_tables(struct gen *g)
{
	struct ptctx c = { .g = g };
	uint64_t va;
	size_t i;

	c.bits = g->page_shift - 3;
	c.levels = (g->p.va_bits - g->page_shift + c.bits - 1) / c.bits;
	c.root_pa = gen_va_to_pa(g, g->l.swapper_pg_dir);
	if (c.root_pa == ~0ULL)
		return -1;
	/* make sure the root page exists even if nothing is mapped */
	if (!gen_page_lookup(g, c.root_pa >> g->page_shift, true))
		return -1;

	if (map_linear(&c))
		return -1;
	for (va = g->l.text; va < g->l.end; va += g->page_size) {
		uint64_t prot = va < g->l.etext ? PROT_KERNEL : PROT_DATA;

		if (map_one(&c, va, (va - g->l.kimage_voffset) | prot |
			    PTE_VALID | PTE_TABLE, c.levels - 1))
			return -1;
	}
	for (i = 0; i < g->nvmap; i++)
		if (map_one(&c, g->vmap[i].va, g->vmap[i].pa | PROT_DATA |
			    PTE_VALID | PTE_TABLE, c.levels - 1))
			return -1;
	return 0;
}
