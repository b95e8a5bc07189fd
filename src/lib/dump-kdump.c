// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump-compressed vmcores (makedumpfile's diskdump_mod.h, ECOSYSTEM.md
 * §4): check the header, the sub-header and the bitmaps before
 * libkdumpfile sees the file, and find the note area.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

/* struct disk_dump_header, 64-bit layout */
#define KH_VERSION		8
#define KH_STATUS		424
#define KH_BLOCK_SIZE		428
#define KH_SUB_HDR_SIZE		432
#define KH_BITMAP_BLOCKS	436
#define KH_NR_CPUS		460
#define KH_SIZE			464

/* struct kdump_sub_header */
#define KS_OFFSET_VMCOREINFO	32
#define KS_SIZE_VMCOREINFO	40
#define KS_OFFSET_NOTE		48
#define KS_SIZE_NOTE		56
#define KS_SIZE_V4		64

#define DUMP_DH_COMPRESSED_ZLIB		0x1
#define DUMP_DH_COMPRESSED_LZO		0x2
#define DUMP_DH_COMPRESSED_SNAPPY	0x4
#define DUMP_DH_COMPRESSED_ZSTD		0x20

static const char *compression_name(uint32_t status)
{
	if (status & DUMP_DH_COMPRESSED_ZLIB)
		return "zlib";
	if (status & DUMP_DH_COMPRESSED_LZO)
		return "lzo";
	if (status & DUMP_DH_COMPRESSED_SNAPPY)
		return "snappy";
	if (status & DUMP_DH_COMPRESSED_ZSTD)
		return "zstd";
	return "none";
}

struct sdei_error *sdei_dump_kdump_headers(struct sdei_dump *dump)
{
	uint8_t h[KH_SIZE], s[KS_SIZE_V4];
	struct sdei_error *err;
	int32_t version, block_size, sub_hdr_size;
	uint32_t bitmap_blocks;
	uint64_t off_note, size_note, bitmap_off;

	if (dump->file_size < KH_SIZE)
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': truncated kdump header",
					 dump->path);
	err = sdei_dump_pread(dump, h, sizeof(h), 0, "kdump header");
	if (err)
		return err;
	version = (int32_t)sdei_le32(h + KH_VERSION);
	block_size = (int32_t)sdei_le32(h + KH_BLOCK_SIZE);
	sub_hdr_size = (int32_t)sdei_le32(h + KH_SUB_HDR_SIZE);
	bitmap_blocks = sdei_le32(h + KH_BITMAP_BLOCKS);

	/* block_size is the page size of the dumped kernel */
	if (block_size < 1024 || block_size > (1 << 20) ||
	    (block_size & (block_size - 1)))
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': bad kdump block size %" PRId32,
					 dump->path, block_size);
	if (version < 4)
		return sdei_error_create(SDEI_ERROR_FORMAT,
					 "'%s': kdump header version %" PRId32 " has no note area (version 4 or later needed)",
					 dump->path, version);
	if (sub_hdr_size < 1 || sub_hdr_size > 1024)
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': bad kdump sub-header size %" PRId32 " blocks",
					 dump->path, sub_hdr_size);
	if (!sdei_dump_in_file(dump, block_size, sizeof(s)))
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': truncated kdump sub-header",
					 dump->path);
	/* Page headers and data follow the two bitmaps. */
	bitmap_off = (uint64_t)block_size * (1 + (uint64_t)sub_hdr_size);
	if (!sdei_dump_in_file(dump, bitmap_off,
			       (uint64_t)bitmap_blocks * block_size))
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': truncated kdump bitmap (%" PRIu32 " blocks at offset 0x%" PRIx64 ", file size 0x%" PRIx64 ")",
					 dump->path, bitmap_blocks, bitmap_off,
					 dump->file_size);
	err = sdei_dump_pread(dump, s, sizeof(s), block_size,
			      "kdump sub-header");
	if (err)
		return err;

	off_note = sdei_le64(s + KS_OFFSET_NOTE);
	size_note = sdei_le64(s + KS_SIZE_NOTE);
	if (size_note > SDEI_MAX_NOTE_AREA)
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': kdump note area of %" PRIu64 " bytes is absurdly large",
					 dump->path, size_note);
	if (!sdei_dump_in_file(dump, off_note, size_note))
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': kdump note area (offset 0x%" PRIx64 ", size 0x%" PRIx64 ") ends past the end of the file (size 0x%" PRIx64 ")",
					 dump->path, off_note, size_note,
					 dump->file_size);
	if (size_note) {
		dump->segs = calloc(1, sizeof(*dump->segs));
		if (!dump->segs)
			return &sdei_error_nomem;
		dump->segs[0].offset = off_note;
		dump->segs[0].size = size_note;
		dump->nr_segs = 1;
	}
	/* libkdumpfile reads it whole; we use it if the notes lack one */
	dump->kdump_vmcoreinfo_offset = sdei_le64(s + KS_OFFSET_VMCOREINFO);
	dump->kdump_vmcoreinfo_size = sdei_le64(s + KS_SIZE_VMCOREINFO);
	if (dump->kdump_vmcoreinfo_size > SDEI_MAX_VMCOREINFO ||
	    !sdei_dump_in_file(dump, dump->kdump_vmcoreinfo_offset,
			       dump->kdump_vmcoreinfo_size))
		return sdei_error_create(SDEI_ERROR_CORRUPT,
					 "'%s': kdump VMCOREINFO (offset 0x%" PRIx64 ", size 0x%" PRIx64 ") ends past the end of the file or is absurdly large",
					 dump->path,
					 dump->kdump_vmcoreinfo_offset,
					 dump->kdump_vmcoreinfo_size);

	dump->compression = compression_name(sdei_le32(h + KH_STATUS));
	dump->header_nr_cpus = (int32_t)sdei_le32(h + KH_NR_CPUS);
	return NULL;
}
