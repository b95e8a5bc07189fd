// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * System.map: "ADDRESS TYPE NAME" per line, sorted by address (nm -n).
 *
 * A distribution map has 110k-175k lines (5-8 MB) and the analysis needs
 * a few dozen names and a few hundred addresses named, so the map is read
 * lazily (sym-lazy.c): one pass streams the file through a small buffer,
 * checks every line and gives each symbol to the index; a segment is
 * read again from the file when symbolize needs it. A map out of address
 * order, or a lookup of a name outside the hot set, reads the whole file
 * into the table every other source uses (map_expand()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sym.h"

/* What Debian's linux-image packages install as /boot/System.map-<rel>. */
#define DEBIAN_STUB "The real System.map is in the "

/* The pass's read buffer, which then holds the decoded segments. */
#define MAP_BUF		49152

/* What the pass runs on each of 100k lines: no calls. */
#define MAP_INLINE	inline __attribute__((always_inline))

/* The file, for segments read again: the lazy table's source. */
struct map_file {
	int fd;			/* -1 when @data holds the file */
	char *data;		/* a pipe or empty-stat file, read whole */
	size_t data_len;
	/* what the pass saw, for map_expand() to check the file against */
	uint64_t nr_syms;
	uint64_t addr_sum;
};

static const signed char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14,
	['E'] = 15, ['F'] = 16,
};

/* ---- one line ------------------------------------------------------ */

enum { LINE_OK, LINE_BAD, LINE_MORE };

struct map_line {
	uint64_t addr;
	const char *name;
	size_t len;
	char type;
	const char *next;	/* the line after it, or @end */
	bool last;		/* a bad line that runs to @end */
};

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES	0x0101010101010101ull

static MAP_INLINE uint64_t load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* 0x80 in each byte of @v that is zero, nothing elsewhere */
static MAP_INLINE uint64_t zero_bytes(uint64_t v)
{
	uint64_t t = (v & 0x7f * ONES) + 0x7f * ONES;

	return ~(t | v | 0x7f * ONES);
}

/*
 * Eight hex digits (either case) to their value; false if one is not a
 * digit. Per byte: d = low nibble + 9 for letters, then the digit d would
 * be written as must be the byte that is there.
 */
static MAP_INLINE bool hex8(uint64_t x, uint32_t *ret)
{
	uint64_t d = (x & 0x0f * ONES) + 9 * (x >> 6 & ONES);
	uint64_t gt9 = (d + 0x76 * ONES) >> 7 & ONES;
	uint64_t lower = d + 0x30 * ONES + 0x27 * gt9;
	uint64_t upper = d + 0x30 * ONES + 0x07 * gt9;
	uint64_t ok = zero_bytes(x ^ lower) | zero_bytes(x ^ upper);

	/* d > 15 ('g', 'G'…) can still equal: refuse it on its own */
	if ((ok & ~((d + 0x70 * ONES) & 0x80 * ONES)) != 0x80 * ONES)
		return false;
	/* first digit in the low byte: pair up nibbles, bytes, halves */
	d = ((d << 4) | (d >> 8)) & 0x00ff00ff00ff00ffull;
	d = ((d << 8) | (d >> 16)) & 0x0000ffff0000ffffull;
	*ret = (uint32_t)(d << 16 | d >> 32);
	return true;
}
#endif

/*
 * The line at @p, which ends before @end; *@end must be a NUL. Unless
 * @eof, a line that may go on past @end asks for more data. The line is
 * walked once: no sscanf, and memchr only when something follows the
 * name. The common line (16 digits, a short name) goes eight bytes at a
 * time.
 */
static MAP_INLINE int map_line(const char *p, const char *end, bool eof,
		    struct map_line *l)
{
	const char *q = p, *n, *eol;
	uint64_t addr = 0;
	int digits = 0, d;

#ifdef ONES
	uint32_t hi, lo;

	if (end - p >= 20 && p[16] == ' ' && hex8(load64(p), &hi) &&
	    hex8(load64(p + 8), &lo)) {
		addr = (uint64_t)hi << 32 | lo;
		q = p + 16;
		goto digits_done;
	}
#endif
	while ((d = hexval[(uint8_t)*q]) && digits <= 16) {
		addr = addr << 4 | (uint64_t)(d - 1);
		digits++;
		q++;
	}
	if (!digits || digits > 16)
		goto bad;
	if (end - q < 4) {
		if (!eof)
			return LINE_MORE;
		goto bad;
	}
#ifdef ONES
digits_done:
#endif
	if (q[0] != ' ' || q[2] != ' ' || (uint8_t)q[1] <= ' ')
		goto bad;
	n = q + 3;
#ifdef ONES
	/* the first byte <= ' ': exact for the lowest one, which is all */
	while (end - n >= 8) {
		uint64_t v = load64(n);
		uint64_t t = (v - 0x21 * ONES) & ~v & 0x80 * ONES;

		if (t) {
			n += __builtin_ctzll(t) / 8;
			goto name_done;
		}
		n += 8;
	}
#endif
	while ((uint8_t)*n > ' ')
		n++;
#ifdef ONES
name_done:
#endif
	if (n == end && !eof)
		return LINE_MORE;
	if (n == q + 3)
		goto bad;
	/* the rest of the line: normally just the newline */
	eol = n;
	if (*eol != '\n') {
		eol = memchr(n, '\n', (size_t)(end - n));
		if (!eol) {
			if (!eof)
				return LINE_MORE;
			eol = end;
		}
	}
	l->addr = addr;
	l->type = q[1];
	l->name = q + 3;
	l->len = (size_t)(n - (q + 3));
	l->next = eol < end ? eol + 1 : end;
	return LINE_OK;
bad:
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol && !eof)
		return LINE_MORE;
	l->last = !eol;
	l->next = eol ? eol + 1 : end;
	return LINE_BAD;
}

/* ---- reading ------------------------------------------------------- */

/* The file, streamed through @buf (or all of it there: @whole). */
struct map_src {
	int fd;
	const char *path;
	char *buf;		/* buf[have] is a NUL */
	size_t alloc;
	size_t have;
	size_t pos;		/* the next line */
	uint64_t base;		/* file offset of buf[0] */
	bool eof;
	bool whole;
};

static struct sdei_error *src_fill(struct map_src *s)
{
	ssize_t n;

	if (s->eof)
		return NULL;
	if (s->pos) {
		memmove(s->buf, s->buf + s->pos, s->have - s->pos);
		s->have -= s->pos;
		s->base += s->pos;
		s->pos = 0;
	}
	if (s->have + 1 == s->alloc) {
		/* a line longer than the buffer */
		char *b;

		if (s->alloc >= UINT32_MAX / 2)
			return sdei_error_create(SDEI_ERROR_FORMAT,
				"'%s' is too large for a System.map",
				s->path);
		b = realloc(s->buf, s->alloc * 2);
		if (!b)
			return &sdei_error_nomem;
		s->buf = b;
		s->alloc *= 2;
	}
	do {
		n = read(s->fd, s->buf + s->have, s->alloc - 1 - s->have);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return sdei_error_errno(errno, "'%s'", s->path);
	if (!n)
		s->eof = true;
	s->have += (size_t)n;
	s->buf[s->have] = '\0';
	return NULL;
}

/* A pipe, or a file whose size stat does not tell (/proc): all of it. */
static struct sdei_error *src_slurp(struct map_src *s)
{
	struct sdei_error *err;

	while (!s->eof) {
		err = src_fill(s);
		if (err)
			return err;
	}
	s->whole = true;
	return NULL;
}

/*
 * The whole file in memory for the full table: a private mapping,
 * prefaulted, whose byte after the end reads as NUL (a size that is not a
 * page multiple), else read(). The parser writes a NUL after each name.
 */
static struct sdei_error *read_whole(int fd, const char *path, char **buf_ret,
				     size_t *len_ret, size_t *mapped_ret)
{
	struct map_src s = { .fd = fd, .path = path };
	struct sdei_error *err;
	struct stat st;
	char *buf;

	*mapped_ret = 0;
	if (fstat(fd, &st) < 0)
		return sdei_error_errno(errno, "'%s'", path);
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    st.st_size < (off_t)UINT32_MAX &&
	    st.st_size % sysconf(_SC_PAGESIZE)) {
		buf = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (buf != MAP_FAILED) {
			*buf_ret = buf;
			*len_ret = (size_t)st.st_size;
			*mapped_ret = (size_t)st.st_size;
			return NULL;
		}
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
		return sdei_error_errno(errno, "'%s'", path);
	s.alloc = MAP_BUF;
	s.buf = malloc(s.alloc);
	if (!s.buf)
		return &sdei_error_nomem;
	err = src_slurp(&s);
	if (err) {
		free(s.buf);
		return err;
	}
	*buf_ret = s.buf;
	*len_ret = s.have;
	return NULL;
}

static struct sdei_error *stub_error(const char *path, const char *line,
				     size_t len, const char *vmcoreinfo)
{
	const char *pkg = memmem(line, len, DEBIAN_STUB, strlen(DEBIAN_STUB));
	const char *end, *base;
	char rel[256] = "";
	size_t vlen;
	const char *v;

	/* "… is in the linux-image-<rel>-dbg package"; older: "<version>" */
	pkg += strlen(DEBIAN_STUB);
	end = memmem(pkg, len - (size_t)(pkg - line), "-dbg package", 12);
	if (end && end - pkg > 12 && !memcmp(pkg, "linux-image-", 12) &&
	    !memchr(pkg, '<', (size_t)(end - pkg)) &&
	    (size_t)(end - pkg - 12) < sizeof(rel))
		memcpy(rel, pkg + 12, (size_t)(end - pkg - 12));
	v = sdei_sym_vmci_get(vmcoreinfo, "OSRELEASE", &vlen);
	if (!rel[0] && v && vlen && vlen < sizeof(rel))
		memcpy(rel, v, vlen);
	base = strstr(path, "System.map-");
	if (!rel[0] && base && strlen(base + 11) < sizeof(rel) &&
	    !strchr(base + 11, '/'))
		strcpy(rel, base + 11);
	if (!rel[0])
		return sdei_error_create(SDEI_ERROR_FORMAT,
			"'%s' is Debian's placeholder, not a System.map: the symbols are in the linux-image-<release>-dbg package, as /usr/lib/debug/boot/vmlinux-<release>",
			path);
	return sdei_error_create(SDEI_ERROR_FORMAT,
		"'%s' is Debian's placeholder, not a System.map: install the linux-image-%s-dbg package and use its /usr/lib/debug/boot/vmlinux-%s",
		path, rel, rel);
}

/* ---- the pass ------------------------------------------------------ */

struct map_pass {
	struct sdei_symtab *tab;
	bool full;		/* filling tab->syms (expand), no index */
	char *whole;		/* full: the buffer to become the arena */
	/* out: what expand checks the file against */
	uint64_t nr_syms;
	uint64_t addr_sum;
	bool sorted;
};

/* A symbol worth keeping, whose line is at file offset @off. */
static MAP_INLINE struct sdei_error *pass_sym(struct map_pass *ps,
					      const struct map_line *l,
					      uint64_t off, uint64_t end)
{
	struct sdei_error *err;

	if (ps->full)
		return sdei_sym_add_at(ps->tab, (uint32_t)(l->name - ps->whole),
				       l->type, l->addr);
	err = sdei_sym_hot_note(ps->tab, l->name, l->len, l->type, l->addr);
	if (err)
		return err;
	return sdei_sym_lazy_add(ps->tab->lazy, l->addr, l->type, off, end, 0);
}

/*
 * Every line of @s, checked; each symbol worth keeping goes to pass_sym.
 * What changes on every line stays in locals: this loop is the cost of
 * a System.map.
 */
static struct sdei_error *map_pass(struct map_src *s, struct map_pass *ps)
{
	uint64_t nr = 0, sum = 0, prev = 0;
	struct sdei_error *err = NULL;
	bool sorted = true;
	struct map_line l;
	size_t line = 0;

	for (;;) {
		const char *buf = s->buf, *end = buf + s->have;
		const char *p = buf + s->pos;
		uint64_t base = s->base;

		while (p < end) {
			int r = map_line(p, end, s->eof, &l);

			if (r == LINE_MORE)
				break;
			line++;
			if (r == LINE_BAD) {
				if (l.last && line > 1)
					err = sdei_error_create(
						SDEI_ERROR_FORMAT,
						"'%s' is truncated: line %zu is incomplete",
						s->path, line);
				else
					err = sdei_error_create(
						SDEI_ERROR_FORMAT,
						"'%s' is not a System.map: line %zu is not 'ADDRESS TYPE NAME'",
						s->path, line);
				goto out;
			}
			if (sdei_sym_wanted(l.type, l.name, l.len)) {
				if (nr && l.addr < prev)
					sorted = false;
				prev = l.addr;
				nr++;
				sum += l.addr;
				err = pass_sym(ps, &l,
					       base + (uint64_t)(p - buf),
					       base + (uint64_t)(l.next - buf));
				if (err)
					goto out;
			}
			p = l.next;
		}
		s->pos = (size_t)(p - buf);
		if (s->eof || s->whole)
			break;
		err = src_fill(s);
		if (err)
			break;
	}
out:
	ps->nr_syms = nr;
	ps->addr_sum = sum;
	ps->sorted = sorted;
	return err;
}

/* ---- the lazy table's source --------------------------------------- */

/* @len bytes of the file at @off; false when it is shorter now. */
static bool map_read(const struct map_file *f, uint64_t off, char *buf,
		     size_t len)
{
	if (f->fd < 0) {
		if (off > f->data_len || len > f->data_len - off)
			return false;
		memcpy(buf, f->data + off, len);
		return true;
	}
	while (len) {
		ssize_t n = pread(f->fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return true;
}

/* A segment's lines, read again. */
static bool map_decode(const struct sdei_symtab *tab, void *src,
		       struct sdei_sym_seg *sg)
{
	const struct map_file *f = src;
	char *buf = sdei_sym_seg_scratch(sg, sg->len);
	const char *p, *end;
	struct map_line l;

	(void)tab;
	if (!buf || !map_read(f, sg->off, buf, sg->len))
		return false;
	buf[sg->len] = '\0';
	end = buf + sg->len;
	for (p = buf; p < end; p = l.next) {
		if (map_line(p, end, true, &l) != LINE_OK)
			return false;
		if (sdei_sym_wanted(l.type, l.name, l.len) &&
		    !sdei_sym_seg_put(sg, l.addr, l.type, l.name, l.len,
				      (uint32_t)(sg->off +
						 (uint64_t)(l.name - buf))))
			break;
	}
	return true;
}

/* The whole file into the table, as other sources are kept. */
static struct sdei_error *map_expand(struct sdei_symtab *tab, void *src)
{
	struct map_file *f = src;
	struct map_pass ps = { .tab = tab, .full = true };
	struct map_src s = { .path = tab->path };
	struct sdei_error *err;
	size_t len = 0, mapped = 0;
	char *buf = NULL;

	if (f->fd < 0) {
		buf = f->data;
		len = f->data_len;
	} else {
		err = read_whole(f->fd, tab->path, &buf, &len, &mapped);
		if (err)
			return err;
	}
	s.buf = buf;
	s.have = len;
	s.alloc = len + 1;
	s.eof = true;
	s.whole = true;
	ps.whole = buf;
	err = sdei_sym_reserve(tab, (size_t)f->nr_syms + 1);
	if (!err)
		err = map_pass(&s, &ps);
	if (!err && (ps.nr_syms != f->nr_syms || ps.addr_sum != f->addr_sum))
		err = sdei_error_create(SDEI_ERROR_FORMAT,
			"'%s' changed while it was in use", tab->path);
	if (!err)
		err = sdei_sym_index(tab, ps.sorted);
	if (err) {
		if (buf != f->data) {
			if (mapped)
				munmap(buf, mapped);
			else
				free(buf);
		}
		return err;
	}
	/* nothing fails from here: a NUL after each name */
	for (size_t i = 0; i < tab->nr; i++) {
		char *p = buf + tab->syms[i].name;

		while ((uint8_t)*p > ' ')
			p++;
		*p = '\0';
		tab->syms[i].addr += tab->reloc;
	}
	tab->arena = buf;
	tab->arena_len = len + 1;
	tab->arena_alloc = len + 1;
	tab->arena_mapped = mapped;
	if (buf == f->data) {
		f->data = NULL;
		f->data_len = 0;
	}
	return NULL;
}

static void map_destroy(void *src)
{
	struct map_file *f = src;

	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f->data);
	free(f);
}

static const struct sdei_sym_lazy_ops map_ops = {
	.decode = map_decode,
	.expand = map_expand,
	.destroy = map_destroy,
};

/* ---- loading ------------------------------------------------------- */

struct sdei_error *sdei_sym_load_map(const char *path, const char *vmcoreinfo,
				     struct sdei_symtab **ret, bool *stub_ret)
{
	struct map_src s = { .fd = -1, .path = path };
	struct sdei_symtab *tab = NULL;
	struct map_pass ps = { .full = false };
	struct map_file *f = NULL;
	struct sdei_error *err;
	char *store = NULL;
	const char *eol;
	struct stat st;

	*ret = NULL;
	if (stub_ret)
		*stub_ret = false;
	s.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s.fd < 0)
		return sdei_error_errno(errno, "'%s'", path);
	if (fstat(s.fd, &st) < 0) {
		err = sdei_error_errno(errno, "'%s'", path);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
					"'%s' is a directory", path);
		goto fail;
	}
	if (st.st_size >= (off_t)UINT32_MAX) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
					"'%s' is too large for a System.map",
					path);
		goto fail;
	}
	s.alloc = MAP_BUF;
	s.buf = malloc(s.alloc);
	if (!s.buf) {
		err = &sdei_error_nomem;
		goto fail;
	}
	s.buf[0] = '\0';
	/* st_size is a hint only: pipes and /proc files say 0 */
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		do {
			err = src_fill(&s);
			if (err)
				goto fail;
		} while (!s.eof && !memchr(s.buf, '\n', s.have));
	} else {
		err = src_slurp(&s);
		if (err)
			goto fail;
	}
	if (!s.have) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
					"'%s' is empty, not a System.map",
					path);
		goto fail;
	}
	eol = memchr(s.buf, '\n', s.have);
	if (memmem(s.buf, eol ? (size_t)(eol - s.buf) : s.have, DEBIAN_STUB,
		   strlen(DEBIAN_STUB))) {
		err = stub_error(path, s.buf,
				 eol ? (size_t)(eol - s.buf) : s.have,
				 vmcoreinfo);
		if (stub_ret)
			*stub_ret = true;
		goto fail;
	}

	tab = sdei_sym_create(SDEI_SYMSRC_SYSTEM_MAP);
	if (!tab) {
		err = &sdei_error_nomem;
		goto fail;
	}
	tab->path = strdup(path);
	if (!tab->path || asprintf(&tab->describe, "System.map '%s'",
				   path) < 0) {
		tab->describe = NULL;
		err = &sdei_error_nomem;
		goto fail;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		err = &sdei_error_nomem;
		goto fail;
	}
	f->fd = -1;
	err = sdei_sym_lazy_attach(tab, &map_ops, f, false);
	if (!err)
		err = sdei_sym_hot_init(tab, vmcoreinfo);
	/* a map's lines are 40 bytes or more */
	if (!err)
		err = sdei_sym_lazy_reserve(tab->lazy, (s.whole ? s.have :
						(size_t)st.st_size) / 40);
	if (err)
		goto fail;
	ps.tab = tab;
	err = map_pass(&s, &ps);
	if (err)
		goto fail;
	f->nr_syms = ps.nr_syms;
	f->addr_sum = ps.addr_sum;
	if (s.whole) {
		f->data = s.buf;
		f->data_len = s.have;
		close(s.fd);
	} else {
		store = s.buf;
		f->fd = s.fd;
	}
	s.buf = NULL;
	s.fd = -1;
	if (!f->nr_syms) {
		free(store);
		err = sdei_error_create(SDEI_ERROR_FORMAT, "'%s': no symbols",
					path);
		goto fail;
	}
	err = sdei_sym_lazy_done(tab, ps.sorted, store, s.alloc);
	if (err)
		goto fail;
	sdei_sym_ranges(tab);
	sdei_sym_relocate(tab, sdei_sym_kaslr_offset(vmcoreinfo));
	err = sdei_sym_check_vmcoreinfo(tab, vmcoreinfo, path, "the file");
	if (err)
		goto fail;
	*ret = tab;
	return NULL;
fail:
	free(s.buf);
	if (s.fd >= 0)
		close(s.fd);
	sdei_symtab_destroy(tab);
	return err;
}

struct sdei_error *sdei_symtab_from_system_map(const char *path,
					       const char *vmcoreinfo,
					       struct sdei_symtab **ret)
{
	return sdei_sym_load_map(path, vmcoreinfo, ret, NULL);
}
