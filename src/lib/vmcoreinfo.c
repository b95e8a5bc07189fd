// SPDX-License-Identifier: GPL-2.0-or-later
/* VMCOREINFO: "KEY=VALUE" lines, as the kernel writes them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const char *sdei_vmcoreinfo_get(const char *vmcoreinfo, const char *key,
				size_t *len_ret)
{
	size_t klen;
	const char *line, *end;

	if (!vmcoreinfo || !key)
		return NULL;
	klen = strlen(key);
	for (line = vmcoreinfo; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		/* Whole-key match: "NUMBER(VA_BITS)" must not match "…BITS_X" */
		if ((size_t)(end - line) > klen && !strncmp(line, key, klen) &&
		    line[klen] == '=') {
			if (len_ret)
				*len_ret = end - line - klen - 1;
			return line + klen + 1;
		}
		if (!*end)
			break;
	}
	return NULL;
}

bool sdei_vmcoreinfo_number(const char *vmcoreinfo, const char *key,
			    int base, uint64_t *ret)
{
	const char *val;
	char buf[64], *end;
	unsigned long long n;
	size_t len;

	val = sdei_vmcoreinfo_get(vmcoreinfo, key, &len);
	/* The value is not NUL-terminated; numbers are short. */
	if (!val || !len || len >= sizeof(buf))
		return false;
	memcpy(buf, val, len);
	buf[len] = '\0';
	/* strtoull() skips blanks and takes a sign: a value has neither */
	if (buf[0] == ' ' || buf[0] == '\t' || buf[0] == '+')
		return false;
	errno = 0;
	if (buf[0] == '-') {
		long long s = strtoll(buf, &end, base);

		n = (unsigned long long)s;
	} else {
		n = strtoull(buf, &end, base);
	}
	if (errno || *end || end == buf)
		return false;
	*ret = n;
	return true;
}
