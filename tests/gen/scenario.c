// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scenario reader. The whole file is read first, so machine parameters
 * can be set before the layout is fixed wherever they appear:
 *
 *   pass 1  machine parameters (page-size, ram, kaslr, ...), the machine
 *           defaults of the `kernel` family, and kernel_configure() for
 *           every kernel-model line if the model defines it;
 *   layout  gen_layout();
 *   pass 2  in file order: `symbol`, `raw-note` and every kernel-model
 *           line (kernel_directive(), arguments after the verb);
 *   finish  kernel_finish().
 */
#define GEN_INTERNAL
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

struct sline {
	unsigned int lineno;
	int argc;
	char **argv;			/* argv[argc] == NULL */
};

struct scn {
	const char *path;
	struct sline *lines;
	size_t n;
	bool kimage_set, version_set;
	uint64_t kimage_vaddr;
};

static void seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Split a line into words: "quoted strings", `#` starts a comment. */
static int split(char *s, struct sline *out, char *err, size_t errlen)
{
	char **argv = NULL;
	int argc = 0;

	for (;;) {
		char *w, *d;
		char **na;

		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			break;
		w = d = s;
		while (*s && !isspace((unsigned char)*s)) {
			if (*s != '"') {
				*d++ = *s++;
				continue;
			}
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1]) {
					s++;
					*d++ = *s == 'n' ? '\n' :
					       *s == 't' ? '\t' : *s;
					s++;
				} else {
					*d++ = *s++;
				}
			}
			if (*s != '"') {
				seterr(err, errlen, "unterminated quote");
				free(argv);
				return -1;
			}
			s++;
		}
		if (*s)
			s++;
		*d = '\0';
		na = realloc(argv, (size_t)(argc + 2) * sizeof(*argv));
		if (!na) {
			free(argv);
			seterr(err, errlen, "out of memory");
			return -1;
		}
		argv = na;
		argv[argc++] = w;
		argv[argc] = NULL;
	}
	out->argc = argc;
	out->argv = argv;
	return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static int parse_size(const char *s, uint64_t *v)
{
	char *end;
	uint64_t m = 1;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case '\0':
		return 0;
	case 'K':
		m = 1ULL << 10;
		break;
	case 'M':
		m = 1ULL << 20;
		break;
	case 'G':
		m = 1ULL << 30;
		break;
	case 'T':
		m = 1ULL << 40;
		break;
	default:
		return -1;
	}
	if (end[1] && strcasecmp(end + 1, "iB") && strcasecmp(end + 1, "B"))
		return -1;
	if (*v > UINT64_MAX / m)
		return -1;
	*v *= m;
	return 0;
}

static int parse_hex(const char *s, uint8_t **out, size_t *len)
{
	size_t n = 0, i;
	uint8_t *b;

	if (!strncmp(s, "0x", 2))
		s += 2;
	b = malloc(strlen(s) / 2 + 1);
	if (!b)
		return -1;
	for (i = 0; s[i]; ) {
		unsigned int v;

		if (s[i] == ':' || s[i] == '_') {
			i++;
			continue;
		}
		if (!isxdigit((unsigned char)s[i]) ||
		    !isxdigit((unsigned char)s[i + 1]) ||
		    sscanf(s + i, "%2x", &v) != 1) {
			free(b);
			return -1;
		}
		b[n++] = (uint8_t)v;
		i += 2;
	}
	*out = b;
	*len = n;
	return 0;
}

static bool is_machine_verb(const char *v)
{
	static const char *const verbs[] = {
		"page-size", "va-bits", "vmcoreinfo-va-bits", "ram", "kaslr",
		"release", "vmcoreinfo", "vmcoreinfo-drop", "no-vmcoreinfo",
		"kallsyms", "symbol", "raw-note", "phys-offset",
		"kimage-vaddr", "crashtime", "exclude-page", "kdump-nr-cpus",
		NULL
	};
	int i;

	for (i = 0; verbs[i]; i++)
		if (!strcmp(v, verbs[i]))
			return true;
	return false;
}

static int want_args(const struct sline *l, int min, int max, char *err,
		     size_t errlen)
{
	if (l->argc - 1 < min || l->argc - 1 > max) {
		if (min == max)
			seterr(err, errlen, "'%s' takes %d argument%s",
			       l->argv[0], min, min == 1 ? "" : "s");
		else
			seterr(err, errlen, "'%s' takes %d to %d arguments",
			       l->argv[0], min, max);
		return -1;
	}
	return 0;
}

/* Join argv[1..] with spaces (for `vmcoreinfo KEY=some value`). */
static char *join(const struct sline *l)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 1; i < l->argc; i++)
		len += strlen(l->argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (i = 1; i < l->argc; i++) {
		if (i > 1)
			strcat(s, " ");
		strcat(s, l->argv[i]);
	}
	return s;
}

/* Machine parameters: applied before gen_layout(). */
static int machine_pre(struct gen *g, struct scn *sc, const struct sline *l,
		       char *err, size_t errlen)
{
	struct gen_params *p = gen_params(g);
	const char *v = l->argv[0];
	uint64_t n;

	if (!strcmp(v, "page-size")) {
		if (want_args(l, 1, 1, err, errlen))
			return -1;
		if (parse_size(l->argv[1], &n) ||
		    (n != 4096 && n != 16384 && n != 65536)) {
			seterr(err, errlen,
			       "page size must be 4096, 16384 or 65536");
			return -1;
		}
		p->page_size = (unsigned int)n;
	} else if (!strcmp(v, "va-bits") ||
		   !strcmp(v, "vmcoreinfo-va-bits")) {
		bool vc = v[0] == 'v' && v[1] == 'm';

		if (want_args(l, 1, 1, err, errlen))
			return -1;
		if (parse_u64(l->argv[1], &n) || n < 36 ||
		    n > (vc ? 52 : 48)) {
			seterr(err, errlen, "bad %s '%s'", v, l->argv[1]);
			return -1;
		}
		if (vc)
			p->vmcoreinfo_va_bits = (unsigned int)n;
		else
			p->va_bits = (unsigned int)n;
	} else if (!strcmp(v, "ram")) {
		if (want_args(l, 1, 1, err, errlen))
			return -1;
		if (parse_size(l->argv[1], &n) || n < (16ULL << 20)) {
			seterr(err, errlen, "bad ram size '%s'", l->argv[1]);
			return -1;
		}
		p->ram_size = n;
	} else if (!strcmp(v, "kaslr") || !strcmp(v, "phys-offset") ||
		   !strcmp(v, "kimage-vaddr") || !strcmp(v, "crashtime")) {
		if (want_args(l, 1, 1, err, errlen))
			return -1;
		if (parse_u64(l->argv[1], &n)) {
			seterr(err, errlen, "bad number '%s'", l->argv[1]);
			return -1;
		}
		if (v[0] == 'k' && v[1] == 'a') {
			p->kaslr = n;
		} else if (v[0] == 'p') {
			p->phys_offset = n;
		} else if (v[0] == 'c') {
			g->crashtime = n;
		} else {
			p->kimage_vaddr = n;
			sc->kimage_vaddr = n;
			sc->kimage_set = true;
		}
	} else if (!strcmp(v, "kdump-nr-cpus")) {
		/* a header that disagrees with the notes (makedumpfile counts) */
		if (want_args(l, 1, 1, err, errlen))
			return -1;
		if (parse_u64(l->argv[1], &n) || n > INT32_MAX) {
			seterr(err, errlen, "bad number '%s'", l->argv[1]);
			return -1;
		}
		g->kdump_nr_cpus = (int32_t)n;
		g->kdump_nr_cpus_set = true;
	} else if (!strcmp(v, "release")) {
		if (want_args(l, 1, 1, err, errlen))
			return -1;
		if (gen_set_release(g, l->argv[1])) {
			seterr(err, errlen, "release longer than 64 bytes");
			return -1;
		}
	} else if (!strcmp(v, "vmcoreinfo")) {
		char *s = join(l), *eq;
		int r;

		if (!s || !(eq = strchr(s, '=')) || eq == s) {
			free(s);
			seterr(err, errlen, "expected 'vmcoreinfo KEY=VALUE'");
			return -1;
		}
		*eq = '\0';
		r = gen_vmcoreinfo_user(g, s, eq + 1);
		free(s);
		if (r) {
			seterr(err, errlen, "out of memory");
			return -1;
		}
	} else if (!strcmp(v, "vmcoreinfo-drop")) {
		if (want_args(l, 1, 1, err, errlen))
			return -1;
		if (gen_vmcoreinfo_user(g, l->argv[1], NULL)) {
			seterr(err, errlen, "out of memory");
			return -1;
		}
	} else if (!strcmp(v, "no-vmcoreinfo")) {
		if (want_args(l, 0, 0, err, errlen))
			return -1;
		gen_vmcoreinfo_omit(g);
	} else if (!strcmp(v, "kallsyms")) {
		if (want_args(l, 1, 1, err, errlen))
			return -1;
		if (!strcmp(l->argv[1], "all")) {
			gen_set_kallsyms(g, GEN_KALLSYMS_ALL);
		} else if (!strcmp(l->argv[1], "text")) {
			gen_set_kallsyms(g, GEN_KALLSYMS_TEXT);
		} else if (!strcmp(l->argv[1], "none")) {
			gen_set_kallsyms(g, GEN_KALLSYMS_NONE);
		} else {
			seterr(err, errlen, "kallsyms must be all, text or none");
			return -1;
		}
	} else if (!strcmp(v, "symbol")) {
		if (want_args(l, 3, 3, err, errlen))
			return -1;
		if (parse_u64(l->argv[2], &n) || strlen(l->argv[3]) != 1 ||
		    !strchr("TtDdBbRrWwVvAa", l->argv[3][0])) {
			seterr(err, errlen, "expected 'symbol NAME ADDR TYPE'");
			return -1;
		}
	} else if (!strcmp(v, "exclude-page")) {
		if (want_args(l, 1, 1, err, errlen))
			return -1;
	} else if (!strcmp(v, "raw-note")) {
		uint8_t *b;
		size_t len;

		if (want_args(l, 3, 3, err, errlen))
			return -1;
		if (parse_u64(l->argv[2], &n) || n > UINT32_MAX ||
		    parse_hex(l->argv[3], &b, &len)) {
			seterr(err, errlen, "expected 'raw-note NAME TYPE HEX'");
			return -1;
		}
		free(b);
	}
	return 0;
}

/* Family defaults a `kernel` line implies for the machine. */
static void kernel_family(struct gen *g, struct scn *sc,
			  const struct sline *l)
{
	struct gen_params *p = gen_params(g);
	unsigned int a = 0, b = 0;

	if (l->argc < 2 || sscanf(l->argv[1], "%u.%u", &a, &b) != 2)
		return;
	if (!sc->version_set) {
		p->version = a << 16 | b << 8;
		sc->version_set = true;
	}
	if (a < 6 || (a == 6 && b < 5)) {
		/* 128M of modules: KIMAGE_VADDR = 0xffff800008000000 */
		if (!sc->kimage_set)
			p->kimage_vaddr = 0xffff800008000000ULL;
		/* Debian 6.1 builds without CONFIG_KALLSYMS_ALL */
		gen_kallsyms_default(g, GEN_KALLSYMS_TEXT);
	}
}

/* Machine lines that need the layout, replayed in file order. */
static int machine_post(struct gen *g, const struct sline *l, char *err,
			size_t errlen)
{
	uint64_t n;

	if (!strcmp(l->argv[0], "symbol")) {
		const struct gen_layout *lay = gen_get_layout(g);
		uint64_t kaslr = gen_params(g)->kaslr;

		parse_u64(l->argv[2], &n);
		/* ADDR is link-time, as in System.map */
		if (n >= lay->text - kaslr && n <= lay->end - kaslr)
			n += kaslr;
		if (gen_symbol(g, l->argv[1], n, l->argv[3][0])) {
			seterr(err, errlen, "cannot add symbol '%s'",
			       l->argv[1]);
			return -1;
		}
	} else if (!strcmp(l->argv[0], "raw-note")) {
		uint8_t *b;
		size_t len;
		int r;

		parse_u64(l->argv[2], &n);
		if (parse_hex(l->argv[3], &b, &len))
			return -1;
		r = gen_file_note(g, l->argv[1], (uint32_t)n, b, len);
		free(b);
		if (r) {
			seterr(err, errlen, "cannot add note");
			return -1;
		}
	}
	return 0;
}

/* `exclude-page ADDR|SYMBOL[+OFF]`: runtime VA of any mapped page. */
static int exclude(struct gen *g, const char *arg, char *err, size_t errlen)
{
	char name[256];
	const char *plus = strchr(arg, '+');
	uint64_t va, off = 0;

	if (!parse_u64(arg, &va))
		goto have;
	snprintf(name, sizeof(name), "%.*s",
		 (int)(plus ? (size_t)(plus - arg) : strlen(arg)), arg);
	va = gen_symbol_addr(g, name);
	if (!va || (plus && parse_u64(plus + 1, &off))) {
		seterr(err, errlen, "unknown address '%s'", arg);
		return -1;
	}
	va += off;
have:
	if (gen_exclude_page(g, va)) {
		seterr(err, errlen, "'%s' is not in dumped memory", arg);
		return -1;
	}
	return 0;
}

static void free_lines(struct scn *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++)
		free(sc->lines[i].argv);
	free(sc->lines);
}

int gen_run_scenario(struct gen *g, const char *path, char *err,
		     size_t errlen)
{
	struct scn sc = { .path = path };
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	const char *shown = strcmp(path, "-") ? path : "<stdin>";
	char *text = NULL, *line = NULL;
	size_t cap = 0, tlen = 0, i;
	unsigned int lineno = 0;
	char msg[512];
	ssize_t r;
	int ret = -1;

	if (!f) {
		seterr(err, errlen, "'%s': %s", path, strerror(errno));
		return -1;
	}
	/* keep every line's text alive: argv points into it */
	while ((r = getline(&line, &cap, f)) >= 0) {
		char *copy = realloc(text, tlen + (size_t)r + 1);

		if (!copy)
			goto oom;
		text = copy;
		memcpy(text + tlen, line, (size_t)r + 1);
		tlen += (size_t)r + 1;
	}
	free(line);
	line = NULL;
	if (f != stdin)
		fclose(f);
	f = NULL;

	for (i = 0; i < tlen; ) {
		char *s = text + i;
		size_t len = strlen(s);
		struct sline sl = { .lineno = ++lineno };
		struct sline *nl;

		i += len + 1;
		if (len && s[len - 1] == '\n')
			s[len - 1] = '\0';
		if (split(s, &sl, msg, sizeof(msg))) {
			seterr(err, errlen, "%s:%u: %s", shown, lineno, msg);
			goto out;
		}
		if (!sl.argc || !strcmp(sl.argv[0], "expect")) {
			free(sl.argv);
			continue;
		}
		nl = realloc(sc.lines, (sc.n + 1) * sizeof(*nl));
		if (!nl) {
			free(sl.argv);
			goto oom;
		}
		sc.lines = nl;
		sc.lines[sc.n++] = sl;
	}

	/* pass 1 */
	for (i = 0; i < sc.n; i++) {
		struct sline *l = &sc.lines[i];

		msg[0] = '\0';
		if (is_machine_verb(l->argv[0])) {
			if (machine_pre(g, &sc, l, msg, sizeof(msg)))
				goto line_err;
			continue;
		}
		if (!strcmp(l->argv[0], "kernel"))
			kernel_family(g, &sc, l);
		if (kernel_configure &&
		    kernel_configure(g, l->argv[0], l->argv + 1, l->argc - 1,
				     msg, sizeof(msg)))
			goto line_err;
	}
	/* an explicit kimage-vaddr beats any family default */
	if (sc.kimage_set)
		gen_params(g)->kimage_vaddr = sc.kimage_vaddr;
	if (gen_layout(g)) {
		seterr(err, errlen,
		       "%s: machine parameters do not fit (page size, ram, "
		       "kaslr alignment or va bits)", shown);
		goto out;
	}
	/* pass 2 */
	for (i = 0; i < sc.n; i++) {
		struct sline *l = &sc.lines[i];

		msg[0] = '\0';
		if (is_machine_verb(l->argv[0])) {
			if (machine_post(g, l, msg, sizeof(msg)))
				goto line_err;
			continue;
		}
		if (kernel_directive(g, l->argv[0], l->argv + 1, l->argc - 1,
				     msg, sizeof(msg)))
			goto line_err;
	}
	msg[0] = '\0';
	if (kernel_finish(g, msg, sizeof(msg))) {
		seterr(err, errlen, "%s: %s", shown,
		       msg[0] ? msg : "kernel model failed");
		goto out;
	}
	/* exclusions last: the model allocates until kernel_finish() */
	for (i = 0; i < sc.n; i++) {
		struct sline *l = &sc.lines[i];

		if (strcmp(l->argv[0], "exclude-page"))
			continue;
		msg[0] = '\0';
		if (exclude(g, l->argv[1], msg, sizeof(msg)))
			goto line_err;
	}
	ret = 0;
	goto out;

line_err:
	seterr(err, errlen, "%s:%u: %s", shown, sc.lines[i].lineno,
	       msg[0] ? msg : "invalid directive");
	goto out;
oom:
	seterr(err, errlen, "%s: out of memory", shown);
out:
	free(line);
	if (f && f != stdin)
		fclose(f);
	free_lines(&sc);
	free(text);
	return ret;
}
