// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * System.map: "ADDRESS TYPE NAME" per line, sorted by address (nm -n).
 * A distribution map has ~175k lines, so this is a hand-written parser
 * over the whole file in memory: the file becomes the name arena, each
 * newline turned into the NUL that ends a name.
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

static struct sdei_error *read_whole(const char *path, char **buf_ret,
				     size_t *len_ret, size_t *mapped_ret)
{
	struct sdei_error *err = NULL;
	size_t len = 0, alloc;
	struct stat st;
	char *buf;
	int fd;

	*mapped_ret = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sdei_error_errno(errno, "'%s'", path);
	if (fstat(fd, &st) < 0) {
		err = sdei_error_errno(errno, "'%s'", path);
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
					"'%s' is a directory", path);
		goto out_close;
	}
	if (st.st_size >= (off_t)UINT32_MAX) {
		err = sdei_error_create(SDEI_ERROR_FORMAT,
					"'%s' is too large for a System.map",
					path);
		goto out_close;
	}
	/*
	 * A private writable mapping, prefaulted: the parser writes a NUL
	 * per line, and one populate costs far less than a fault per page
	 * (and than read()'s copy). Needs a file whose size is not a page
	 * multiple, so that the byte after the end reads as NUL.
	 */
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    st.st_size % sysconf(_SC_PAGESIZE)) {
		buf = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (buf != MAP_FAILED) {
			*buf_ret = buf;
			*len_ret = (size_t)st.st_size;
			*mapped_ret = (size_t)st.st_size;
			goto out_close;
		}
	}
	/* st_size is a hint only: pipes and /proc files say 0 */
	alloc = (size_t)st.st_size + 1;
	buf = malloc(alloc);
	if (!buf) {
		err = &sdei_error_nomem;
		goto out_close;
	}
	for (;;) {
		ssize_t n;

		if (len + 1 == alloc) {
			char *b;

			if (alloc >= UINT32_MAX / 2) {
				free(buf);
				err = sdei_error_create(SDEI_ERROR_FORMAT,
					"'%s' is too large for a System.map",
					path);
				goto out_close;
			}
			b = realloc(buf, alloc * 2);
			if (!b) {
				free(buf);
				err = &sdei_error_nomem;
				goto out_close;
			}
			buf = b;
			alloc *= 2;
		}
		n = read(fd, buf + len, alloc - 1 - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			err = sdei_error_errno(errno, "'%s'", path);
			goto out_close;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*buf_ret = buf;
	*len_ret = len;
out_close:
	close(fd);
	return err;
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

static const signed char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14,
	['E'] = 15, ['F'] = 16,
};

static struct sdei_error *parse_map(struct sdei_symtab *tab, const char *path)
{
	char *buf = tab->arena, *end = buf + tab->arena_len - 1, *p = buf;
	size_t line = 0;

	struct sdei_error *err;

	/* a line is ~40 bytes: reserve once instead of growing */
	err = sdei_sym_reserve(tab, tab->arena_len / 40 + 16);
	if (err)
		return err;
	while (p < end) {
		char *eol, *q = p, *name, *n;
		uint64_t addr = 0;
		char type;
		int digits;

		line++;
		/* The whole line is walked once: no memchr, no sscanf. */
		for (digits = 0; hexval[(uint8_t)*q]; q++) {
			addr = addr << 4 | (uint64_t)(hexval[(uint8_t)*q] - 1);
			digits++;
		}
		if (!digits || digits > 16 || end - q < 4 || q[0] != ' ' ||
		    q[2] != ' ' || (uint8_t)q[1] <= ' ')
			goto bad;
		type = q[1];
		name = n = q + 3;
		while ((uint8_t)*n > ' ')
			n++;
		if (n == name)
			goto bad;
		/* the rest of the line: normally just the newline */
		eol = n;
		if (*eol != '\n') {
			eol = memchr(n, '\n', (size_t)(end - n));
			if (!eol)
				eol = end;
		}
		*n = '\0';
		if (sdei_sym_wanted(type, name, (size_t)(n - name))) {
			err = sdei_sym_add_at(tab, (uint32_t)(name - buf),
					      type, addr);
			if (err)
				return err;
		}
		p = eol + 1;
		continue;
bad:
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol == end && line > 1)
			return sdei_error_create(SDEI_ERROR_FORMAT,
				"'%s' is truncated: line %zu is incomplete",
				path, line);
		return sdei_error_create(SDEI_ERROR_FORMAT,
			"'%s' is not a System.map: line %zu is not 'ADDRESS TYPE NAME'",
			path, line);
	}
	return NULL;
}

struct sdei_error *sdei_sym_load_map(const char *path, const char *vmcoreinfo,
				     struct sdei_symtab **ret, bool *stub_ret)
{
	struct sdei_symtab *tab;
	struct sdei_error *err;
	const char *eol;
	size_t len = 0, mapped = 0;
	char *buf = NULL;

	*ret = NULL;
	if (stub_ret)
		*stub_ret = false;
	err = read_whole(path, &buf, &len, &mapped);
	if (err)
		return err;
	if (!len) {
		free(buf);
		return sdei_error_create(SDEI_ERROR_FORMAT,
					 "'%s' is empty, not a System.map",
					 path);
	}
	eol = memchr(buf, '\n', len);
	if (memmem(buf, eol ? (size_t)(eol - buf) : len, DEBIAN_STUB,
		   strlen(DEBIAN_STUB))) {
		err = stub_error(path, buf, eol ? (size_t)(eol - buf) : len,
				 vmcoreinfo);
		if (mapped)
			munmap(buf, mapped);
		else
			free(buf);
		if (stub_ret)
			*stub_ret = true;
		return err;
	}

	tab = sdei_sym_create(SDEI_SYMSRC_SYSTEM_MAP);
	if (!tab) {
		if (mapped)
			munmap(buf, mapped);
		else
			free(buf);
		return &sdei_error_nomem;
	}
	tab->arena_mapped = mapped;
	tab->arena = buf;
	tab->arena_len = len + 1;
	tab->arena_alloc = len + 1;
	tab->path = strdup(path);
	if (!tab->path || asprintf(&tab->describe, "System.map '%s'",
				   path) < 0) {
		tab->describe = NULL;
		err = &sdei_error_nomem;
		goto fail;
	}
	err = parse_map(tab, path);
	if (err)
		goto fail;
	err = sdei_sym_finish(tab, true);
	if (err) {
		err = sdei_error_prefix(err, "'%s'", path);
		goto fail;
	}
	sdei_sym_relocate(tab, sdei_sym_kaslr_offset(vmcoreinfo));
	err = sdei_sym_check_vmcoreinfo(tab, vmcoreinfo, path, "the file");
	if (err)
		goto fail;
	*ret = tab;
	return NULL;
fail:
	sdei_symtab_destroy(tab);
	return err;
}

struct sdei_error *sdei_symtab_from_system_map(const char *path,
					       const char *vmcoreinfo,
					       struct sdei_symtab **ret)
{
	return sdei_sym_load_map(path, vmcoreinfo, ret, NULL);
}
