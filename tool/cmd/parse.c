// SPDX-License-Identifier: GPL-2.0
/*
 * Pure parsing helpers for command line values.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/parse.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Decimal digits only: no sign, no whitespace, no base prefix. */
static int parse_ulong(const char *s, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!s || !is_digit(s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_port(const char *s, uint16_t *port)
{
	unsigned long v;
	int ret;

	ret = parse_ulong(s, &v);
	if (ret < 0)
		return ret;
	if (v < 1 || v > 65535)
		return -ERANGE;
	*port = (uint16_t)v;
	return 0;
}

int parse_addr(const char *s, struct nq_addr *addr)
{
	char buf[INET6_ADDRSTRLEN];
	struct nq_addr a = { 0 };
	size_t len;

	if (!s)
		return -EINVAL;
	if (inet_pton(AF_INET, s, a.bytes) == 1) {
		a.family = AF_INET;
		*addr = a;
		return 0;
	}
	len = strlen(s);
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		if (len - 2 >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
		s = buf;
	}
	if (inet_pton(AF_INET6, s, a.bytes) == 1) {
		a.family = AF_INET6;
		*addr = a;
		return 0;
	}
	return -EINVAL;
}

int parse_interval(const char *s, unsigned int *ms)
{
	unsigned long secs = 0, frac = 0;
	unsigned int scale = 100;
	const char *p;

	if (!s || !is_digit(s[0]))
		return -EINVAL;
	for (p = s; is_digit(*p); p++) {
		/* Stop accumulating past the limit; only range matters then. */
		if (secs <= NQ_INTERVAL_MAX_MS / 1000)
			secs = secs * 10 + (unsigned long)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!is_digit(*p))
			return -EINVAL;
		for (; is_digit(*p); p++) {
			/* Finer than a millisecond. */
			if (!scale)
				return -EINVAL;
			frac += (unsigned long)(*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p != '\0')
		return -EINVAL;
	if (secs > NQ_INTERVAL_MAX_MS / 1000)
		return -ERANGE;
	secs = secs * 1000 + frac;
	if (secs < 1 || secs > NQ_INTERVAL_MAX_MS)
		return -ERANGE;
	*ms = (unsigned int)secs;
	return 0;
}

int parse_count(const char *s, unsigned int *count)
{
	unsigned long v;
	int ret;

	ret = parse_ulong(s, &v);
	if (ret < 0)
		return ret;
	if (v < 1 || v > UINT_MAX)
		return -ERANGE;
	*count = (unsigned int)v;
	return 0;
}

int parse_show_args(int argc, char *const argv[], struct nq_filter *f,
		    char *err, size_t errlen)
{
	return parse_filter_args("show", argc, argv, f, err, errlen);
}

int parse_filter_args(const char *cmd, int argc, char *const argv[],
		      struct nq_filter *f, char *err, size_t errlen)
{
	struct nq_filter nf = { 0 };
	int i;

	for (i = 0; i < argc; i++) {
		const char *key = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		bool port = !strcmp(key, "port");

		if (!port && strcmp(key, "addr")) {
			snprintf(err, errlen,
				 "unknown argument \"%s\" for %s; expected: [port PORT] [addr ADDR]",
				 key, cmd);
			return -EINVAL;
		}
		if (!val) {
			snprintf(err, errlen, "missing value for %s: expected %s",
				 key, port ? NQ_RULE_PORT : NQ_RULE_ADDR);
			return -EINVAL;
		}
		i++;
		if (port) {
			if (nf.has_port) {
				snprintf(err, errlen,
					 "extra argument \"port\": port given twice");
				return -EINVAL;
			}
			if (parse_port(val, &nf.port) < 0) {
				snprintf(err, errlen,
					 "bad value \"%s\" for port: expected "
					 NQ_RULE_PORT, val);
				return -EINVAL;
			}
			nf.has_port = true;
		} else {
			if (nf.has_addr) {
				snprintf(err, errlen,
					 "extra argument \"addr\": addr given twice");
				return -EINVAL;
			}
			if (parse_addr(val, &nf.addr) < 0) {
				snprintf(err, errlen,
					 "bad value \"%s\" for addr: expected "
					 NQ_RULE_ADDR, val);
				return -EINVAL;
			}
			nf.has_addr = true;
		}
	}
	*f = nf;
	return 0;
}

int parse_top_n(const char *s, uint32_t *n)
{
	unsigned long v;
	int ret;

	ret = parse_ulong(s, &v);
	if (ret < 0)
		return ret;
	if (v < 1 || v > 100)
		return -ERANGE;
	*n = (uint32_t)v;
	return 0;
}

int parse_tw_args(int argc, char *const argv[], uint32_t default_n,
		  uint32_t *top_n, char *err, size_t errlen)
{
	bool has_top = false;
	uint32_t n = default_n;
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "top")) {
			snprintf(err, errlen,
				 "unknown argument \"%s\" for tw; expected: [top N]",
				 argv[i]);
			return -EINVAL;
		}
		if (i + 1 >= argc) {
			snprintf(err, errlen,
				 "missing value for top: expected " NQ_RULE_TOP);
			return -EINVAL;
		}
		if (has_top) {
			snprintf(err, errlen,
				 "extra argument \"top\": top given twice");
			return -EINVAL;
		}
		i++;
		if (parse_top_n(argv[i], &n) < 0) {
			snprintf(err, errlen,
				 "bad value \"%s\" for top: expected " NQ_RULE_TOP,
				 argv[i]);
			return -EINVAL;
		}
		has_top = true;
	}
	*top_n = n;
	return 0;
}
