// SPDX-License-Identifier: GPL-2.0-or-later
/* One error type, built where the failure happens (STYLE.md §2). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct sdei_error sdei_error_nomem = {
	.code = SDEI_ERROR_NOMEM,
	.message = "out of memory",
};

struct sdei_error *sdei_error_vcreate(enum sdei_error_code code,
				      const char *fmt, va_list ap)
{
	struct sdei_error *err = calloc(1, sizeof(*err));

	if (!err)
		return &sdei_error_nomem;
	err->code = code;
	if (vasprintf(&err->message, fmt, ap) < 0) {
		free(err);
		return &sdei_error_nomem;
	}
	return err;
}

struct sdei_error *sdei_error_create(enum sdei_error_code code,
				     const char *fmt, ...)
{
	struct sdei_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = sdei_error_vcreate(code, fmt, ap);
	va_end(ap);
	return err;
}

struct sdei_error *sdei_error_errno(int errnum, const char *fmt, ...)
{
	struct sdei_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = sdei_error_vcreate(SDEI_ERROR_OS, fmt, ap);
	va_end(ap);
	if (err == &sdei_error_nomem)
		return err;
	err->errnum = errnum;
	return sdei_error_prefix(err, "%s", "") == &sdei_error_nomem ?
		&sdei_error_nomem : err;
}

struct sdei_error *sdei_error_fault(uint64_t address, const char *fmt, ...)
{
	struct sdei_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = sdei_error_vcreate(SDEI_ERROR_FAULT, fmt, ap);
	va_end(ap);
	if (err != &sdei_error_nomem)
		err->address = address;
	return err;
}

struct sdei_error *sdei_error_prefix(struct sdei_error *err,
				     const char *fmt, ...)
{
	char *ctx, *msg;
	va_list ap;
	int n;

	if (err == &sdei_error_nomem)
		return err;
	va_start(ap, fmt);
	n = vasprintf(&ctx, fmt, ap);
	va_end(ap);
	if (n < 0)
		goto nomem;
	if (!*ctx && err->code == SDEI_ERROR_OS) {
		/* sdei_error_errno(): append the errno text */
		n = asprintf(&msg, "%s: %s", err->message,
			     strerror(err->errnum));
	} else if (!*ctx) {
		free(ctx);
		return err;
	} else {
		n = asprintf(&msg, "%s: %s", ctx, err->message);
	}
	free(ctx);
	if (n < 0)
		goto nomem;
	free(err->message);
	err->message = msg;
	return err;
nomem:
	sdei_error_destroy(err);
	return &sdei_error_nomem;
}

void sdei_error_destroy(struct sdei_error *err)
{
	if (!err || err == &sdei_error_nomem)
		return;
	free(err->message);
	free(err);
}
