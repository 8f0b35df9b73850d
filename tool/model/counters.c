// SPDX-License-Identifier: GPL-2.0
/*
 * What the tool knows about the module's counters.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/counters.h"

/* Every counter, in enum order, with its JSON name. */
const struct nq_counter_info nq_counters[] = {
	{ NQSTAT_CTR_HANDSHAKES_COMPLETED, "handshakes_completed" },
	{ NQSTAT_CTR_ACCEPTED, "accepted" },
	{ NQSTAT_CTR_SYN_QUEUE_DROPS, "syn_queue_drops" },
	{ NQSTAT_CTR_SYN_COOKIES_SENT, "syn_cookies_sent" },
	{ NQSTAT_CTR_SYN_BACKLOG_DROPS, "syn_backlog_drops" },
	{ NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN, "accept_queue_drops_syn" },
	{ NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS, "accept_queue_overflows" },
	{ NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS,
	  "accept_queue_overflow_resets" },
	{ NQSTAT_CTR_OTHER_DROPS, "other_drops" },
	{ NQSTAT_CTR_SYNACK_RETRANSMITS, "synack_retransmits" },
};

const size_t nq_n_counters = sizeof(nq_counters) / sizeof(nq_counters[0]);

_Static_assert(sizeof(nq_counters) / sizeof(nq_counters[0]) ==
	       NQSTAT_CTR_MAX - NQSTAT_CTR_PAD, "a counter is missing");

const struct nq_drop_kind nq_drop_kinds[] = {
	{ NQSTAT_CTR_SYN_QUEUE_DROPS, "synq" },
	{ NQSTAT_CTR_SYN_BACKLOG_DROPS, "syn-backlog" },
	{ NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN, "acceptq(syn)" },
	{ NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS, "acceptq(ack)" },
	{ NQSTAT_CTR_OTHER_DROPS, "other" },
};

const size_t nq_n_drop_kinds = sizeof(nq_drop_kinds) /
			       sizeof(nq_drop_kinds[0]);

const struct nq_counter_info *nq_counter_find(unsigned int type)
{
	size_t i;

	for (i = 0; i < nq_n_counters; i++)
		if (nq_counters[i].type == type)
			return &nq_counters[i];
	return NULL;
}

static int append(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

size_t nq_hook_fed(const struct nq_hook *h, const char **names, size_t max)
{
	size_t i;

	if (!nq_hook_feeds_known(h))
		return 0;
	for (i = 0; i < h->n_feeds && i < max; i++)
		names[i] = h->feeds[i];
	return h->n_feeds;
}

/*
 * The length of the name of the module hook h attaches to, 0 when it is
 * none: only a kretprobe's "module:function" names a module. A
 * tracepoint's "system:event" and a table hook's "table:entry"
 * ("af_ops:conn_request") do not, nor does a hook of unknown kind.
 */
static size_t module_name_len(const struct nq_hook *h)
{
	const char *colon;

	if (!h->name || !nq_known(h->kind) ||
	    h->kind != NQSTAT_HOOK_KRETPROBE)
		return 0;
	colon = strchr(h->name, ':');
	return colon ? (size_t)(colon - h->name) : 0;
}

int nq_hook_warning(char *buf, size_t len, const struct nq_hook *h)
{
	const char *name = h->name ? h->name : "-";
	const char *fields[2 * NQSTAT_CTR_MAX];
	size_t off = 0, n, k, module_len;
	int ret;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	if (nq_known(h->missed) && h->missed) {
		ret = append(buf, len, &off,
			     "warning: hook %s missed %" PRIu64 " call%s: some events were not counted, counters that depend on it may be too low",
			     name, h->missed, h->missed == 1 ? "" : "s");
		return ret < 0 ? ret : 1;
	}
	if (!nq_known(h->state) ||
	    h->state != NQSTAT_HOOK_UNAVAILABLE)
		return 0;
	n = nq_hook_fed(h, fields, sizeof(fields) / sizeof(fields[0]));
	if (n > sizeof(fields) / sizeof(fields[0]))
		n = sizeof(fields) / sizeof(fields[0]);
	module_len = module_name_len(h);
	if (nq_known(h->err) && h->err == ECANCELED)
		ret = append(buf, len, &off,
			     "note: hook %s disabled by the module parameter disable_hooks",
			     name);
	else if (module_len)	/* "module:function": loaded or not */
		ret = append(buf, len, &off,
			     "note: hook %s is attached only while module %.*s is loaded",
			     name, (int)module_len, name);
	else
		ret = append(buf, len, &off,
			     "warning: hook %s unavailable on this kernel", name);
	if (!ret && !nq_hook_feeds_known(h))
		ret = append(buf, len, &off,
			     ": the fields it feeds are unknown (the loaded nqstat module does not report them)");
	for (k = 0; k < n && !ret; k++)
		ret = append(buf, len, &off, "%s%s", k ? ", " : ": no ",
			     fields[k]);
	if (!ret && n)
		ret = append(buf, len, &off, " (shown as - or null)");
	return ret < 0 ? ret : 1;
}

uint32_t nq_drop_kinds_mask(void)
{
	uint32_t mask = 0;
	size_t i;

	for (i = 0; i < nq_n_drop_kinds; i++)
		mask |= UINT32_C(1) << nq_drop_kinds[i].type;
	return mask;
}

bool nq_drops_total(const struct nq_listener *l, uint64_t *total)
{
	uint64_t sum = 0, v;
	size_t i;

	for (i = 0; i < nq_n_drop_kinds; i++) {
		unsigned int c = nq_drop_kinds[i].type;

		if (!nq_known(l->counters[c]))
			return false;
		v = l->counters[c];
		sum = sum > UINT64_MAX - v ? UINT64_MAX : sum + v;
	}
	*total = sum;
	return true;
}

/* Appends to buf at *off; -ENOSPC when it does not fit. */
static int append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return -ENOSPC;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - *off) {
		*off = len;
		return -ENOSPC;
	}
	*off += (size_t)n;
	return 0;
}

/*
 * One value as text into val, false when it is absent or zero: counts[] or
 * rates[], whichever is not NULL.
 */
static bool value(char *val, size_t len, const uint64_t *counts,
		  const double *rates, unsigned int c)
{
	if (counts) {
		if (!nq_known(counts[c]) || !counts[c])
			return false;
		snprintf(val, len, "%" PRIu64, counts[c]);
		return true;
	}
	if (!isfinite(rates[c]))
		return false;
	snprintf(val, len, "%.1f", rates[c]);
	/* Rounds to zero: "0.0" or "-0.0". */
	return strcmp(val, "0.0") && strcmp(val, "-0.0");
}

static int dropped_by(char *buf, size_t len, const uint64_t *counts, const double *rates)
{
	char val[64], rst[64];
	size_t off = 0, i;
	int ret = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; i < nq_n_drop_kinds && !ret; i++) {
		unsigned int c = nq_drop_kinds[i].type;

		if (!value(val, sizeof(val), counts, rates, c))
			continue;
		ret = append(buf, len, &off, "%s%s:%s", off ? "," : "",
			     nq_drop_kinds[i].label, val);
		if (!ret && c == NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS &&
		    value(rst, sizeof(rst), counts, rates,
			  NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS))
			ret = append(buf, len, &off, "(rst:%s)", rst);
	}
	if (!ret && !off)
		ret = append(buf, len, &off, "-");
	return ret;
}

int format_dropped_by(char *buf, size_t len, const uint64_t *counts)
{
	return dropped_by(buf, len, counts, NULL);
}

int format_dropped_by_rates(char *buf, size_t len, const double *rates)
{
	return dropped_by(buf, len, NULL, rates);
}
