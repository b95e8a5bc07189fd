// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stop lines of the kernel log, read from the printk ring buffer
 * through the layout VMCOREINFO publishes (printk.c
 * log_buf_vmcoreinfo_setup()): no symbol file is needed. Only the newest
 * records are read, and only the "SMP: …" stop lines are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LOG_MAX_RECORDS		1024
#define DESC_STATE_SHIFT	62
#define DESC_ID_MASK		((1ull << DESC_STATE_SHIFT) - 1)
#define DESC_COMMITTED		1
#define DESC_FINALIZED		2

struct prb_layout {
	uint64_t prb;			/* value of the prb pointer */
	uint64_t desc_ring, text_ring;	/* offsets in printk_ringbuffer */
	uint64_t count_bits, descs, infos, head_id, tail_id;
	uint64_t desc_size, state_var, text_blk_lpos;
	uint64_t lpos_begin, lpos_next;
	uint64_t info_size, info_seq, info_ts, info_text_len;
	uint64_t size_bits, data;
};

static bool num(const char *vi, const char *key, uint64_t *ret)
{
	return sdei_vmcoreinfo_number(vi, key, 10, ret);
}

static bool layout(const char *vi, struct prb_layout *l)
{
	return num(vi, "OFFSET(printk_ringbuffer.desc_ring)", &l->desc_ring) &&
	       num(vi, "OFFSET(printk_ringbuffer.text_data_ring)",
		   &l->text_ring) &&
	       num(vi, "OFFSET(prb_desc_ring.count_bits)", &l->count_bits) &&
	       num(vi, "OFFSET(prb_desc_ring.descs)", &l->descs) &&
	       num(vi, "OFFSET(prb_desc_ring.infos)", &l->infos) &&
	       num(vi, "OFFSET(prb_desc_ring.head_id)", &l->head_id) &&
	       num(vi, "OFFSET(prb_desc_ring.tail_id)", &l->tail_id) &&
	       num(vi, "SIZE(prb_desc)", &l->desc_size) &&
	       num(vi, "OFFSET(prb_desc.state_var)", &l->state_var) &&
	       num(vi, "OFFSET(prb_desc.text_blk_lpos)", &l->text_blk_lpos) &&
	       num(vi, "OFFSET(prb_data_blk_lpos.begin)", &l->lpos_begin) &&
	       num(vi, "OFFSET(prb_data_blk_lpos.next)", &l->lpos_next) &&
	       num(vi, "SIZE(printk_info)", &l->info_size) &&
	       num(vi, "OFFSET(printk_info.seq)", &l->info_seq) &&
	       num(vi, "OFFSET(printk_info.ts_nsec)", &l->info_ts) &&
	       num(vi, "OFFSET(printk_info.text_len)", &l->info_text_len) &&
	       num(vi, "OFFSET(prb_data_ring.size_bits)", &l->size_bits) &&
	       num(vi, "OFFSET(prb_data_ring.data)", &l->data);
}

static bool fits(uint64_t off, uint64_t width, uint64_t size)
{
	return off <= size && width <= size - off;
}

static const char *const stop_prefixes[] = {
	"SMP: stopping secondary CPUs",
	"SMP: retry stop with NMI for CPUs",
	"SMP: retry stop with SDEI NMI for CPUs",
	"SMP: failed to stop secondary CPUs",
	"Some CPUs may be stale",
	"Starting crashdump kernel",
};

static bool wanted(const char *text, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(stop_prefixes); i++) {
		size_t n = strlen(stop_prefixes[i]);

		if (len >= n && !memcmp(text, stop_prefixes[i], n))
			return true;
	}
	return false;
}

static struct sdei_error *add_line(struct sdei_log *log, uint64_t ts,
				   const char *text, size_t len)
{
	struct sdei_log_line *v;

	if (log->nr == log->alloc) {
		size_t n = log->alloc ? 2 * log->alloc : 8;

		v = realloc(log->v, n * sizeof(*v));
		if (!v)
			return &sdei_error_nomem;
		log->v = v;
		log->alloc = n;
	}
	v = &log->v[log->nr];
	v->ts_nsec = ts;
	v->text = strndup(text, len);
	if (!v->text)
		return &sdei_error_nomem;
	log->nr++;
	return NULL;
}

struct sdei_error *sdei_log_read(sdei_read_fn *rd, void *arg,
				 const char *vi, struct sdei_log *log)
{
	struct prb_layout l;
	uint8_t hdr[256], desc[64], info[256];
	uint64_t a_prb, count_bits, descs, infos, head, tail, size_bits, data;
	uint64_t count, size, first;
	struct sdei_error *err;
	char text[256];

	memset(log, 0, sizeof(*log));
	if (!vi || !sdei_vmcoreinfo_number(vi, "SYMBOL(prb)", 16, &a_prb) ||
	    !layout(vi, &l)) {
		snprintf(log->why, sizeof(log->why),
			 "VMCOREINFO has no printk ring buffer layout");
		return NULL;
	}
	if (!fits(l.desc_ring, 48, sizeof(hdr)) ||
	    !fits(l.text_ring, 32, sizeof(hdr)) ||
	    !fits(l.state_var, 8, sizeof(desc)) ||
	    !fits(l.text_blk_lpos + l.lpos_begin, 8, sizeof(desc)) ||
	    !fits(l.text_blk_lpos + l.lpos_next, 8, sizeof(desc)) ||
	    l.desc_size > sizeof(desc) || l.info_size > sizeof(info) ||
	    !fits(l.info_seq, 8, l.info_size) ||
	    !fits(l.info_ts, 8, l.info_size) ||
	    !fits(l.info_text_len, 2, l.info_size) ||
	    !fits(l.count_bits, 4, 48) || !fits(l.descs, 8, 48) ||
	    !fits(l.infos, 8, 48) || !fits(l.head_id, 8, 48) ||
	    !fits(l.tail_id, 8, 48) || !fits(l.size_bits, 4, 32) ||
	    !fits(l.data, 8, 32)) {
		snprintf(log->why, sizeof(log->why),
			 "VMCOREINFO's printk layout is implausible");
		return NULL;
	}
	err = rd(arg, SDEI_KVADDR, a_prb, desc, 8);
	if (!err) {
		l.prb = sdei_le64(desc);
		err = rd(arg, SDEI_KVADDR, l.prb, hdr, sizeof(hdr) < 88 ?
			   sizeof(hdr) : 88);
	}
	if (err) {
		snprintf(log->why, sizeof(log->why),
			 "printk ring buffer cannot be read: %s",
			 err->message);
		sdei_error_destroy(err);
		return NULL;
	}
	count_bits = sdei_le32(hdr + l.desc_ring + l.count_bits);
	descs = sdei_le64(hdr + l.desc_ring + l.descs);
	infos = sdei_le64(hdr + l.desc_ring + l.infos);
	head = sdei_le64(hdr + l.desc_ring + l.head_id) & DESC_ID_MASK;
	tail = sdei_le64(hdr + l.desc_ring + l.tail_id) & DESC_ID_MASK;
	size_bits = sdei_le32(hdr + l.text_ring + l.size_bits);
	data = sdei_le64(hdr + l.text_ring + l.data);
	if (count_bits > 24 || size_bits > 32 || size_bits < 4) {
		snprintf(log->why, sizeof(log->why),
			 "printk ring buffer header is corrupt");
		return NULL;
	}
	count = 1ull << count_bits;
	size = 1ull << size_bits;
	/* ids grow; only the newest records can hold the stop lines */
	first = head - tail > LOG_MAX_RECORDS ? head - LOG_MAX_RECORDS : tail;
	if (head - tail >= count)
		first = head - (count - 1);
	log->readable = true;
	for (uint64_t id = first;; id = (id + 1) & DESC_ID_MASK) {
		uint64_t idx = id & (count - 1), sv, begin, next, off;
		unsigned int len;

		err = rd(arg, SDEI_KVADDR, descs + idx * l.desc_size, desc,
			   l.desc_size);
		if (err)
			goto skip;
		sv = sdei_le64(desc + l.state_var);
		if ((sv & DESC_ID_MASK) != id ||
		    (sv >> DESC_STATE_SHIFT != DESC_COMMITTED &&
		     sv >> DESC_STATE_SHIFT != DESC_FINALIZED))
			goto next_id;
		err = rd(arg, SDEI_KVADDR, infos + idx * l.info_size, info,
			   l.info_size);
		if (err)
			goto skip;
		len = info[l.info_text_len] | info[l.info_text_len + 1] << 8;
		begin = sdei_le64(desc + l.text_blk_lpos + l.lpos_begin);
		next = sdei_le64(desc + l.text_blk_lpos + l.lpos_next);
		if ((begin & 1) || !len)
			goto next_id;	/* data-less record */
		off = (begin >> size_bits) != (next >> size_bits) ?
			0 : begin & (size - 1);
		if (len > sizeof(text))
			len = sizeof(text);
		if (off + 8 + len > size)
			goto next_id;
		err = rd(arg, SDEI_KVADDR, data + off + 8, text, len);
		if (err)
			goto skip;
		if (wanted(text, len)) {
			while (len && text[len - 1] == '\n')
				len--;
			err = add_line(log, sdei_le64(info + l.info_ts), text,
				       len);
			if (err)
				return err;
		}
		goto next_id;
skip:
		sdei_error_destroy(err);
		log->unreadable++;
next_id:
		if (id == head)
			break;
	}
	return NULL;
}

void sdei_log_deinit(struct sdei_log *log)
{
	for (size_t i = 0; i < log->nr; i++)
		free(log->v[i].text);
	free(log->v);
	memset(log, 0, sizeof(*log));
}

bool sdei_parse_cpulist(const char *s, uint64_t *map, unsigned int bits)
{
	char *end;

	memset(map, 0, (bits + 63) / 64 * 8);
	while (*s == ' ')
		s++;
	while (*s) {
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			return false;
		s = end;
		if (*s == '-') {
			b = strtoul(s + 1, &end, 10);
			if (end == s + 1 || b < a)
				return false;
			s = end;
		}
		for (unsigned long i = a; i <= b && i < bits; i++)
			map[i / 64] |= 1ull << (i % 64);
		if (*s == ',')
			s++;
		else if (*s && *s != '\n' && *s != ' ')
			return false;
		else
			break;
	}
	return true;
}
