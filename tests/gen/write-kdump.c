// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump-compressed output (makedumpfile's format, header_version 6) and
 * its flattened form (`makedumpfile -F`).
 *
 *   block 0            struct disk_dump_header ("KDUMP   ")
 *   block 1..          struct kdump_sub_header, then the note area copied
 *                      verbatim (offset_note/size_note); offset_vmcoreinfo
 *                      points at the VMCOREINFO desc inside it
 *   bitmap_blocks      1st bitmap (RAM pages), 2nd bitmap (dumped pages)
 *   page descriptors   one struct page_desc per dumped page, pfn order
 *   page data          the shared zero page first, then each page,
 *                      compressed when that makes it smaller
 *
 * The block size is the page size. Flattened output is a 4096-byte
 * "makedumpfile" header (type 1, version 1, big-endian) followed by
 * (offset, size) records, big-endian, and an end record of -1.
 *
 * lzo, snappy and zstd are loaded with dlopen() so the generator links
 * with zlib alone; a missing library makes that compression fail.
 */
#define GEN_INTERNAL
#include <dlfcn.h>
#include <endian.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zstd.h>

#include "gen.h"

#define DUMP_DH_COMPRESSED_ZLIB		0x1
#define DUMP_DH_COMPRESSED_LZO		0x2
#define DUMP_DH_COMPRESSED_SNAPPY	0x4
#define DUMP_DH_COMPRESSED_ZSTD		0x20
#define DUMP_LEVEL			31

struct disk_dump_header {
	char signature[8];
	int32_t header_version;
	char utsname[6 * 65];
	char pad[6];
	int64_t tv_sec, tv_usec;
	uint32_t status;
	int32_t block_size;
	int32_t sub_hdr_size;
	uint32_t bitmap_blocks;
	uint32_t max_mapnr;
	uint32_t total_ram_blocks;
	uint32_t device_blocks;
	uint32_t written_blocks;
	uint32_t current_cpu;
	int32_t nr_cpus;
} __attribute__((packed));

struct kdump_sub_header {
	uint64_t phys_base;
	int32_t dump_level;
	int32_t split;
	uint64_t start_pfn, end_pfn;
	uint64_t offset_vmcoreinfo, size_vmcoreinfo;
	uint64_t offset_note, size_note;
	uint64_t offset_eraseinfo, size_eraseinfo;
	uint64_t start_pfn_64, end_pfn_64, max_mapnr_64;
} __attribute__((packed));

struct page_desc {
	uint64_t offset;
	uint32_t size;
	uint32_t flags;
	uint64_t page_flags;
} __attribute__((packed));

_Static_assert(sizeof(struct disk_dump_header) == 464, "disk_dump_header");
_Static_assert(sizeof(struct kdump_sub_header) == 104, "kdump_sub_header");
_Static_assert(sizeof(struct page_desc) == 24, "page_desc");

/* ---- compressors -------------------------------------------------- */

static __typeof__(&lzo1x_1_compress) p_lzo1x_1_compress;
static __typeof__(&__lzo_init_v2) p_lzo_init;
static __typeof__(&snappy_compress) p_snappy_compress;
static __typeof__(&snappy_max_compressed_length) p_snappy_max;
static __typeof__(&ZSTD_compress) p_zstd_compress;
static __typeof__(&ZSTD_isError) p_zstd_is_error;

static void *sym(void *lib, const char *name)
{
	return lib ? dlsym(lib, name) : NULL;
}

static int load_compressor(enum gen_compress comp)
{
	void *lib;

	switch (comp) {
	case GEN_LZO:
		lib = dlopen("liblzo2.so.2", RTLD_NOW);
		p_lzo1x_1_compress = (__typeof__(p_lzo1x_1_compress))
				     sym(lib, "lzo1x_1_compress");
		p_lzo_init = (__typeof__(p_lzo_init))sym(lib, "__lzo_init_v2");
		if (!p_lzo1x_1_compress || !p_lzo_init)
			return -1;
		return p_lzo_init(LZO_VERSION, (int)sizeof(short),
				  (int)sizeof(int), (int)sizeof(long),
				  (int)sizeof(lzo_uint32_t),
				  (int)sizeof(lzo_uint),
				  (int)lzo_sizeof_dict_t, (int)sizeof(char *),
				  (int)sizeof(lzo_voidp),
				  (int)sizeof(lzo_callback_t)) == LZO_E_OK ?
		       0 : -1;
	case GEN_SNAPPY:
		lib = dlopen("libsnappy.so.1", RTLD_NOW);
		p_snappy_compress = (__typeof__(p_snappy_compress))
				    sym(lib, "snappy_compress");
		p_snappy_max = (__typeof__(p_snappy_max))
			       sym(lib, "snappy_max_compressed_length");
		return p_snappy_compress && p_snappy_max ? 0 : -1;
	case GEN_ZSTD:
		lib = dlopen("libzstd.so.1", RTLD_NOW);
		p_zstd_compress = (__typeof__(p_zstd_compress))
				  sym(lib, "ZSTD_compress");
		p_zstd_is_error = (__typeof__(p_zstd_is_error))
				  sym(lib, "ZSTD_isError");
		return p_zstd_compress && p_zstd_is_error ? 0 : -1;
	case GEN_ZLIB:
	case GEN_NONE:
		return 0;
	}
	return -1;
}

/* Compress one page into @dst (capacity @cap); 0 = store it raw. */
static size_t compress_page(enum gen_compress comp, const uint8_t *src,
			    size_t n, uint8_t *dst, size_t cap, void *wrk,
			    uint32_t *flag)
{
	switch (comp) {
	case GEN_ZLIB: {
		uLongf dl = cap;

		*flag = DUMP_DH_COMPRESSED_ZLIB;
		if (compress2(dst, &dl, src, n, Z_BEST_SPEED) != Z_OK)
			return 0;
		return dl;
	}
	case GEN_LZO: {
		lzo_uint dl = cap;

		*flag = DUMP_DH_COMPRESSED_LZO;
		if (p_lzo1x_1_compress(src, n, dst, &dl, wrk) != LZO_E_OK)
			return 0;
		return dl;
	}
	case GEN_SNAPPY: {
		size_t dl = cap;

		*flag = DUMP_DH_COMPRESSED_SNAPPY;
		if (p_snappy_compress((const char *)src, n, (char *)dst,
				      &dl) != SNAPPY_OK)
			return 0;
		return dl;
	}
	case GEN_ZSTD: {
		size_t dl = p_zstd_compress(dst, cap, src, n, 1);

		*flag = DUMP_DH_COMPRESSED_ZSTD;
		return p_zstd_is_error(dl) ? 0 : dl;
	}
	case GEN_NONE:
		break;
	}
	return 0;
}

static uint32_t status_flag(enum gen_compress comp)
{
	switch (comp) {
	case GEN_ZLIB:
		return DUMP_DH_COMPRESSED_ZLIB;
	case GEN_LZO:
		return DUMP_DH_COMPRESSED_LZO;
	case GEN_SNAPPY:
		return DUMP_DH_COMPRESSED_SNAPPY;
	case GEN_ZSTD:
		return DUMP_DH_COMPRESSED_ZSTD;
	case GEN_NONE:
		break;
	}
	return 0;
}

/* ---- output: sparse file or flattened stream ------------------------ */

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static bool all_zero(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

int gen_out_write(struct gen_out *o, uint64_t off, const void *buf,
		  size_t len)
{
	if (!len || all_zero(buf, len))
		return 0;	/* holes read back as zero either way */
	if (off + len > o->end)
		o->end = off + len;
	if (o->flat) {
		int64_t hdr[2] = { (int64_t)htobe64(off),
				   (int64_t)htobe64((uint64_t)len) };

		return write_all(o->fd, hdr, sizeof(hdr)) ||
		       write_all(o->fd, buf, len) ? -1 : 0;
	}
	if (lseek(o->fd, (off_t)off, SEEK_SET) < 0)
		return -1;
	return write_all(o->fd, buf, len);
}

static int flat_begin(struct gen_out *o)
{
	uint8_t h[4096];
	uint64_t v = htobe64(1);

	memset(h, 0, sizeof(h));
	memcpy(h, "makedumpfile", 12);
	memcpy(h + 16, &v, 8);		/* type: TYPE_FLAT_HEADER */
	memcpy(h + 24, &v, 8);		/* version: VERSION_FLAT_HEADER */
	return write_all(o->fd, h, sizeof(h));
}

static int flat_end(struct gen_out *o)
{
	int64_t end[2] = { -1, -1 };	/* same bytes in either order */

	return write_all(o->fd, end, sizeof(end));
}

/* ---- the dump ----------------------------------------------------- */

int gen_write_kdump(struct gen *g, const char *path, bool flat,
		    enum gen_compress comp)
{
	struct gen_page **pages = NULL, **dumped = NULL;
	size_t npages = 0, ndumped = 0, i, k;
	uint64_t bs, max_mapnr, bmp_bytes, bmp_blocks, sub_blocks;
	uint64_t off_bitmap, off_desc, off_data, ram0, ram1, blk;
	struct disk_dump_header dh;
	struct kdump_sub_header sh;
	struct page_desc pd, pd_zero;
	struct gen_out o = { .fd = -1, .flat = flat };
	uint8_t *blkbuf = NULL, *cbuf = NULL;
	void *wrk = NULL;
	size_t ccap;
	int ret = -1;

	if (gen_finalize(g) || load_compressor(comp))
		return -1;
	if (gen_page_sorted(g, &pages, &npages))
		return -1;
	dumped = calloc(npages + 1, sizeof(*dumped));
	if (!dumped)
		goto out;
	for (i = 0; i < npages; i++)
		if (gen_page_dumped(pages[i]))
			dumped[ndumped++] = pages[i];

	bs = g->page_size;
	ram0 = g->p.phys_offset >> g->page_shift;
	ram1 = (g->p.phys_offset + g->p.ram_size) >> g->page_shift;
	max_mapnr = ram1;
	bmp_bytes = ((max_mapnr + 7) / 8 + bs - 1) / bs * bs;
	bmp_blocks = 2 * bmp_bytes / bs;
	sub_blocks = (sizeof(sh) + g->note_area_len + bs - 1) / bs;
	off_bitmap = (1 + sub_blocks) * bs;
	off_desc = off_bitmap + bmp_blocks * bs;
	off_data = off_desc + ndumped * sizeof(struct page_desc);
	if (bmp_blocks > UINT32_MAX)
		goto out;

	ccap = bs * 2 + 4096;
	blkbuf = malloc(bs);
	cbuf = malloc(ccap);
	wrk = malloc(LZO1X_1_MEM_COMPRESS);
	if (!blkbuf || !cbuf || !wrk)
		goto out;

	o.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (o.fd < 0)
		goto out;
	if (flat && flat_begin(&o))
		goto out;

	/* header */
	memset(&dh, 0, sizeof(dh));
	memcpy(dh.signature, "KDUMP   ", 8);
	dh.header_version = 6;
	if (gen_read(g, g->l.init_uts_ns, dh.utsname, sizeof(dh.utsname)))
		goto out;
	dh.tv_sec = (int64_t)g->crashtime;
	dh.status = status_flag(comp);
	dh.block_size = (int32_t)bs;
	dh.sub_hdr_size = (int32_t)sub_blocks;
	dh.bitmap_blocks = (uint32_t)bmp_blocks;
	dh.max_mapnr = max_mapnr > UINT32_MAX ? UINT32_MAX :
		       (uint32_t)max_mapnr;
	dh.nr_cpus = g->kdump_nr_cpus_set ? g->kdump_nr_cpus :
		     (int32_t)g->nr_prstatus;
	if (gen_out_write(&o, 0, &dh, sizeof(dh)))
		goto out;

	/* sub header + notes */
	memset(&sh, 0, sizeof(sh));
	sh.phys_base = g->p.phys_offset;
	sh.dump_level = DUMP_LEVEL;
	sh.offset_note = bs + sizeof(sh);
	sh.size_note = g->note_area_len;
	if (!g->vmci_omit) {
		sh.offset_vmcoreinfo = sh.offset_note + g->vmci_desc_off;
		sh.size_vmcoreinfo = g->vmci_desc_len;
	}
	sh.max_mapnr_64 = max_mapnr;
	if (gen_out_write(&o, bs, &sh, sizeof(sh)) ||
	    gen_out_write(&o, sh.offset_note, g->note_area,
			  g->note_area_len))
		goto out;

	/* 1st bitmap: every RAM page; 2nd bitmap: the dumped ones */
	for (blk = 0; blk < bmp_bytes / bs; blk++) {
		uint64_t first = blk * bs * 8, lim = first + bs * 8, pfn;

		memset(blkbuf, 0, bs);
		if (ram1 > first && ram0 < lim) {
			uint64_t a = ram0 > first ? ram0 : first;
			uint64_t b = ram1 < lim ? ram1 : lim;

			for (pfn = a; pfn < b && ((pfn - first) & 7); pfn++)
				blkbuf[(pfn - first) >> 3] |=
					(uint8_t)(1u << ((pfn - first) & 7));
			if (pfn + 8 <= b) {
				uint64_t nbytes = (b - pfn) / 8;

				memset(blkbuf + ((pfn - first) >> 3), 0xff,
				       nbytes);
				pfn += nbytes * 8;
			}
			for (; pfn < b; pfn++)
				blkbuf[(pfn - first) >> 3] |=
					(uint8_t)(1u << ((pfn - first) & 7));
		}
		if (gen_out_write(&o, off_bitmap + blk * bs, blkbuf, bs))
			goto out;
	}
	k = 0;
	for (blk = 0; blk < bmp_bytes / bs; blk++) {
		uint64_t first = blk * bs * 8, lim = first + bs * 8;
		bool any = false;

		if (k < ndumped && dumped[k]->pfn >= lim)
			continue;
		memset(blkbuf, 0, bs);
		for (; k < ndumped && dumped[k]->pfn < lim; k++) {
			uint64_t bit = dumped[k]->pfn - first;

			blkbuf[bit >> 3] |= (uint8_t)(1u << (bit & 7));
			any = true;
		}
		if (any && gen_out_write(&o, off_bitmap + bmp_bytes + blk * bs,
					 blkbuf, bs))
			goto out;
	}

	/* the shared zero page, then descriptors and data */
	memset(&pd_zero, 0, sizeof(pd_zero));
	pd_zero.offset = off_data;
	pd_zero.size = (uint32_t)bs;
	off_data += bs;		/* all zero: stays a hole */
	for (i = 0; i < ndumped; i++) {
		const uint8_t *src = dumped[i]->data;
		uint32_t flag = 0;
		size_t cl = 0;

		if (all_zero(src, bs)) {
			pd = pd_zero;
		} else {
			if (comp != GEN_NONE)
				cl = compress_page(comp, src, bs, cbuf, ccap,
						   wrk, &flag);
			memset(&pd, 0, sizeof(pd));
			pd.offset = off_data;
			if (cl && cl < bs) {
				pd.size = (uint32_t)cl;
				pd.flags = flag;
				if (gen_out_write(&o, off_data, cbuf, cl))
					goto out;
			} else {
				pd.size = (uint32_t)bs;
				if (gen_out_write(&o, off_data, src, bs))
					goto out;
			}
			off_data += pd.size;
		}
		if (gen_out_write(&o, off_desc + i * sizeof(pd), &pd,
				  sizeof(pd)))
			goto out;
	}

	if (flat) {
		/* flattened records carry no holes at the end: pad to size */
		uint8_t last = 0;

		if (o.end < off_data) {
			int64_t hdr[2] = { (int64_t)htobe64(off_data - 1),
					   (int64_t)htobe64(1) };

			if (write_all(o.fd, hdr, sizeof(hdr)) ||
			    write_all(o.fd, &last, 1))
				goto out;
		}
		if (flat_end(&o))
			goto out;
	} else if (ftruncate(o.fd, (off_t)off_data)) {
		goto out;
	}
	ret = 0;
out:
	if (o.fd >= 0 && close(o.fd))
		ret = -1;
	free(wrk);
	free(cbuf);
	free(blkbuf);
	free(dumped);
	free(pages);
	return ret;
}
