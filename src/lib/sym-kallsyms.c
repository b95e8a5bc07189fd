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

/* A table read on demand, never past @limit bytes. */
struct ksym_buf {
	const struct ksym_ctx *ctx;
	const char *name;
	uint64_t base;
	size_t limit;
	bool bounded;		/* @limit is the next table's address */
	uint8_t *buf;
	size_t have;
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

static struct sdei_error *kbuf_ensure(struct ksym_buf *b, size_t n)
{
	struct sdei_error *err;
	size_t want;
	uint8_t *nb;

	if (n <= b->have)
		return NULL;
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
	if (b->bounded && want < b->have + KSYM_CHUNK)
		want = b->have + KSYM_CHUNK;
	want = (size_t)(((b->base + want + KSYM_PAGE - 1) &
			 ~(uint64_t)(KSYM_PAGE - 1)) - b->base);
	if (want > b->limit)
		want = b->limit;
	nb = realloc(b->buf, want);
	if (!nb)
		return &sdei_error_nomem;
	b->buf = nb;
	err = b->ctx->read(b->ctx->arg, SDEI_KVADDR, b->base + b->have,
			   b->buf + b->have, want - b->have);
	if (err)
		return sdei_error_prefix(err, "kallsyms: %s at 0x%llx",
					 b->name, (unsigned long long)b->base);
	b->have = want;
	return NULL;
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

/*
 * Adds every wanted symbol with its index as address; the addresses come
 * later, once the encoding is known.
 */
static struct sdei_error *read_names(const struct ksym_ctx *ctx,
				     const struct ksym_tokens *tok,
				     uint32_t num, bool long_len,
				     struct sdei_symtab *tab,
				     uint32_t *stext_ret)
{
	char name[KSYM_MAX_NAME + 256];
	struct sdei_error *err;
	struct ksym_buf nb;
	size_t off = 0;

	*stext_ret = UINT32_MAX;
	kbuf_init(&nb, ctx, KT_NAMES, KSYM_NAMES_CAP);
	for (uint32_t i = 0; i < num; i++) {
		size_t len, n = 0;

		err = kbuf_ensure(&nb, off + 1);
		if (err)
			goto out;
		len = nb.buf[off++];
		if ((len & 0x80) && long_len) {
			err = kbuf_ensure(&nb, off + 1);
			if (err)
				goto out;
			if (nb.buf[off] & 0x80) {
				err = sdei_error_create(SDEI_ERROR_CORRUPT,
					"kallsyms: symbol %u has a 3-byte length",
					i);
				goto out;
			}
			len = (len & 0x7f) | (size_t)nb.buf[off++] << 7;
		}
		err = kbuf_ensure(&nb, off + len);
		if (err)
			goto out;
		for (size_t k = 0; k < len && n <= KSYM_MAX_NAME; k++) {
			uint8_t t = nb.buf[off + k];

			memcpy(name + n, tok->str[t], tok->len[t]);
			n += tok->len[t];
		}
		off += len;
		if (n < 2 || n > KSYM_MAX_NAME) {
			err = sdei_error_create(SDEI_ERROR_CORRUPT,
				"kallsyms: symbol %u has a name of %zu bytes",
				i, n ? n - 1 : 0);
			goto out;
		}
		name[n] = '\0';
		if (!sdei_sym_wanted(name[0], name + 1, n - 1))
			continue;
		if (*stext_ret == UINT32_MAX && !strcmp(name + 1, "_stext"))
			*stext_ret = i;
		err = sdei_sym_add(tab, name + 1, n - 1, name[0], i);
		if (err)
			goto out;
	}
	err = NULL;
out:
	free(nb.buf);
	return err;
}

enum ksym_encoding {
	KE_BASE_RELATIVE,
	KE_ABSOLUTE_PERCPU,
	KE_PLACE_RELATIVE,
	KE_ABSOLUTE,
};

static uint64_t ksym_addr(enum ksym_encoding enc, uint64_t base,
			  uint64_t table, const uint8_t *v, uint32_t i)
{
	int32_t s = (int32_t)sdei_le32(v + 4 * (size_t)i);

	switch (enc) {
	case KE_BASE_RELATIVE:
		return base + (uint32_t)s;
	case KE_ABSOLUTE_PERCPU:
		return s >= 0 ? (uint64_t)s : base - 1 - (uint64_t)(int64_t)s;
	case KE_PLACE_RELATIVE:
		return table + 4 * (uint64_t)i + (uint64_t)(int64_t)s;
	case KE_ABSOLUTE:
		return sdei_le64(v + 8 * (size_t)i);
	}
	return 0;
}

static struct sdei_error *read_addresses(const struct ksym_ctx *ctx,
					 const char *vmcoreinfo, uint32_t num,
					 uint32_t stext_idx,
					 struct sdei_symtab *tab)
{
	enum ksym_encoding enc;
	struct sdei_error *err;
	struct ksym_buf ob, rb = { .buf = NULL };
	uint64_t base = 0, stext = 0, table;
	bool have_stext;
	size_t need;

	have_stext = sdei_sym_vmci_hex(vmcoreinfo, "SYMBOL(_stext)", &stext);
	if (ctx->addr[KT_OFFSETS]) {
		kbuf_init(&ob, ctx, KT_OFFSETS, (size_t)num * 4);
		need = (size_t)num * 4;
		table = ctx->addr[KT_OFFSETS];
	} else {
		kbuf_init(&ob, ctx, KT_ADDRESSES, (size_t)num * 8);
		need = (size_t)num * 8;
		table = ctx->addr[KT_ADDRESSES];
	}
	if (need > ob.limit) {
		err = sdei_error_create(SDEI_ERROR_CORRUPT,
			"kallsyms: %u symbols do not fit %s (0x%zx bytes)",
			num, ob.name, ob.limit);
		goto out;
	}
	err = kbuf_ensure(&ob, need);
	if (err)
		goto out;
	if (!ctx->addr[KT_OFFSETS]) {
		enc = KE_ABSOLUTE;
		goto decode;
	}
	if (ctx->addr[KT_RELATIVE_BASE]) {
		kbuf_init(&rb, ctx, KT_RELATIVE_BASE, 8);
		err = kbuf_ensure(&rb, 8);
		if (err)
			goto out;
		base = sdei_le64(rb.buf);
	}
	if (!have_stext || stext_idx == UINT32_MAX) {
		/* nothing to test against: what arm64 has used */
		enc = ctx->addr[KT_RELATIVE_BASE] ? KE_BASE_RELATIVE :
			KE_PLACE_RELATIVE;
	} else if (ctx->addr[KT_RELATIVE_BASE] &&
		   ksym_addr(KE_BASE_RELATIVE, base, table, ob.buf,
			     stext_idx) == stext) {
		enc = KE_BASE_RELATIVE;
	} else if (ctx->addr[KT_RELATIVE_BASE] &&
		   ksym_addr(KE_ABSOLUTE_PERCPU, base, table, ob.buf,
			     stext_idx) == stext) {
		enc = KE_ABSOLUTE_PERCPU;
	} else if (!ctx->addr[KT_RELATIVE_BASE] &&
		   ksym_addr(KE_PLACE_RELATIVE, base, table, ob.buf,
			     stext_idx) == stext) {
		enc = KE_PLACE_RELATIVE;
	} else {
		err = sdei_error_create(SDEI_ERROR_CORRUPT,
			"kallsyms: no address encoding gives _stext 0x%llx (VMCOREINFO)",
			(unsigned long long)stext);
		goto out;
	}
decode:
	for (size_t i = 0; i < tab->nr; i++)
		tab->syms[i].addr = ksym_addr(enc, base, table, ob.buf,
					      (uint32_t)tab->syms[i].addr);
out:
	free(ob.buf);
	free(rb.buf);
	return err;
}

struct sdei_error *sdei_symtab_from_kallsyms(sdei_read_fn *read, void *arg,
					     const char *vmcoreinfo,
					     struct sdei_symtab **ret)
{
	struct ksym_ctx ctx = { .read = read, .arg = arg };
	struct ksym_tokens tok;
	struct sdei_symtab *tab = NULL;
	struct sdei_error *err;
	struct ksym_buf nsb, tt = { .buf = NULL };
	uint32_t num, stext_idx;
	char key[64];

	*ret = NULL;
	for (int i = 0; i < KT_NR; i++) {
		snprintf(key, sizeof(key), "SYMBOL(%s)", ktable_name[i]);
		if (!sdei_sym_vmci_hex(vmcoreinfo, key, &ctx.addr[i]))
			ctx.addr[i] = 0;
	}
	if (!ctx.addr[KT_NAMES] && !ctx.addr[KT_NUM_SYMS])
		return sdei_error_create(SDEI_ERROR_LOOKUP,
			"VMCOREINFO has no kallsyms tables (Linux < 6.0, or CONFIG_KALLSYMS off)");
	for (int i = KT_NAMES; i <= KT_TOKEN_INDEX; i++) {
		if (!ctx.addr[i])
			return sdei_error_create(SDEI_ERROR_LOOKUP,
				"VMCOREINFO has no SYMBOL(%s)",
				ktable_name[i]);
	}
	if (!ctx.addr[KT_OFFSETS] && !ctx.addr[KT_ADDRESSES])
		return sdei_error_create(SDEI_ERROR_LOOKUP,
			"VMCOREINFO has neither SYMBOL(kallsyms_offsets) nor SYMBOL(kallsyms_addresses)");
	if (!read)
		return sdei_error_create(SDEI_ERROR_INVALID,
					 "kallsyms: no memory reader");

	kbuf_init(&nsb, &ctx, KT_NUM_SYMS, 4);
	err = kbuf_ensure(&nsb, 4);
	if (err) {
		free(nsb.buf);
		return err;
	}
	num = sdei_le32(nsb.buf);
	free(nsb.buf);
	if (!num || num > KSYM_MAX_SYMS)
		return sdei_error_create(SDEI_ERROR_CORRUPT,
			"kallsyms: kallsyms_num_syms is %u", num);

	err = read_tokens(&ctx, &tt, &tok);
	if (err)
		goto fail;
	tab = sdei_sym_create(SDEI_SYMSRC_KALLSYMS);
	if (!tab) {
		err = &sdei_error_nomem;
		goto fail;
	}
	err = read_names(&ctx, &tok, num, long_names(vmcoreinfo), tab,
			 &stext_idx);
	if (err)
		goto fail;
	err = read_addresses(&ctx, vmcoreinfo, num, stext_idx, tab);
	if (err)
		goto fail;
	err = sdei_sym_finish(tab, true);
	if (err) {
		err = sdei_error_prefix(err, "kallsyms");
		goto fail;
	}
	err = sdei_sym_check_vmcoreinfo(tab, vmcoreinfo, NULL, "kallsyms");
	if (err)
		goto fail;
	if (asprintf(&tab->describe, "kallsyms in the dump (%u symbols, %s)",
		     num, tab->has_data ? "with data" : "text only") < 0) {
		tab->describe = NULL;
		err = &sdei_error_nomem;
		goto fail;
	}
	free(tt.buf);
	*ret = tab;
	return NULL;
fail:
	free(tt.buf);
	sdei_symtab_destroy(tab);
	return err;
}
