// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report model: what the analysis fills in and the printers walk
 * (STYLE.md §8), plus the exit-status policy that CI jobs rely on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "print-common.h"

static const char *const verdict_names[SDEI_NR_VERDICTS] = {
	[SDEI_VERDICT_PANIC] = "panic",
	[SDEI_VERDICT_STOPPED] = "stopped",
	[SDEI_VERDICT_OFFLINE] = "offline",
	[SDEI_VERDICT_MISSING] = "missing",
	[SDEI_VERDICT_STALE] = "stale",
	[SDEI_VERDICT_UNKNOWN] = "unknown",
};

const char *sdei_verdict_name(enum sdei_verdict v)
{
	if ((unsigned int)v >= SDEI_NR_VERDICTS)
		return "unknown";
	return verdict_names[v];
}

const char *sdei_path_name(enum sdei_path p)
{
	switch (p) {
	case SDEI_PATH_IPI:
		return "ipi";
	case SDEI_PATH_PSEUDO_NMI:
		return "pseudo-nmi";
	case SDEI_PATH_SDEI:
		return "sdei";
	case SDEI_PATH_SELF_STOP:
		return "self-stop";
	case SDEI_PATH_PANIC:
		return "panic";
	case SDEI_PATH_NONE:
		break;
	}
	return NULL;
}

struct sdei_report *sdei_report_create(void)
{
	return calloc(1, sizeof(struct sdei_report));
}

struct sdei_error *sdei_facts_add(struct sdei_facts *facts, const char *key,
				  const char *fmt, ...)
{
	struct sdei_fact *fact;
	va_list ap;
	int n;

	if (facts->nr == facts->alloc) {
		size_t alloc = facts->alloc ? facts->alloc * 2 : 8;
		struct sdei_fact *v = reallocarray(facts->v, alloc,
						   sizeof(*v));

		if (!v)
			return &sdei_error_nomem;
		facts->v = v;
		facts->alloc = alloc;
	}
	fact = &facts->v[facts->nr];
	fact->key = strdup(key);
	if (!fact->key)
		return &sdei_error_nomem;
	va_start(ap, fmt);
	n = vasprintf(&fact->value, fmt, ap);
	va_end(ap);
	if (n < 0) {
		free(fact->key);
		return &sdei_error_nomem;
	}
	facts->nr++;
	return NULL;
}

void sdei_facts_deinit(struct sdei_facts *facts)
{
	size_t i;

	if (!facts)
		return;
	for (i = 0; i < facts->nr; i++) {
		free(facts->v[i].key);
		free(facts->v[i].value);
	}
	free(facts->v);
	facts->v = NULL;
	facts->nr = 0;
	facts->alloc = 0;
}

/*
 * The returned pointer is only valid until the next call: the array grows
 * with realloc().
 */
struct sdei_error *sdei_report_add_cpu(struct sdei_report *report, int cpu,
				       struct sdei_cpu_report **ret)
{
	struct sdei_cpu_report *c;

	if (report->nr_cpus == report->alloc_cpus) {
		size_t alloc = report->alloc_cpus ? report->alloc_cpus * 2 : 8;
		struct sdei_cpu_report *v = reallocarray(report->cpus, alloc,
							 sizeof(*v));

		if (!v)
			return &sdei_error_nomem;
		report->cpus = v;
		report->alloc_cpus = alloc;
	}
	c = &report->cpus[report->nr_cpus++];
	memset(c, 0, sizeof(*c));
	c->cpu = cpu < 0 ? -1 : cpu;
	c->verdict = SDEI_VERDICT_UNKNOWN;
	c->path = SDEI_PATH_NONE;
	c->note = -1;
	if (ret)
		*ret = c;
	return NULL;
}

void sdei_report_finish(struct sdei_report *report)
{
	size_t i;

	memset(report->counts, 0, sizeof(report->counts));
	for (i = 0; i < report->nr_cpus; i++) {
		unsigned int v = report->cpus[i].verdict;

		/* a verdict out of range is reported (and counted) unknown */
		if (v >= SDEI_NR_VERDICTS)
			v = SDEI_VERDICT_UNKNOWN;
		report->counts[v]++;
	}
}

void sdei_report_destroy(struct sdei_report *report)
{
	size_t i;

	if (!report)
		return;
	for (i = 0; i < report->nr_cpus; i++) {
		free(report->cpus[i].pc_sym);
		sdei_facts_deinit(&report->cpus[i].evidence);
	}
	free(report->cpus);
	sdei_facts_deinit(&report->dump);
	sdei_facts_deinit(&report->findings);
	sdei_facts_deinit(&report->sources);
	free(report);
}

static const struct sdei_policy default_policy = {
	.allow_missing = 0,
	.allow_unknown = false,
	.allow_offline = true,
};

/*
 * One rule decides both the exit status and which JUnit testcases fail,
 * so that the two can never disagree. Missing CPUs fail only as a group:
 * "--allow-missing 1" accepts one missing CPU, whichever it is.
 */
bool sdei_expect_parse_word(const char *word, struct sdei_expect *ret)
{
	static const enum sdei_path paths[] = {
		SDEI_PATH_IPI, SDEI_PATH_PSEUDO_NMI, SDEI_PATH_SDEI,
		SDEI_PATH_SELF_STOP,
	};

	for (int v = 0; v < SDEI_NR_VERDICTS; v++) {
		if (!strcmp(word, sdei_verdict_name(v))) {
			ret->verdict = v;
			ret->path = SDEI_PATH_NONE;
			return true;
		}
	}
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (!strcmp(word, sdei_path_name(paths[i]))) {
			ret->verdict = SDEI_VERDICT_STOPPED;
			ret->path = paths[i];
			return true;
		}
	}
	return false;
}

/* The last expectation naming this CPU, or NULL. */
static const struct sdei_expect *expectation(const struct sdei_policy *p,
					     int cpu)
{
	for (size_t i = p->nr_expect; cpu >= 0 && i-- > 0;) {
		const struct sdei_expect *e = &p->expect[i];

		if ((size_t)cpu < e->nr_bits &&
		    e->cpus[cpu / 64] >> (cpu % 64) & 1)
			return e;
	}
	return NULL;
}

bool sdei_report_cpu_rejected(const struct sdei_report *report,
			      const struct sdei_cpu_report *cpu,
			      const struct sdei_policy *policy)
{
	const struct sdei_expect *want;
	size_t missing = 0, i;

	if (!policy)
		policy = &default_policy;
	want = expectation(policy, cpu->cpu);
	if (want)
		return cpu->verdict != want->verdict ||
		       (want->path != SDEI_PATH_NONE &&
			cpu->path != want->path);
	switch (cpu->verdict) {
	case SDEI_VERDICT_PANIC:
	case SDEI_VERDICT_STOPPED:
		return false;
	case SDEI_VERDICT_OFFLINE:
		return !policy->allow_offline;
	case SDEI_VERDICT_MISSING:
		/* count here: the report may not have been finished */
		for (i = 0; i < report->nr_cpus; i++)
			if (report->cpus[i].verdict == SDEI_VERDICT_MISSING &&
			    !expectation(policy, report->cpus[i].cpu))
				missing++;
		return missing > policy->allow_missing;
	case SDEI_VERDICT_STALE:
		return true;
	case SDEI_VERDICT_UNKNOWN:
		return !policy->allow_unknown;
	case SDEI_NR_VERDICTS:
		break;
	}
	/* a verdict we do not know is never a pass */
	return true;
}

/* Entries of CPUs come first, in CPU order: a binary search finds one. */
static bool in_report(const struct sdei_report *report, size_t cpu)
{
	size_t lo = 0, hi = report->nr_cpus;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = report->cpus[mid].cpu;

		if (c >= 0 && (size_t)c == cpu)
			return true;
		if (c >= 0 && (size_t)c < cpu)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* Appends CPU @cpu to a list being built in ascending order. */
struct cpulist {
	char *buf;
	size_t len, used;
	size_t first, last, n;
};

static void cpulist_flush(struct cpulist *l)
{
	char one[48];
	size_t k;

	if (!l->n || !l->len)
		return;
	if (l->first == l->last)
		k = (size_t)snprintf(one, sizeof(one), "%s%zu",
				     l->used ? "," : "", l->first);
	else
		k = (size_t)snprintf(one, sizeof(one), "%s%zu-%zu",
				     l->used ? "," : "", l->first, l->last);
	if (l->used + k + 4 > l->len) {
		if (l->used + 4 <= l->len)
			strcpy(l->buf + l->used, "...");
		l->used = l->len;	/* full: nothing more fits */
		return;
	}
	memcpy(l->buf + l->used, one, k + 1);
	l->used += k;
}

static void cpulist_add(struct cpulist *l, size_t cpu)
{
	if (l->n && cpu == l->last + 1) {
		l->last = cpu;
	} else {
		cpulist_flush(l);
		l->first = l->last = cpu;
	}
	l->n++;
}

size_t sdei_report_absent(const struct sdei_report *report,
			  const uint64_t *map, size_t bits, char *buf,
			  size_t len)
{
	struct cpulist l = { .buf = buf, .len = len };

	if (len)
		buf[0] = '\0';
	for (size_t cpu = 0; cpu < bits; cpu++)
		if (map[cpu / 64] >> (cpu % 64) & 1 && !in_report(report, cpu))
			cpulist_add(&l, cpu);
	cpulist_flush(&l);
	return l.n;
}

size_t sdei_report_expect_absent(const struct sdei_report *report,
				 const struct sdei_policy *policy, char *buf,
				 size_t len)
{
	struct cpulist l = { .buf = buf, .len = len };
	size_t cpu, bits = 0, i;

	if (len)
		buf[0] = '\0';
	for (i = 0; policy && i < policy->nr_expect; i++)
		if (policy->expect[i].nr_bits > bits)
			bits = policy->expect[i].nr_bits;
	for (cpu = 0; cpu < bits; cpu++) {
		for (i = 0; i < policy->nr_expect; i++) {
			const struct sdei_expect *e = &policy->expect[i];

			if (cpu < e->nr_bits && e->cpus[cpu / 64] >> (cpu % 64) & 1)
				break;
		}
		if (i < policy->nr_expect && !in_report(report, cpu))
			cpulist_add(&l, cpu);
	}
	cpulist_flush(&l);
	return l.n;
}

int sdei_report_exit_status(const struct sdei_report *report,
			    const struct sdei_policy *policy)
{
	size_t i;

	if (report->nr_absent ||
	    sdei_report_expect_absent(report, policy, NULL, 0))
		return SDEI_EXIT_FINDINGS;
	for (i = 0; i < report->nr_cpus; i++)
		if (sdei_report_cpu_rejected(report, &report->cpus[i], policy))
			return SDEI_EXIT_FINDINGS;
	return SDEI_EXIT_OK;
}
