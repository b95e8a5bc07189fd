// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The printk log of the kernel model: the lockless printk_ringbuffer of
 * v5.10+ (kernel/printk/printk_ringbuffer.h), laid out as the kernel's
 * static ring (printk_rb_static, _printk_rb_static_descs/_infos, __log_buf)
 * and described in VMCOREINFO exactly as log_buf_vmcoreinfo_setup() does,
 * so vmcore-dmesg, crash, drgn and makedumpfile can read the "SMP: ..."
 * stop lines.
 *
 * Records are collected as the scenario is read (printk_add()) and written
 * once the machine layout exists (printk_finish()). The ring never wraps
 * here: the tail stays at the kernel's initial DESC0_ID descriptor, which
 * is reusable and skipped by every reader, as in a freshly booted kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* shared with kernel.c (the kernel model's two files share no header) */
int printk_add(const char *text, int level);
int printk_finish(struct gen *g, char *err, size_t errlen);

#define LOG_BUF_SHIFT		14
#define PRB_AVGBITS		5
#define DESC_BITS		(LOG_BUF_SHIFT - PRB_AVGBITS)
#define DESCS_COUNT		(1ULL << DESC_BITS)
#define DATA_SIZE		(1ULL << LOG_BUF_SHIFT)

#define DESC_FLAGS_SHIFT	62
#define DESC_ID_MASK		(~(3ULL << DESC_FLAGS_SHIFT))
#define DESC_SV(id, state)	(((uint64_t)(state) << DESC_FLAGS_SHIFT) | \
				 ((id) & DESC_ID_MASK))
#define DESC_FINALIZED		2
#define DESC_REUSABLE		3
#define DESC0_ID		((0 - (DESCS_COUNT + 1)) & DESC_ID_MASK)
#define FAILED_LPOS		0x1ULL
#define BLK0_LPOS		(0 - DATA_SIZE)

/* struct sizes and offsets, as the real dumps' VMCOREINFO gives them */
#define SZ_PRB			88
#define SZ_DESC			24
#define SZ_INFO			88
#define LOG_NEWLINE		2

struct record {
	char *text;
	int level;
};

static struct record *records;
static size_t nrecords, caprecords;

int printk_add(const char *text, int level)
{
	if (nrecords == caprecords) {
		size_t ncap = caprecords ? 2 * caprecords : 16;
		struct record *r = realloc(records, ncap * sizeof(*r));

		if (!r)
			return -1;
		records = r;
		caprecords = ncap;
	}
	records[nrecords].text = strdup(text);
	if (!records[nrecords].text)
		return -1;
	records[nrecords].level = level;
	nrecords++;
	return 0;
}

static int perr(char *err, size_t len, const char *what)
{
	snprintf(err, len, "printk: cannot write '%s'", what);
	return -1;
}

static int vmci_lines(struct gen *g, uint64_t prb, uint64_t rb_static,
		      uint64_t clear_seq)
{
	static const char *const fixed[][2] = {
		{ "SIZE(printk_ringbuffer)", "88" },
		{ "OFFSET(printk_ringbuffer.desc_ring)", "0" },
		{ "OFFSET(printk_ringbuffer.text_data_ring)", "48" },
		{ "OFFSET(printk_ringbuffer.fail)", "80" },
		{ "SIZE(prb_desc_ring)", "48" },
		{ "OFFSET(prb_desc_ring.count_bits)", "0" },
		{ "OFFSET(prb_desc_ring.descs)", "8" },
		{ "OFFSET(prb_desc_ring.infos)", "16" },
		{ "OFFSET(prb_desc_ring.head_id)", "24" },
		{ "OFFSET(prb_desc_ring.tail_id)", "32" },
		{ "SIZE(prb_desc)", "24" },
		{ "OFFSET(prb_desc.state_var)", "0" },
		{ "OFFSET(prb_desc.text_blk_lpos)", "8" },
		{ "SIZE(prb_data_blk_lpos)", "16" },
		{ "OFFSET(prb_data_blk_lpos.begin)", "0" },
		{ "OFFSET(prb_data_blk_lpos.next)", "8" },
		{ "SIZE(printk_info)", "88" },
		{ "OFFSET(printk_info.seq)", "0" },
		{ "OFFSET(printk_info.ts_nsec)", "8" },
		{ "OFFSET(printk_info.text_len)", "16" },
		{ "OFFSET(printk_info.caller_id)", "20" },
		{ "OFFSET(printk_info.dev_info)", "24" },
		{ "SIZE(dev_printk_info)", "64" },
		{ "OFFSET(dev_printk_info.subsystem)", "0" },
		{ "LENGTH(printk_info_subsystem)", "16" },
		{ "OFFSET(dev_printk_info.device)", "16" },
		{ "LENGTH(printk_info_device)", "48" },
		{ "SIZE(prb_data_ring)", "32" },
		{ "OFFSET(prb_data_ring.size_bits)", "0" },
		{ "OFFSET(prb_data_ring.data)", "8" },
		{ "OFFSET(prb_data_ring.head_lpos)", "16" },
		{ "OFFSET(prb_data_ring.tail_lpos)", "24" },
		{ "SIZE(atomic_long_t)", "8" },
		{ "OFFSET(atomic_long_t.counter)", "0" },
		{ "SIZE(latched_seq)", "24" },
		{ "OFFSET(latched_seq.val)", "8" },
	};
	size_t i;

	if (gen_vmcoreinfo_set(g, "SYMBOL(prb)", "%llx",
			       (unsigned long long)prb) ||
	    gen_vmcoreinfo_set(g, "SYMBOL(printk_rb_static)", "%llx",
			       (unsigned long long)rb_static) ||
	    gen_vmcoreinfo_set(g, "SYMBOL(clear_seq)", "%llx",
			       (unsigned long long)clear_seq))
		return -1;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (gen_vmcoreinfo_set(g, fixed[i][0], "%s", fixed[i][1]))
			return -1;
	return 0;
}

int printk_finish(struct gen *g, char *err, size_t errlen)
{
	uint64_t log_buf, descs, infos, rb, prb, clear_seq;
	uint64_t lpos = BLK0_LPOS, id = DESC0_ID, ts = 15608621000ULL;
	uint8_t info[SZ_INFO];
	size_t i;

	log_buf = gen_alloc_kimage(g, DATA_SIZE, 8, "__log_buf");
	descs = gen_alloc_kimage(g, DESCS_COUNT * SZ_DESC, 8,
				 "_printk_rb_static_descs");
	infos = gen_alloc_kimage(g, DESCS_COUNT * SZ_INFO, 8,
				 "_printk_rb_static_infos");
	rb = gen_alloc_kimage(g, SZ_PRB, 8, "printk_rb_static");
	prb = gen_alloc_kimage(g, 8, 8, "prb");
	clear_seq = gen_alloc_kimage(g, 24, 8, "clear_seq");
	if (!log_buf || !descs || !infos || !rb || !prb || !clear_seq)
		return perr(err, errlen, "printk_rb_static");

	/* _DEFINE_PRINTKRB(): the initial reusable descriptor and seqs */
	if (gen_write_u64(g, descs + (DESCS_COUNT - 1) * SZ_DESC,
			  DESC_SV(DESC0_ID, DESC_REUSABLE)) ||
	    gen_write_u64(g, descs + (DESCS_COUNT - 1) * SZ_DESC + 8,
			  FAILED_LPOS) ||
	    gen_write_u64(g, descs + (DESCS_COUNT - 1) * SZ_DESC + 16,
			  FAILED_LPOS) ||
	    gen_write_u64(g, infos, 0 - DESCS_COUNT))
		return perr(err, errlen, "_printk_rb_static_descs");

	for (i = 0; i < nrecords && i < DESCS_COUNT - 1; i++) {
		size_t len = strlen(records[i].text);
		uint64_t size = (8 + len + 7) & ~7ULL;
		uint64_t idx = lpos & (DATA_SIZE - 1);
		uint64_t d = descs + (i * SZ_DESC);
		uint32_t caller = 1;
		uint16_t tlen;

		if (len > 1000)
			len = 1000;
		tlen = (uint16_t)len;
		/* a block never wraps: stop where the ring would */
		if (idx + size > DATA_SIZE)
			break;
		id = (DESC0_ID + 1 + i) & DESC_ID_MASK;
		if (gen_write_u64(g, log_buf + idx, id) ||
		    gen_write(g, log_buf + idx + 8, records[i].text, len))
			return perr(err, errlen, "__log_buf");
		if (gen_write_u64(g, d, DESC_SV(id, DESC_FINALIZED)) ||
		    gen_write_u64(g, d + 8, lpos) ||
		    gen_write_u64(g, d + 16, lpos + size))
			return perr(err, errlen, "_printk_rb_static_descs");
		memset(info, 0, sizeof(info));
		memcpy(info, &(uint64_t){ i }, 8);
		memcpy(info + 8, &ts, 8);
		memcpy(info + 16, &tlen, 2);
		info[19] = (uint8_t)((records[i].level & 7) << 5 | LOG_NEWLINE);
		memcpy(info + 20, &caller, 4);
		if (gen_write(g, infos + i * SZ_INFO, info, sizeof(info)))
			return perr(err, errlen, "_printk_rb_static_infos");
		lpos += size;
		ts += 1377000;
	}

	/* struct printk_ringbuffer printk_rb_static */
	if (gen_write_u32(g, rb + 0, DESC_BITS) ||
	    gen_write_u64(g, rb + 8, descs) ||
	    gen_write_u64(g, rb + 16, infos) ||
	    gen_write_u64(g, rb + 24, id) ||
	    gen_write_u64(g, rb + 32, DESC0_ID) ||
	    gen_write_u64(g, rb + 40, i ? i - 1 : 0) ||
	    gen_write_u32(g, rb + 48, LOG_BUF_SHIFT) ||
	    gen_write_u64(g, rb + 56, log_buf) ||
	    gen_write_u64(g, rb + 64, lpos) ||
	    gen_write_u64(g, rb + 72, BLK0_LPOS) ||
	    gen_write_u64(g, prb, rb))
		return perr(err, errlen, "printk_rb_static");
	if (vmci_lines(g, prb, rb, clear_seq))
		return perr(err, errlen, "VMCOREINFO");
	return 0;
}
