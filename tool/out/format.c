// SPDX-License-Identifier: GPL-2.0
/*
 * Pure formatting helpers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/nqstat.h>

#include "out/format.h"

int format_addr(char *buf, size_t len, uint8_t family, const void *addr)
{
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	if (len > INT32_MAX)
		len = INT32_MAX;
	if (!inet_ntop(family, addr, buf, (socklen_t)len))
		return -ENOSPC;
	return 0;
}

int format_endpoint(char *buf, size_t len, uint8_t family, const void *addr,
		    uint16_t port, const char *dev)
{
	char a[INET6_ADDRSTRLEN], p[8];
	int ret;

	ret = format_addr(a, sizeof(a), family, addr);
	if (ret < 0)
		return ret;
	if (port)
		snprintf(p, sizeof(p), "%u", port);
	else
		snprintf(p, sizeof(p), "*");
	ret = snprintf(buf, len, "%s%s%s%s%s:%s",
		       family == AF_INET6 ? "[" : "", a,
		       family == AF_INET6 ? "]" : "",
		       dev ? "%" : "", dev ? dev : "", p);
	if (ret < 0 || (size_t)ret >= len)
		return -ENOSPC;
	return 0;
}

size_t format_u64(char *buf, size_t len, uint64_t v)
{
	char tmp[20];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (!len)
		return 0;
	if (n > len - 1)
		n = len - 1;
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

const char *format_counter(char *buf, size_t len, bool present, uint64_t v)
{
	if (present)
		format_u64(buf, len, v);
	else
		snprintf(buf, len, "-");
	return buf;
}

const char *format_rate(char *buf, size_t len, bool present, double rate)
{
	return format_rate_decimals(buf, len, present, rate, 1);
}

const char *format_rate_decimals(char *buf, size_t len, bool present,
				 double v, int decimals)
{
	if (present && isfinite(v))
		snprintf(buf, len, "%.*f", decimals, v);
	else
		snprintf(buf, len, "-");
	return buf;
}

const char *format_pair(char *buf, size_t len, bool has_a, uint64_t a,
			bool has_b, uint64_t b)
{
	char sa[FORMAT_NUM_LEN], sb[FORMAT_NUM_LEN];

	if (!has_a && !has_b) {
		snprintf(buf, len, "-");
		return buf;
	}
	format_counter(sa, sizeof(sa), has_a, a);
	format_counter(sb, sizeof(sb), has_b, b);
	{
		char ab[2 * FORMAT_NUM_LEN + 2];
		size_t n;

		strcat(strcat(strcpy(ab, sa), "/"), sb);
		if (!len)
			return buf;
		/* Truncated to len, as snprintf() would. */
		n = strlen(ab);
		if (n > len - 1)
			n = len - 1;
		memcpy(buf, ab, n);
		buf[n] = '\0';
	}
	return buf;
}

const char *format_family(uint8_t family)
{
	switch (family) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	}
	return NULL;
}

const char *format_state_table(uint8_t state)
{
	switch (state) {
	case NQSTAT_LISTENER_LISTENING:
		return "LISTEN";
	case NQSTAT_LISTENER_CLOSED:
		return "CLOSED";
	}
	return NULL;
}

const char *format_state_json(uint8_t state)
{
	switch (state) {
	case NQSTAT_LISTENER_LISTENING:
		return "listening";
	case NQSTAT_LISTENER_CLOSED:
		return "closed";
	}
	return NULL;
}

const char *format_hook_kind(uint8_t kind)
{
	switch (kind) {
	case NQSTAT_HOOK_TRACEPOINT:
		return "tracepoint";
	case NQSTAT_HOOK_KPROBE:
		return "kprobe";
	case NQSTAT_HOOK_KRETPROBE:
		return "kretprobe";
	case NQSTAT_HOOK_TABLE:
		return "table";
	}
	return NULL;
}

const char *format_hook_state(uint8_t state)
{
	switch (state) {
	case NQSTAT_HOOK_ATTACHED:
		return "attached";
	case NQSTAT_HOOK_UNAVAILABLE:
		return "unavailable";
	}
	return NULL;
}

const char *format_backlog_source_table(uint8_t source)
{
	switch (source) {
	case NQSTAT_BACKLOG_APPLICATION:
		return "app";
	case NQSTAT_BACKLOG_SOMAXCONN:
		return "somaxconn";
	}
	return NULL;
}

const char *format_backlog_source_json(uint8_t source)
{
	switch (source) {
	case NQSTAT_BACKLOG_APPLICATION:
		return "application";
	case NQSTAT_BACKLOG_SOMAXCONN:
		return "somaxconn";
	}
	return NULL;
}

static bool escaped_byte(unsigned char c)
{
	return c < 0x20 || c >= 0x7f || c == '\\';
}

bool format_needs_escape(const char *s)
{
	for (; s && *s; s++)
		if (escaped_byte((unsigned char)*s))
			return true;
	return false;
}

char *format_escape(char *buf, size_t len, const char *s)
{
	size_t o = 0;

	if (!len)
		return buf;
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (escaped_byte(c)) {
			if (o + 4 >= len)
				break;
			snprintf(buf + o, len - o, "\\x%02x", c);
			o += 4;
		} else {
			if (o + 1 >= len)
				break;
			buf[o++] = (char)c;
		}
	}
	buf[o] = '\0';
	return buf;
}

void format_fputs_escaped(const char *s, FILE *f)
{
	char e[5];

	for (; s && *s; s++) {
		if (escaped_byte((unsigned char)*s))
			fputs(format_escape(e, sizeof(e), (char[2]){ *s, 0 }), f);
		else
			fputc(*s, f);
	}
}
