// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding symbols without being told: Debian's debug vmlinux, the
 * System.map next to the kernel (often Debian's one-line stub), then the
 * kallsyms tables in dump memory. What was tried is kept as a sentence.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sym.h"

struct why {
	char *text;
	bool nomem;
};

static void why_add(struct why *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void why_add(struct why *w, const char *fmt, ...)
{
	char *clause, *s;
	va_list ap;
	int n;

	if (w->nomem)
		return;
	va_start(ap, fmt);
	n = vasprintf(&clause, fmt, ap);
	va_end(ap);
	if (n < 0) {
		w->nomem = true;
		return;
	}
	if (!w->text) {
		w->text = clause;
		return;
	}
	n = asprintf(&s, "%s; %s", w->text, clause);
	free(clause);
	if (n < 0) {
		w->nomem = true;
		return;
	}
	free(w->text);
	w->text = s;
}

/* Path under @root; a missing file is a clause, not an error. */
static char *rooted(const char *root, const char *fmt, const char *rel)
{
	char *tail, *s;

	if (asprintf(&tail, fmt, rel) < 0)
		return NULL;
	if (asprintf(&s, "%s%s", root, tail) < 0)
		s = NULL;
	free(tail);
	return s;
}

struct sdei_error *sdei_symtab_discover(sdei_read_fn *read, void *arg,
					const char *vmcoreinfo,
					const char *root,
					struct sdei_symtab **ret,
					char **why_ret)
{
	static const char *const vmlinux_fmt[] = {
		"/usr/lib/debug/boot/vmlinux-%s",
		"/usr/lib/debug/lib/modules/%s/vmlinux",
	};
	struct sdei_symtab *tab = NULL;
	struct sdei_error *err = NULL;
	struct why why = { NULL, false };
	char rel[256], *path;
	const char *v;
	size_t len;

	*ret = NULL;
	*why_ret = NULL;
	if (!root)
		root = "";
	/* "/" and "" mean the same: avoid "//usr/…" */
	len = strlen(root);
	while (len && root[len - 1] == '/')
		len--;
	{
		char *r = strndup(root, len);

		if (!r)
			return &sdei_error_nomem;
		root = r;
	}

	v = sdei_sym_vmci_get(vmcoreinfo, "OSRELEASE", &len);
	while (v && len && (v[len - 1] == '\r' || v[len - 1] == ' '))
		len--;
	if (!v || !len || len >= sizeof(rel) || memchr(v, '/', len)) {
		why_add(&why, "no symbol files searched: the dump has no OSRELEASE");
		goto kallsyms;
	}
	memcpy(rel, v, len);
	rel[len] = '\0';

	for (size_t i = 0; i < ARRAY_SIZE(vmlinux_fmt); i++) {
		path = rooted(root, vmlinux_fmt[i], rel);
		if (!path)
			goto nomem;
		if (access(path, F_OK)) {
			why_add(&why, "no '%s'", path);
			free(path);
			continue;
		}
		err = sdei_symtab_from_vmlinux(path, vmcoreinfo, &tab);
		free(path);
		if (!err)
			goto found;
		if (err == &sdei_error_nomem)
			goto nomem;
		why_add(&why, "%s", err->message);
		sdei_error_destroy(err);
		err = NULL;
	}

	path = rooted(root, "/boot/System.map-%s", rel);
	if (!path)
		goto nomem;
	if (access(path, F_OK)) {
		why_add(&why, "no '%s'", path);
	} else {
		bool stub;

		err = sdei_sym_load_map(path, vmcoreinfo, &tab, &stub);
		if (!err) {
			free(path);
			goto found;
		}
		if (err == &sdei_error_nomem) {
			free(path);
			goto nomem;
		}
		if (stub)
			why_add(&why,
				"'%s' is Debian's placeholder (the symbols are in the linux-image-%s-dbg package)",
				path, rel);
		else
			why_add(&why, "%s", err->message);
		sdei_error_destroy(err);
		err = NULL;
	}
	free(path);

kallsyms:
	if (!read) {
		why_add(&why, "kallsyms: no dump memory to read");
	} else {
		err = sdei_symtab_from_kallsyms(read, arg, vmcoreinfo, &tab);
		if (!err)
			goto found;
		if (err == &sdei_error_nomem)
			goto nomem;
		if (!strncmp(err->message, "kallsyms", 8))
			why_add(&why, "%s", err->message);
		else
			why_add(&why, "kallsyms: %s", err->message);
		sdei_error_destroy(err);
		err = NULL;
	}
	if (why.nomem)
		goto nomem;
	free((char *)root);
	if (asprintf(why_ret, "no symbols found: %s", why.text) < 0) {
		*why_ret = NULL;
		free(why.text);
		return &sdei_error_nomem;
	}
	free(why.text);
	return NULL;

found:
	free((char *)root);
	free(why.text);
	*ret = tab;
	return NULL;
nomem:
	free((char *)root);
	free(why.text);
	sdei_symtab_destroy(tab);
	return &sdei_error_nomem;
}
