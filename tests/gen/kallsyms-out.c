// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms tables in dump memory, encoded as the kernel's
 * scripts/kallsyms.c does (base-relative offsets, token compression,
 * markers every 256 symbols, 3-byte kallsyms_seqs_of_names):
 *
 *   v6.1 (as Debian's 6.1.x builds it, seqs backported):
 *     offsets, relative_base, num_syms, names, markers, seqs_of_names,
 *     token_table, token_index
 *   v6.4+ (6.12):
 *     num_syms, names, markers, token_table, token_index, offsets,
 *     relative_base, seqs_of_names
 *
 * Each table starts 8-byte aligned (ALGN). The token table is built with
 * the same greedy pair compression, so tokens are up to many characters
 * long and the first decoded character of each name is its type letter.
 */
#define GEN_INTERNAL
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define KSYM_MAX	512

struct ksym {
	uint64_t addr;			/* link-time */
	unsigned int len;		/* tokens in sym[] */
	unsigned int seq;
	unsigned int start_pos;
	unsigned char sym[KSYM_MAX + 2];	/* type + name */
};

struct kstate {
	struct ksym **tab;
	unsigned int cnt;
	int *profit;			/* 0x10000 pair counters */
	unsigned char best[256][2];
	unsigned char best_len[256];
};

static const char *sname(const struct ksym *s)
{
	return (const char *)s->sym + 1;
}

static bool ignored(const char *name)
{
	return !strncmp(name, "kallsyms_", 9);
}

static void learn(struct kstate *k, const unsigned char *s, unsigned int len,
		  int d)
{
	unsigned int i;

	for (i = 0; i + 1 < len; i++)
		k->profit[s[i] + (s[i + 1] << 8)] += d;
}

static void compress_all(struct kstate *k, const unsigned char *tok, int idx)
{
	unsigned int i, j;

	for (i = 0; i < k->cnt; i++) {
		struct ksym *s = k->tab[i];
		unsigned int out = 0;
		bool hit = false;

		for (j = 0; j + 1 < s->len; j++)
			if (s->sym[j] == tok[0] && s->sym[j + 1] == tok[1])
				hit = true;
		if (!hit)
			continue;
		learn(k, s->sym, s->len, -1);
		for (j = 0; j < s->len; j++) {
			if (j + 1 < s->len && s->sym[j] == tok[0] &&
			    s->sym[j + 1] == tok[1]) {
				s->sym[out++] = (unsigned char)idx;
				j++;
			} else {
				s->sym[out++] = s->sym[j];
			}
		}
		s->len = out;
		learn(k, s->sym, s->len, 1);
	}
}

static void optimize(struct kstate *k)
{
	unsigned int i, j;
	int t;

	for (i = 0; i < k->cnt; i++) {
		learn(k, k->tab[i]->sym, k->tab[i]->len, 1);
		for (j = 0; j < k->tab[i]->len; j++) {
			unsigned char c = k->tab[i]->sym[j];

			k->best[c][0] = c;
			k->best_len[c] = 1;
		}
	}
	for (t = 255; t >= 0; t--) {
		int best = 0, bp = -10000, p;

		if (k->best_len[t])
			continue;
		for (p = 0; p < 0x10000; p++)
			if (k->profit[p] > bp) {
				bp = k->profit[p];
				best = p;
			}
		if (bp <= 0)
			break;
		k->best_len[t] = 2;
		k->best[t][0] = (unsigned char)(best & 0xff);
		k->best[t][1] = (unsigned char)(best >> 8);
		compress_all(k, k->best[t], t);
	}
}

static unsigned int expand(const struct kstate *k, const unsigned char *d,
			   unsigned int len, char *out)
{
	unsigned int n = 0;

	while (len--) {
		unsigned char c = *d++;

		if (k->best_len[c] == 1 && k->best[c][0] == c)
			out[n++] = (char)c;
		else
			n += expand(k, k->best[c], k->best_len[c], out + n);
	}
	out[n] = '\0';
	return n;
}

static int linker_provided(const struct ksym *s)
{
	const char *n = sname(s);
	size_t len = strlen(n);

	if (len < 8 || n[0] != '_' || n[1] != '_')
		return 0;
	return !strncmp(n + 2, "start_", 6) || !strncmp(n + 2, "stop_", 5) ||
	       !strncmp(n + 2, "end_", 4) || !strcmp(n + len - 6, "_start") ||
	       !strcmp(n + len - 4, "_end");
}

static int cmp_addr(const void *a, const void *b)
{
	const struct ksym *sa = *(struct ksym * const *)a;
	const struct ksym *sb = *(struct ksym * const *)b;
	int wa, wb;

	if (sa->addr != sb->addr)
		return sa->addr < sb->addr ? -1 : 1;
	wa = sa->sym[0] == 'w' || sa->sym[0] == 'W';
	wb = sb->sym[0] == 'w' || sb->sym[0] == 'W';
	if (wa != wb)
		return wa - wb;
	wa = linker_provided(sa);
	wb = linker_provided(sb);
	if (wa != wb)
		return wa - wb;
	wa = (int)strspn(sname(sa), "_");
	wb = (int)strspn(sname(sb), "_");
	if (wa != wb)
		return wa - wb;
	return (int)sa->start_pos - (int)sb->start_pos;
}

/* names sort on the original (uncompressed) text */
struct nkey {
	const char *name;
	uint64_t addr;
	unsigned int seq;
};

static int cmp_name(const void *a, const void *b)
{
	const struct nkey *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	if (r)
		return r;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->seq - (int)y->seq;
}

struct blob {
	uint8_t *b;
	size_t len, cap;
};

static int put(struct blob *o, const void *d, size_t n)
{
	if (!n)
		return 0;
	if (o->len + n > o->cap) {
		size_t nc = (o->len + n) * 2 + 256;
		uint8_t *nb = realloc(o->b, nc);

		if (!nb)
			return -1;
		o->b = nb;
		o->cap = nc;
	}
	memcpy(o->b + o->len, d, n);
	o->len += n;
	return 0;
}

static int put_le(struct blob *o, uint64_t v, int n)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return put(o, b, (size_t)n);
}

static size_t algn(struct blob *o)
{
	static const uint8_t z[8];

	put(o, z, (8 - (o->len & 7)) & 7);
	return o->len;
}

enum { T_OFFSETS, T_BASE, T_NUM, T_NAMES, T_MARKERS, T_SEQS, T_TTAB,
       T_TIDX, T_COUNT };

static const char *const tname[T_COUNT] = {
	"kallsyms_offsets", "kallsyms_relative_base", "kallsyms_num_syms",
	"kallsyms_names", "kallsyms_markers", "kallsyms_seqs_of_names",
	"kallsyms_token_table", "kallsyms_token_index",
};

struct ctx {
	struct gen *g;
	struct kstate *k;
	struct nkey *keys;
	uint64_t base;
	size_t pos[T_COUNT];
	uint64_t kaslr;
};

static int emit(struct ctx *c, struct blob *o, int t)
{
	struct kstate *k = c->k;
	unsigned int i;
	char buf[KSYM_MAX * 4];

	c->pos[t] = algn(o);
	switch (t) {
	case T_OFFSETS:
		for (i = 0; i < k->cnt; i++)
			if (put_le(o, k->tab[i]->addr - c->base, 4))
				return -1;
		return 0;
	case T_BASE:
		/* `PTR _text + off`: relocated, so the runtime value */
		return put_le(o, c->base + c->kaslr, 8);
	case T_NUM:
		return put_le(o, k->cnt, 4);
	case T_NAMES:
		for (i = 0; i < k->cnt; i++) {
			struct ksym *s = k->tab[i];
			uint8_t l[2] = { (uint8_t)s->len, 0 };

			if (s->len > 0x7f) {
				l[0] = (uint8_t)((s->len & 0x7f) | 0x80);
				l[1] = (uint8_t)(s->len >> 7);
			}
			if (put(o, l, s->len > 0x7f ? 2 : 1) ||
			    put(o, s->sym, s->len))
				return -1;
		}
		return 0;
	case T_MARKERS: {
		size_t off = 0;

		for (i = 0; i < k->cnt; i++) {
			if (!(i & 0xff) && put_le(o, off, 4))
				return -1;
			off += k->tab[i]->len + (k->tab[i]->len > 0x7f ? 2 : 1);
		}
		return 0;
	}
	case T_SEQS:
		for (i = 0; i < k->cnt; i++) {
			unsigned int q = c->keys[i].seq;
			uint8_t b[3] = { (uint8_t)(q >> 16), (uint8_t)(q >> 8),
					 (uint8_t)q };

			if (put(o, b, 3))
				return -1;
		}
		return 0;
	case T_TTAB:
		for (i = 0; i < 256; i++) {
			unsigned int n = expand(k, k->best[i], k->best_len[i],
						buf);

			if (put(o, buf, n + 1))
				return -1;
		}
		return 0;
	case T_TIDX: {
		size_t off = 0;

		for (i = 0; i < 256; i++) {
			if (put_le(o, off, 2))
				return -1;
			off += expand(k, k->best[i], k->best_len[i], buf) + 1;
		}
		return 0;
	}
	}
	return -1;
}

int gen_build_kallsyms(struct gen *g)
{
	static const int old_order[] = { T_OFFSETS, T_BASE, T_NUM, T_NAMES,
		T_MARKERS, T_SEQS, T_TTAB, T_TIDX };
	static const int new_order[] = { T_NUM, T_NAMES, T_MARKERS, T_TTAB,
		T_TIDX, T_OFFSETS, T_BASE, T_SEQS };
	const int *order;
	struct kstate k = { 0 };
	struct ctx c = { .g = g, .k = &k, .kaslr = g->p.kaslr };
	struct blob o = { 0 };
	bool text_only = g->kallsyms == GEN_KALLSYMS_TEXT;
	uint64_t va;
	unsigned int i;
	size_t j;
	int ret = -1;

	k.tab = calloc(g->nsyms + 1, sizeof(*k.tab));
	k.profit = calloc(0x10000, sizeof(*k.profit));
	if (!k.tab || !k.profit)
		goto out;
	for (j = 0; j < g->nsyms; j++) {
		const struct gen_sym *gs = &g->syms[j];
		size_t nl = strlen(gs->name);
		struct ksym *s;

		/* only the image is in kallsyms; relative offsets need it */
		if (gs->va < g->l.text || gs->va > g->l.end)
			continue;
		if (ignored(gs->name) || nl >= KSYM_MAX)
			continue;
		if (text_only && ((gs->type != 'T' && gs->type != 't') ||
				  gs->va < g->l.stext || gs->va > g->l.etext))
			continue;
		s = calloc(1, sizeof(*s));
		if (!s)
			goto out;
		s->addr = gen_link_addr(g, gs->va);
		s->sym[0] = (unsigned char)gs->type;
		memcpy(s->sym + 1, gs->name, nl + 1);
		s->len = (unsigned int)nl + 1;
		s->start_pos = k.cnt;
		k.tab[k.cnt++] = s;
	}
	if (!k.cnt)
		goto out;
	qsort(k.tab, k.cnt, sizeof(*k.tab), cmp_addr);
	c.base = k.tab[0]->addr;

	/* the name order needs the plain names, before compression */
	c.keys = calloc(k.cnt, sizeof(*c.keys));
	if (!c.keys)
		goto out;
	for (i = 0; i < k.cnt; i++) {
		k.tab[i]->seq = i;
		c.keys[i].name = strdup(sname(k.tab[i]));
		if (!c.keys[i].name)
			goto out;
		c.keys[i].addr = k.tab[i]->addr;
		c.keys[i].seq = i;
	}
	qsort(c.keys, k.cnt, sizeof(*c.keys), cmp_name);

	optimize(&k);

	order = g->p.version && g->p.version < (6u << 16 | 4u << 8) ?
		old_order : new_order;
	for (i = 0; i < T_COUNT; i++)
		if (emit(&c, &o, order[i]))
			goto out;

	va = gen_alloc_rodata(g, o.len, 256, NULL);
	if (!va || gen_write(g, va, o.b, o.len))
		goto out;
	for (i = 0; i < T_COUNT; i++)
		if (gen_symbol_sized(g, tname[i], va + c.pos[i], 'R', 0))
			goto out;
	ret = 0;
out:
	if (c.keys)
		for (i = 0; i < k.cnt; i++)
			free((char *)c.keys[i].name);
	free(c.keys);
	if (k.tab)
		for (i = 0; i < k.cnt; i++)
			free(k.tab[i]);
	free(k.tab);
	free(k.profit);
	free(o.b);
	return ret;
}
