/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TAP for the unit tests: "ok N - what" / "not ok N - what", skips as
 * "ok N - # SKIP why", and tap_done() prints the plan and gives the exit
 * status (0 all passed, 1 a failure). tests/run reads this.
 */
#ifndef SDEI_TAP_H
#define SDEI_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int nr_tests, nr_failed;

static bool ok(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), unused));

static bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	nr_tests++;
	if (!cond)
		nr_failed++;
	printf("%sok %d - ", cond ? "" : "not ", nr_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

static void skip(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), unused));

static void skip(const char *fmt, ...)
{
	va_list ap;

	printf("ok %d - # SKIP ", ++nr_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int tap_done(void) __attribute__((unused));

static int tap_done(void)
{
	printf("1..%d\n", nr_tests);
	return nr_failed ? 1 : 0;
}

#endif /* SDEI_TAP_H */
