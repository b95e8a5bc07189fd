// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report for programs. The keys are a contract (DESIGN.md §4): CI
 * scripts parse them, so never rename one; add new ones freely. Same facts
 * in the same order as print-text.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "internal.h"
#include "print-common.h"

/* One failed allocation anywhere spoils the document: remember it. */
struct builder {
	bool nomem;
};

static struct json_object *check(struct builder *b, struct json_object *o)
{
	if (!o)
		b->nomem = true;
	return o;
}

/*
 * json-c copies bytes through unchecked; strings that come from the dump
 * may hold invalid UTF-8, which would make the whole document invalid.
 * Replace each bad byte with U+FFFD.
 */
static struct json_object *new_string(struct builder *b, const char *s)
{
	struct json_object *o;
	size_t i = 0, n = 0, len;
	char *clean;

	if (!s)
		return NULL;
	while (s[i]) {
		len = sdei_utf8_len(s + i);
		if (!len)
			break;
		i += len;
	}
	if (!s[i])
		return check(b, json_object_new_string(s));

	clean = malloc(strlen(s) * 3 + 1);
	if (!clean) {
		b->nomem = true;
		return NULL;
	}
	for (i = 0; s[i]; i += len ? len : 1) {
		len = sdei_utf8_len(s + i);
		if (len) {
			memcpy(clean + n, s + i, len);
			n += len;
		} else {
			memcpy(clean + n, "\xef\xbf\xbd", 3);
			n += 3;
		}
	}
	clean[n] = '\0';
	o = check(b, json_object_new_string(clean));
	free(clean);
	return o;
}

static struct json_object *new_hex(struct builder *b, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return check(b, json_object_new_string(buf));
}

static struct json_object *new_int(struct builder *b, int64_t v)
{
	return check(b, json_object_new_int64(v));
}

/* Adds @val (NULL = JSON null), which the object then owns. */
static void add(struct builder *b, struct json_object *obj, const char *key,
		struct json_object *val)
{
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		b->nomem = true;
	}
}

static void append(struct builder *b, struct json_object *arr,
		   struct json_object *val)
{
	if (json_object_array_add(arr, val)) {
		json_object_put(val);
		b->nomem = true;
	}
}

/* [{"key": …, "value": …}, …]: keys may repeat, order matters */
static struct json_object *facts_array(struct builder *b,
				       const struct sdei_facts *facts)
{
	struct json_object *arr = check(b, json_object_new_array());
	size_t i;

	if (!arr)
		return NULL;
	for (i = 0; i < facts->nr; i++) {
		struct json_object *o = check(b, json_object_new_object());

		if (!o)
			break;
		add(b, o, "key", new_string(b, facts->v[i].key));
		add(b, o, "value", new_string(b, facts->v[i].value));
		append(b, arr, o);
	}
	return arr;
}

/* {"format": …, "path": …}: the dump's facts are unique keys, in order */
static struct json_object *facts_object(struct builder *b,
					const struct sdei_facts *facts)
{
	struct json_object *obj = check(b, json_object_new_object());
	size_t i;

	if (!obj)
		return NULL;
	for (i = 0; i < facts->nr; i++) {
		struct json_object *o = new_string(b, facts->v[i].value);
		/* object keys must be valid UTF-8 too */
		struct json_object *k = new_string(b, facts->v[i].key);

		if (k)
			add(b, obj, json_object_get_string(k), o);
		else
			json_object_put(o);
		json_object_put(k);
	}
	return obj;
}

static struct json_object *cpu_object(struct builder *b,
				      const struct sdei_cpu_report *c)
{
	struct json_object *o = check(b, json_object_new_object());
	char mode[32], daif[16];
	bool r = c->has_regs;

	if (!o)
		return NULL;
	add(b, o, "cpu", c->cpu >= 0 ? new_int(b, c->cpu) : NULL);
	add(b, o, "verdict", new_string(b, sdei_verdict_name(c->verdict)));
	add(b, o, "path", new_string(b, sdei_path_name(c->path)));
	add(b, o, "note", c->note >= 0 ? new_int(b, c->note) : NULL);
	if (r)
		sdei_print_pstate(c->regs[SDEI_REG_PSTATE], mode, sizeof(mode),
				  daif, sizeof(daif));
	/* the register keys are always there, null without a frame */
	add(b, o, "pid", r ? new_int(b, c->pid) : NULL);
	add(b, o, "pc", r ? new_hex(b, c->regs[SDEI_REG_PC]) : NULL);
	add(b, o, "sp", r ? new_hex(b, c->regs[SDEI_REG_SP]) : NULL);
	add(b, o, "lr", r ? new_hex(b, c->regs[SDEI_REG_LR]) : NULL);
	add(b, o, "pstate", r ? new_hex(b, c->regs[SDEI_REG_PSTATE]) : NULL);
	add(b, o, "pc_sym", r ? new_string(b, c->pc_sym) : NULL);
	add(b, o, "mode", r ? new_string(b, mode) : NULL);
	add(b, o, "daif", r ? new_string(b, daif) : NULL);
	add(b, o, "evidence", facts_array(b, &c->evidence));
	return o;
}

static struct json_object *summary_object(struct builder *b,
					  const struct sdei_report *report,
					  const struct sdei_policy *policy)
{
	struct json_object *o = check(b, json_object_new_object());
	size_t counts[SDEI_NR_VERDICTS];
	char list[256];
	int v;

	if (!o)
		return NULL;
	sdei_print_counts(report, counts);
	for (v = 0; v < SDEI_NR_VERDICTS; v++)
		add(b, o, sdei_verdict_name(v), new_int(b, counts[v]));
	add(b, o, "cpus", new_int(b, report->nr_cpus));
	/* CPUs asked for (--cpu, --expect) that the report lacks */
	add(b, o, "absent", new_int(b, report->nr_absent));
	sdei_report_expect_absent(report, policy, list, sizeof(list));
	add(b, o, "expect_absent", new_string(b, list));
	add(b, o, "exit", new_int(b, sdei_report_exit_status(report, policy)));
	return o;
}

static int json_flags(bool pretty)
{
	/* paths are common in values: "/boot", not "\/boot" */
	return JSON_C_TO_STRING_NOSLASHESCAPE |
	       (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			 JSON_C_TO_STRING_PLAIN);
}

void sdei_report_print_json(FILE *f, const struct sdei_report *report,
			    bool pretty, bool verbose,
			    const struct sdei_policy *policy)
{
	struct builder b = { .nomem = false };
	struct json_object *top, *cpus;
	const char *s;
	size_t i;

	top = check(&b, json_object_new_object());
	if (!top)
		goto nomem;
	add(&b, top, "dump", facts_object(&b, &report->dump));
	cpus = check(&b, json_object_new_array());
	for (i = 0; cpus && i < report->nr_cpus; i++)
		append(&b, cpus, cpu_object(&b, &report->cpus[i]));
	add(&b, top, "cpus", cpus);
	add(&b, top, "findings", facts_array(&b, &report->findings));
	if (verbose)
		add(&b, top, "sources", facts_array(&b, &report->sources));
	add(&b, top, "summary", summary_object(&b, report, policy));
	s = b.nomem ? NULL : json_object_to_json_string_ext(top,
							   json_flags(pretty));
	if (!s) {
		json_object_put(top);
		goto nomem;
	}
	fprintf(f, "%s\n", s);
	json_object_put(top);
	return;
nomem:
	/* half a report would parse as a whole one: say what happened */
	sdei_print_json_error(f, "out of memory", pretty);
}


void sdei_print_json_error(FILE *f, const char *message, bool pretty)
{
	struct builder b = { .nomem = false };
	struct json_object *top = json_object_new_object();
	const char *s = NULL;

	if (top) {
		add(&b, top, "error", new_string(&b, message));
		if (!b.nomem)
			s = json_object_to_json_string_ext(top,
							   json_flags(pretty));
	}
	if (s)
		fprintf(f, "%s\n", s);
	else
		fputs("{\"error\": \"out of memory\"}\n", f);
	json_object_put(top);
}
