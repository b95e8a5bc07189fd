// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kallsyms tables in dump memory, located by VMCOREINFO (Linux >= 6.0,
 * 5fd8fea935a1), decoded as kernel/kallsyms.c does:
 *  - kallsyms_names: per symbol a length in tokens, then that many token
 *    bytes; since 6.1 (73bbb94466fd) a length with bit 7 set takes a
 *    second byte: len = (b0 & 0x7f) | b1 << 7. The first expanded
 *    character is the nm type letter.
 *  - kallsyms_token_index[256] (u16) into kallsyms_token_table (NUL-ended
 *    strings).
 *  - addresses: kallsyms_relative_base + (u32)kallsyms_offsets[i] on arm64
 *    up to 6.x (base-relative); "absolute percpu" (x86, gone in v6.15); and
 *    place-relative from v7.0 (&kallsyms_offsets[i] + offsets[i], no
 *    relative base). As drgn does, the encoding is the one that gives
 *    SYMBOL(_stext). kallsyms_addresses[] (absolute, gone in v6.11) too.
 * Addresses are run-time ones: kallsyms_relative_base is relocated at
 * boot, so KERNELOFFSET does not apply.
 *
 * Every table is read in pieces that stop at the next table's address: a
 * read running past a table can hit pages the dump filter dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "sym.h"

#define KSYM_MAX_SYMS		(1u << 21)	/* 6.12 with ALL: 151,594 */
#define KSYM_MAX_NAME		1024		/* KSYM_NAME_LEN is 512 */
#define KSYM_NAMES_CAP		(32u << 20)	/* when no next table bounds */
#define KSYM_TOKENS_CAP		65536
#define KSYM_CHUNK		65536
#define KSYM_PAGE		4096

enum ksym_table {
	KT_NAMES,
	KT_NUM_SYMS,
	KT_TOKEN_TABLE,
	KT_TOKEN_INDEX,
	KT_OFFSETS,
	KT_RELATIVE_BASE,
	KT_ADDRESSES,
	KT_MARKERS,
	KT_NR,
};

static const char *const ktable_name[KT_NR] = {
	[KT_NAMES] = "kallsyms_names",
	[KT_NUM_SYMS] = "kallsyms_num_syms",
	[KT_TOKEN_TABLE] = "kallsyms_token_table",
	[KT_TOKEN_INDEX] = "kallsyms_token_index",
	[KT_OFFSETS] = "kallsyms_offsets",
	[KT_RELATIVE_BASE] = "kallsyms_relative_base",
	[KT_ADDRESSES] = "kallsyms_addresses",
	[KT_MARKERS] = "kallsyms_markers",
};

struct ksym_ctx {
	sdei_read_fn *read;
	void *arg;
	uint64_t addr[KT_NR];		/* 0 = not in VMCOREINFO */
};

/*
 * A table read on demand, never past @limit bytes. @buf holds its bytes
 * from @start: a pass over a large table slides that window along
 * (kbuf_slide()) instead of keeping the table.
 */
struct ksym_buf {
	const struct ksym_ctx *ctx;
	const char *name;
	uint64_t base;
	size_t limit;
	bool bounded;		/* @limit is the next table's address */
	uint8_t *buf;
	size_t start;
	size_t have;		/* bytes at @buf */
	size_t keep;		/* bytes before it may go */
};

static void kbuf_init(struct ksym_buf *b, const struct ksym_ctx *ctx,
		      enum ksym_table t, size_t cap)
{
	uint64_t base = ctx->addr[t], next = 0;

	memset(b, 0, sizeof(*b));
	b->ctx = ctx;
	b->name = ktable_name[t];
	b->base = base;
	for (int i = 0; i < KT_NR; i++) {
		if (ctx->addr[i] > base && (!next || ctx->addr[i] < next))
			next = ctx->addr[i];
	}
	b->limit = cap;
	if (next && next - base < cap) {
		b->limit = (size_t)(next - base);
		b->bounded = true;
	}
}

/* The table's bytes up to offset @n are in @buf. */
static struct sdei_error *kbuf_ensure(struct ksym_buf *b, size_t n)
{
	struct sdei_error *err;
	size_t want, have = b->start + b->have;
	uint8_t *nb;

	if (n <= have)
		return NULL;
	if (b->keep > b->start) {
		/* the window slides: forget what the pass is done with */
		size_t drop = b->keep - b->start;

		if (drop >= b->have) {
			b->have = 0;
		} else {
			memmove(b->buf, b->buf + drop, b->have - drop);
			b->have -= drop;
		}
		b->start = b->keep;
		have = b->start + b->have;
	}
	if (n > b->limit)
		return sdei_error_create(SDEI_ERROR_CORRUPT,
			"kallsyms: %s at 0x%llx runs past 0x%llx",
			b->name, (unsigned long long)b->base,
			(unsigned long long)(b->base + b->limit));
	/*
	 * Read ahead only where the next table bounds us; otherwise stop at
	 * the page that holds what is needed.
	 */
	want = n;
	if (b->bounded && want < have + KSYM_CHUNK)
		want = have + KSYM_CHUNK;
	want = (size_t)(((b->base + want + KSYM_PAGE - 1) &
			 ~(uint64_t)(KSYM_PAGE - 1)) - b->base);
	if (want > b->limit)
		want = b->limit;
	nb = realloc(b->buf, want - b->start);
	if (!nb)
		return &sdei_error_nomem;
	b->buf = nb;
	err = b->ctx->read(b->ctx->arg, SDEI_KVADDR, b->base + have,
			   b->buf + b->have, want - have);
	if (err)
		return sdei_error_prefix(err, "kallsyms: %s at 0x%llx",
					 b->name, (unsigned long long)b->base);
	b->have = want - b->start;
	return NULL;
}

/* The table's bytes before offset @off are not needed again. */
static void kbuf_slide(struct ksym_buf *b, size_t off)
{
	if (off > b->keep)
		b->keep = off;
}

/* Byte @off of the table, which kbuf_ensure() made available. */
static uint8_t *kbuf_at(const struct ksym_buf *b, size_t off)
{
	return b->buf + (off - b->start);
}

static bool long_names(const char *vmcoreinfo)
{
	const char *v;
	char *end;
	size_t len;
	long major, minor = 0;

	/* 73bbb94466fd ("kallsyms: support "big" kernel symbols"), v6.1 */
	v = sdei_sym_vmci_get(vmcoreinfo, "OSRELEASE", &len);
	if (!v)
		return true;
	major = strtol(v, &end, 10);
	if (*end == '.')
		minor = strtol(end + 1, NULL, 10);
	return major > 6 || (major == 6 && minor >= 1);
}

struct ksym_tokens {
	const char *str[256];
	uint8_t len[256];
};

static struct sdei_error *read_tokens(const struct ksym_ctx *ctx,
				      struct ksym_buf *tt,
				      struct ksym_tokens *tok)
{
	struct sdei_error *err;
	struct ksym_buf ti;
	size_t max = 0, end;
	uint16_t idx[256];

	kbuf_init(&ti, ctx, KT_TOKEN_INDEX, 512);
	err = kbuf_ensure(&ti, 512);
	if (err)
		goto out;
	for (int i = 0; i < 256; i++) {
		idx[i] = (uint16_t)(ti.buf[2 * i] | ti.buf[2 * i + 1] << 8);
		if (idx[i] > max)
			max = idx[i];
	}
	kbuf_init(tt, ctx, KT_TOKEN_TABLE, KSYM_TOKENS_CAP);
	if (max >= tt->limit) {
		err = sdei_error_create(SDEI_ERROR_CORRUPT,
			"kallsyms: token index %zu is out of kallsyms_token_table",
			max);
		goto out;
	}
	/* the table ends with the NUL of its last token */
	for (end = max;; end++) {
		err = kbuf_ensure(tt, end + 1);
		if (err)
			goto out;
		if (!tt->buf[end])
			break;
	}
	for (int i = 0; i < 256; i++) {
		const char *s = (const char *)tt->buf + idx[i];
		size_t l = strlen(s);	/* ends by end, at the latest */

		if (l > 255) {
			err = sdei_error_create(SDEI_ERROR_CORRUPT,
				"kallsyms: token %d is %zu bytes long", i, l);
			goto out;
		}
		tok->str[i] = s;
		tok->len[i] = (uint8_t)l;
	}
out:
	free(ti.buf);
	return err;
}

/* Expands @len token bytes at @p into @name; returns its length. */
static size_t expand_name(const struct ksym_tokens *tok, const uint8_t *p,
			  size_t len, char *name)
{
	size_t n = 0;

	for (size_t k = 0; k < len && n <= KSYM_MAX_NAME; k++) {
		memcpy(name + n, tok->str[p[k]], tok->len[p[k]]);
		n += tok->len[p[k]];
	}
	name[n <= KSYM_MAX_NAME ? n : KSYM_MAX_NAME] = '\0';
	return n;
}

enum ksym_encoding {
	KE_BASE_RELATIVE,
	KE_ABSOLUTE_PERCPU,
	KE_PLACE_RELATIVE,
	KE_ABSOLUTE,
};

/* The tables, kept to decode segments again: the lazy table's source. */
struct ksym_src {
	struct ksym_ctx ctx;
	struct ksym_buf tt;		/* kallsyms_token_table */
	struct ksym_tokens tok;		/* into @tt */
	uint32_t num;
	bool long_len;
	enum ksym_encoding enc;
	uint64_t base;			/* kallsyms_relative_base */
	uint64_t table;			/* of the offsets or addresses */
	size_t entry;			/* bytes of one */
};

/*
 * Each symbol in turn: @fn gets its index, its name (type letter first,
 * @n bytes) and where its entry lies in kallsyms_names. The table goes
 * through a sliding window: it is large (1.9 MB on 6.12).
 */
static struct sdei_error *walk_names(struct ksym_src *ks,
		struct sdei_error *(*fn)(void *arg, uint32_t i,
					 const char *name, size_t n,
					 size_t off, size_t end),
		void *arg)
{
	char name[KSYM_MAX_NAME + 256];
	struct sdei_error *err;
	struct ksym_buf nb;
	size_t off = 0;

	kbuf_init(&nb, &ks->ctx, KT_NAMES, KSYM_NAMES_CAP);
	for (uint32_t i = 0; i < ks->num; i++) {
		size_t len, n, at = off;

		kbuf_slide(&nb, off);
		err = kbuf_ensure(&nb, off + 1);
		if (err)
			goto out;
		len = *kbuf_at(&nb, off++);
		if ((len & 0x80) && ks->long_len) {
			err = kbuf_ensure(&nb, off + 1);
			if (err)
				goto out;
			if (*kbuf_at(&nb, off) & 0x80) {
				err = sdei_error_create(SDEI_ERROR_CORRUPT,
					"kallsyms: symbol %u has a 3-byte length",
					i);
				goto out;
			}
			len = (len & 0x7f) | (size_t)*kbuf_at(&nb, off++) << 7;
		}
		err = kbuf_ensure(&nb, off + len);
		if (err)
			goto out;
		n = expand_name(&ks->tok, kbuf_at(&nb, off), len, name);
		off += len;
		if (n < 2 || n > KSYM_MAX_NAME) {
			err = sdei_error_create(SDEI_ERROR_CORRUPT,
				"kallsyms: symbol %u has a name of %zu bytes",
				i, n ? n - 1 : 0);
			goto out;
		}
		err = fn(arg, i, name, n, at, off);
		if (err)
			goto out;
	}
	err = NULL;
out:
	free(nb.buf);
	return err;
}

static uint64_t ksym_addr(enum ksym_encoding enc, uint64_t base,
			  uint64_t table, const uint8_t *v, uint32_t i)
{
	int32_t s = (int32_t)sdei_le32(v);

	switch (enc) {
	case KE_BASE_RELATIVE:
		return base + (uint32_t)s;
	case KE_ABSOLUTE_PERCPU:
		return s >= 0 ? (uint64_t)s : base - 1 - (uint64_t)(int64_t)s;
	case KE_PLACE_RELATIVE:
		return table + 4 * (uint64_t)i + (uint64_t)(int64_t)s;
	case KE_ABSOLUTE:
		return sdei_le64(v);
	}
	return 0;
}

/*
 * The address encoding: the one that gives SYMBOL(_stext) for the symbol
 * @stext_idx. Reads that symbol's entry only.
 */
static struct sdei_error *find_encoding(struct ksym_src *ks,
					const char *vmcoreinfo,
					uint32_t stext_idx)
{
	const struct ksym_ctx *ctx = &ks->ctx;
	struct ksym_buf ob, rb = { .buf = NULL };
	struct sdei_error *err = NULL;
	uint64_t stext = 0, a[3];
	bool have_stext;
	const uint8_t *v;
	uint8_t e[4];
	size_t need;

	have_stext = sdei_sym_vmci_hex(vmcoreinfo, "SYMBOL(_stext)", &stext);
	ks->entry = ctx->addr[KT_OFFSETS] ? 4 : 8;
	kbuf_init(&ob, ctx, ctx->addr[KT_OFFSETS] ? KT_OFFSETS : KT_ADDRESSES,
		  (size_t)ks->num * ks->entry);
	ks->table = ob.base;
	need = (size_t)ks->num * ks->entry;
	if (need > ob.limit) {
		err = sdei_error_create(SDEI_ERROR_CORRUPT,
			"kallsyms: %u symbols do not fit %s (0x%zx bytes)",
			ks->num, ob.name, ob.limit);
		goto out;
	}
	if (!ctx->addr[KT_OFFSETS]) {
		ks->enc = KE_ABSOLUTE;
		goto out;
	}
	if (ctx->addr[KT_RELATIVE_BASE]) {
		kbuf_init(&rb, ctx, KT_RELATIVE_BASE, 8);
		err = kbuf_ensure(&rb, 8);
		if (err)
			goto out;
		ks->base = sdei_le64(rb.buf);
	}
	if (!have_stext || stext_idx == UINT32_MAX) {
		/* nothing to test against: what arm64 has used */
		ks->enc = ctx->addr[KT_RELATIVE_BASE] ? KE_BASE_RELATIVE :
			  KE_PLACE_RELATIVE;
		goto out;
	}
	if (stext_idx >= ks->num) {
		err = sdei_error_create(SDEI_ERROR_CORRUPT,
			"kallsyms: _stext is symbol %u of %u", stext_idx,
			ks->num);
		goto out;
	}
	err = ctx->read(ctx->arg, SDEI_KVADDR, ks->table + 4 * stext_idx, e,
			4);
	if (err) {
		err = sdei_error_prefix(err, "kallsyms: %s at 0x%llx", ob.name,
					(unsigned long long)ob.base);
		goto out;
	}
	v = e;
	a[0] = ksym_addr(KE_BASE_RELATIVE, ks->base, ks->table, v, stext_idx);
	a[1] = ksym_addr(KE_ABSOLUTE_PERCPU, ks->base, ks->table, v,
			 stext_idx);
	a[2] = ksym_addr(KE_PLACE_RELATIVE, ks->base, ks->table, v,
			 stext_idx);
	if (ctx->addr[KT_RELATIVE_BASE] && a[0] == stext) {
		ks->enc = KE_BASE_RELATIVE;
	} else if (ctx->addr[KT_RELATIVE_BASE] && a[1] == stext) {
		ks->enc = KE_ABSOLUTE_PERCPU;
	} else if (!ctx->addr[KT_RELATIVE_BASE] && a[2] == stext) {
		ks->enc = KE_PLACE_RELATIVE;
	} else {
		err = sdei_error_create(SDEI_ERROR_CORRUPT,
			"kallsyms: no address encoding gives _stext 0x%llx (VMCOREINFO)",
			(unsigned long long)stext);
	}
out:
	free(ob.buf);
	free(rb.buf);
	return err;
}

/* Each symbol's address in turn, through a sliding window. */
static struct sdei_error *walk_addrs(struct ksym_src *ks,
		struct sdei_error *(*fn)(void *arg, uint32_t i, uint64_t addr),
		void *arg)
{
	struct sdei_error *err = NULL;
	struct ksym_buf ob;

	kbuf_init(&ob, &ks->ctx, ks->entry == 4 ? KT_OFFSETS : KT_ADDRESSES,
		  (size_t)ks->num * ks->entry);
	for (uint32_t i = 0; i < ks->num && !err; i++) {
		size_t off = (size_t)i * ks->entry;

		kbuf_slide(&ob, off);
		err = kbuf_ensure(&ob, off + ks->entry);
		if (!err)
			err = fn(arg, i, ksym_addr(ks->enc, ks->base, ks->table,
						   kbuf_at(&ob, off), i));
	}
	free(ob.buf);
	return err;
}

/* ---- the full table ------------------------------------------------ */

struct full_pass {
	struct sdei_symtab *tab;
	size_t next;		/* the next symbol to get its address */
};

/* Every wanted symbol into the table, with its index as address. */
static struct sdei_error *full_name(void *arg, uint32_t i, const char *name,
				    size_t n, size_t off, size_t end)
{
	struct full_pass *fp = arg;

	(void)off;
	(void)end;
	if (!sdei_sym_wanted(name[0], name + 1, n - 1))
		return NULL;
	return sdei_sym_add(fp->tab, name + 1, n - 1, name[0], i);
}

static struct sdei_error *full_addr(void *arg, uint32_t i, uint64_t addr)
{
	struct full_pass *fp = arg;
	struct sdei_symtab *tab = fp->tab;

	while (fp->next < tab->nr && tab->syms[fp->next].addr == i)
		tab->syms[fp->next++].addr = addr;
	return NULL;
}

/* The whole table in memory, as other sources are kept. */
static struct sdei_error *ksym_expand(struct sdei_symtab *tab, void *src)
{
	struct full_pass fp = { .tab = tab };
	struct sdei_sym_hot *hot = tab->hot;
	struct ksym_src *ks = src;
	struct sdei_error *err;

	/* the hot set has them all already */
	tab->hot = NULL;
	err = sdei_sym_reserve(tab, ks->num);
	if (!err)
		err = walk_names(ks, full_name, &fp);
	if (!err)
		err = walk_addrs(ks, full_addr, &fp);
	tab->hot = hot;
	if (!err && !tab->nr)
		err = sdei_error_create(SDEI_ERROR_FORMAT,
					"kallsyms: no symbols");
	return err ? err : sdei_sym_index(tab, true);
}

/* ---- the lazy table ------------------------------------------------ */

struct lazy_pass {
	struct sdei_symtab *tab;
	uint32_t stext_idx;
	/* the second walk: marks and hot names get their addresses */
	size_t mark[SDEI_LAZY_KINDS];
	size_t hit;
	uint64_t prev;
	bool sorted;
};

static struct sdei_error *lazy_name(void *arg, uint32_t i, const char *name,
				    size_t n, size_t off, size_t end)
{
	struct lazy_pass *lp = arg;
	struct sdei_error *err;

	if (!sdei_sym_wanted(name[0], name + 1, n - 1))
		return NULL;
	if (lp->stext_idx == UINT32_MAX && !strcmp(name + 1, "_stext"))
		lp->stext_idx = i;
	/* the index as address, until walk_addrs() */
	err = sdei_sym_hot_note(lp->tab, name + 1, n - 1, name[0], i);
	if (!err)
		err = sdei_sym_lazy_add(lp->tab->lazy, i, name[0], off, end, i);
	return err;
}

static struct sdei_error *lazy_addr(void *arg, uint32_t i, uint64_t addr)
{
	struct lazy_pass *lp = arg;
	struct sdei_sym_hot *hot = lp->tab->hot;

	/* in address order, as scripts/kallsyms sorts them */
	if (i && addr < lp->prev)
		lp->sorted = false;
	lp->prev = addr;
	for (int k = 0; k < SDEI_LAZY_KINDS; k++) {
		struct sdei_lazy_index *x = &lp->tab->lazy->idx[k];

		while (lp->mark[k] < x->nr && x->aux[lp->mark[k]] == i)
			x->addr[lp->mark[k]++] = addr;
	}
	while (lp->hit < hot->nr_hit && hot->hit[lp->hit].addr == i)
		hot->hit[lp->hit++].addr = addr;
	return NULL;
}

/* A segment's names, read and expanded again, with their addresses. */
static bool ksym_decode(const struct sdei_symtab *tab, void *src,
			struct sdei_sym_seg *sg)
{
	struct ksym_src *ks = src;
	const struct ksym_ctx *ctx = &ks->ctx;
	char name[KSYM_MAX_NAME + 256];
	size_t pos = 0, nsym = 0;
	struct sdei_error *err;
	uint8_t *buf, *ent;

	(void)tab;
	/* the names, then room for the entries of at most one per byte */
	buf = (uint8_t *)sdei_sym_seg_scratch(sg, sg->len * (1 + 8));
	if (!buf)
		return false;
	ent = buf + sg->len;
	err = ctx->read(ctx->arg, SDEI_KVADDR, ctx->addr[KT_NAMES] + sg->off,
			buf, sg->len);
	if (err) {
		sdei_error_destroy(err);
		return false;
	}
	/* how many symbols the bytes hold */
	while (pos < sg->len && sg->aux + nsym < ks->num) {
		size_t len = buf[pos++];

		if ((len & 0x80) && ks->long_len) {
			if (pos >= sg->len)
				break;
			len = (len & 0x7f) | (size_t)buf[pos++] << 7;
		}
		if (len > sg->len - pos)
			break;
		pos += len;
		nsym++;
	}
	err = ctx->read(ctx->arg, SDEI_KVADDR,
			ks->table + (uint64_t)sg->aux * ks->entry, ent,
			nsym * ks->entry);
	if (err) {
		sdei_error_destroy(err);
		return false;
	}
	pos = 0;
	for (size_t j = 0; j < nsym; j++) {
		size_t len, n, at = pos;

		len = buf[pos++];
		if ((len & 0x80) && ks->long_len)
			len = (len & 0x7f) | (size_t)buf[pos++] << 7;
		n = expand_name(&ks->tok, buf + pos, len, name);
		pos += len;
		if (n < 2 || n > KSYM_MAX_NAME)
			return false;
		if (sdei_sym_wanted(name[0], name + 1, n - 1) &&
		    !sdei_sym_seg_put(sg, ksym_addr(ks->enc, ks->base,
						    ks->table,
						    ent + j * ks->entry,
						    sg->aux + (uint32_t)j),
				      name[0], name + 1, n - 1,
				      (uint32_t)(sg->off + at)))
			break;
	}
	return true;
}

static void ksym_destroy(void *src)
{
	struct ksym_src *ks = src;

	if (!ks)
		return;
	free(ks->tt.buf);
	free(ks);
}

static const struct sdei_sym_lazy_ops ksym_ops = {
	.decode = ksym_decode,
	.expand = ksym_expand,
	.destroy = ksym_destroy,
};

struct sdei_error *sdei_symtab_from_kallsyms(sdei_read_fn *read, void *arg,
					     const char *vmcoreinfo,
					     struct sdei_symtab **ret)
{
	struct lazy_pass lp = { .stext_idx = UINT32_MAX, .sorted = true };
	struct sdei_symtab *tab = NULL;
	struct ksym_src *ks = NULL;
	struct sdei_error *err;
	struct ksym_buf nsb;
	char key[64];
	uint32_t num;

	*ret = NULL;
	ks = calloc(1, sizeof(*ks));
	if (!ks)
		return &sdei_error_nomem;
	ks->ctx.read = read;
	ks->ctx.arg = arg;
	for (int i = 0; i < KT_NR; i++) {
		snprintf(key, sizeof(key), "SYMBOL(%s)", ktable_name[i]);
		if (!sdei_sym_vmci_hex(vmcoreinfo, key, &ks->ctx.addr[i]))
			ks->ctx.addr[i] = 0;
	}
	if (!ks->ctx.addr[KT_NAMES] && !ks->ctx.addr[KT_NUM_SYMS]) {
		err = sdei_error_create(SDEI_ERROR_LOOKUP,
			"VMCOREINFO has no kallsyms tables (Linux < 6.0, or CONFIG_KALLSYMS off)");
		goto fail;
	}
	for (int i = KT_NAMES; i <= KT_TOKEN_INDEX; i++) {
		if (!ks->ctx.addr[i]) {
			err = sdei_error_create(SDEI_ERROR_LOOKUP,
				"VMCOREINFO has no SYMBOL(%s)",
				ktable_name[i]);
			goto fail;
		}
	}
	if (!ks->ctx.addr[KT_OFFSETS] && !ks->ctx.addr[KT_ADDRESSES]) {
		err = sdei_error_create(SDEI_ERROR_LOOKUP,
			"VMCOREINFO has neither SYMBOL(kallsyms_offsets) nor SYMBOL(kallsyms_addresses)");
		goto fail;
	}
	if (!read) {
		err = sdei_error_create(SDEI_ERROR_INVALID,
					"kallsyms: no memory reader");
		goto fail;
	}

	kbuf_init(&nsb, &ks->ctx, KT_NUM_SYMS, 4);
	err = kbuf_ensure(&nsb, 4);
	num = err ? 0 : sdei_le32(nsb.buf);
	free(nsb.buf);
	if (err)
		goto fail;
	if (!num || num > KSYM_MAX_SYMS) {
		err = sdei_error_create(SDEI_ERROR_CORRUPT,
			"kallsyms: kallsyms_num_syms is %u", num);
		goto fail;
	}
	ks->num = num;
	ks->long_len = long_names(vmcoreinfo);
	err = read_tokens(&ks->ctx, &ks->tt, &ks->tok);
	if (err)
		goto fail;

	tab = sdei_sym_create(SDEI_SYMSRC_KALLSYMS);
	if (!tab) {
		err = &sdei_error_nomem;
		goto fail;
	}
	/* from here the table owns @ks */
	err = sdei_sym_lazy_attach(tab, &ksym_ops, ks, true);
	ks = NULL;
	if (!err)
		err = sdei_sym_hot_init(tab, vmcoreinfo);
	if (!err)
		err = sdei_sym_lazy_reserve(tab->lazy, num);
	if (err)
		goto fail;
	ks = tab->lazy->src;
	lp.tab = tab;
	err = walk_names(ks, lazy_name, &lp);
	if (!err)
		err = find_encoding(ks, vmcoreinfo, lp.stext_idx);
	if (!err)
		err = walk_addrs(ks, lazy_addr, &lp);
	ks = NULL;
	if (err)
		goto fail;
	if (!tab->lazy->idx[SDEI_LAZY_ALL].count) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
					"kallsyms: no symbols");
		goto fail;
	}
	err = sdei_sym_lazy_done(tab, lp.sorted, NULL, 0);
	if (err)
		goto fail;
	sdei_sym_ranges(tab);
	err = sdei_sym_check_vmcoreinfo(tab, vmcoreinfo, NULL, "kallsyms");
	if (err)
		goto fail;
	if (asprintf(&tab->describe, "kallsyms in the dump (%u symbols, %s)",
		     num, tab->has_data ? "with data" : "text only") < 0) {
		tab->describe = NULL;
		err = &sdei_error_nomem;
		goto fail;
	}
	*ret = tab;
	return NULL;
fail:
	ksym_destroy(ks);
	sdei_symtab_destroy(tab);
	return err;
}
