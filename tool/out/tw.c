// SPDX-License-Identifier: GPL-2.0
/*
 * "tw": TIME_WAIT and local port use per network namespace, as text and
 * JSON, without I/O other than to the stream it is given.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "out/field.h"
#include "out/format.h"
#include "out/json.h"
#include "out/netns.h"
#include "out/table.h"

const char *format_tw_reuse(uint8_t v)
{
	switch (v) {
	case 0:
		return "off";
	case 1:
		return "on";
	case 2:
		return "loopback only";
	}
	return NULL;
}

const char *format_timestamps(uint8_t v)
{
	switch (v) {
	case 0:
		return "off";
	case 1:
		return "on";
	case 2:
		return "on, without random offsets";
	}
	return NULL;
}

const char *format_port_range_mark(double use)
{
	if (!(use >= NQ_PORT_RANGE_WARN))	/* NaN too */
		return "";
	return use >= 1.0 ? "!! exhausted" : "! near exhaustion";
}

/* Longest value of the summary. */
#define VALUE_LEN 160

/* "N" or "N (R/s)" for counter attr; "-" when absent. */
static const char *counter_value(char *buf, size_t len,
				 const struct nq_netns *ns,
				 const struct nq_netns_rates *r,
				 unsigned int attr)
{
	char num[FORMAT_NUM_LEN], rate[FORMAT_NUM_LEN];

	format_counter(num, sizeof(num), nq_known(nq_netns_counter(ns, attr)),
		       nq_netns_counter(ns, attr));
	if (!r) {
		snprintf(buf, len, "%s", num);
		return buf;
	}
	format_rate(rate, sizeof(rate), !isnan(r->v[attr]), r->v[attr]);
	snprintf(buf, len, "%s (%s/s)", num, rate);
	return buf;
}

/* "10 now, peak 12, tcp_max_tw_buckets 262144 (0.0% used)" */
static const char *tw_value(char *buf, size_t len, const struct nq_netns *ns)
{
	char now[FORMAT_NUM_LEN], peak[FORMAT_NUM_LEN], max[FORMAT_NUM_LEN];
	char pct[FORMAT_NUM_LEN] = "";
	double use;

	format_counter(now, sizeof(now),
		       nq_known(ns->tw_count),
		       ns->tw_count);
	format_counter(peak, sizeof(peak),
		       nq_known(ns->tw_peak),
		       ns->tw_peak);
	format_counter(max, sizeof(max),
		       nq_known(ns->max_tw_buckets),
		       ns->max_tw_buckets);
	if (nq_tw_limit_use(ns, &use))
		snprintf(pct, sizeof(pct), " (%.1f%% used)", use * 100);
	snprintf(buf, len, "%s now, peak %s, tcp_max_tw_buckets %s%s", now,
		 peak, max, pct);
	return buf;
}

/* "40000-40009 (10 ports)"; an absent bound is "?", both absent "-". */
static const char *range_value(char *buf, size_t len,
			       const struct nq_netns *ns)
{
	bool has_lo = nq_known(ns->port_range_low);
	bool has_hi = nq_known(ns->port_range_high);
	char lo[FORMAT_NUM_LEN] = "?", hi[FORMAT_NUM_LEN] = "?";
	uint32_t size;

	if (!has_lo && !has_hi) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (has_lo)
		snprintf(lo, sizeof(lo), "%" PRIu64 "", ns->port_range_low);
	if (has_hi)
		snprintf(hi, sizeof(hi), "%" PRIu64 "", ns->port_range_high);
	if (nq_port_range_size(ns, &size))
		snprintf(buf, len, "%s-%s (%" PRIu32 " port%s)", lo, hi, size,
			 size == 1 ? "" : "s");
	else
		snprintf(buf, len, "%s-%s", lo, hi);
	return buf;
}

static const char *reuse_value(char *buf, size_t len,
			       const struct nq_netns *ns)
{
	const char *name = format_tw_reuse(ns->tw_reuse);

	if (!nq_known(ns->tw_reuse)) {
		snprintf(buf, len, "-");
		return buf;
	}
	snprintf(buf, len, "%" PRIu64 "%s%s%s", ns->tw_reuse, name ? " (" : "",
		 name ? name : "", name ? ")" : "");
	/* Reuse needs the timestamps of both ends. */
	if (ns->tw_reuse &&
	    nq_known(ns->timestamps) &&
	    !ns->timestamps) {
		size_t off = strlen(buf);

		snprintf(buf + off, len - off,
			 ", no effect: tcp_timestamps is 0");
	}
	return buf;
}

static const char *timestamps_value(char *buf, size_t len,
				    const struct nq_netns *ns)
{
	const char *name = format_timestamps(ns->timestamps);

	if (!nq_known(ns->timestamps))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%" PRIu64 "%s%s%s", ns->timestamps,
			 name ? " (" : "", name ? name : "", name ? ")" : "");
	return buf;
}

static const char *fin_timeout_value(char *buf, size_t len,
				     const struct nq_netns *ns)
{
	if (!nq_known(ns->fin_timeout_s))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%" PRIu64 " s (FIN-WAIT-2 only)",
			 ns->fin_timeout_s);
	return buf;
}

static const struct table_col summary_cols[] = {
	{ NULL, TABLE_LEFT },
	{ NULL, TABLE_LEFT },
};

static int print_summary(FILE *f, const struct nq_netns *ns,
			 const struct nq_netns_rates *r)
{
	struct table *t = table_new(summary_cols, 2);
	char buf[VALUE_LEN];
	int ret = 0;

	if (!t)
		return -ENOMEM;
	ret = table_add(t, "TIME-WAIT:");
	if (!ret)
		ret = table_add(t, tw_value(buf, sizeof(buf), ns));
	if (!ret)
		ret = table_add(t, "TIME-WAIT created:");
	if (!ret)
		ret = table_add(t, counter_value(buf, sizeof(buf), ns, r,
						 NQSTAT_A_NETNS_TW_CREATED));
	if (!ret)
		ret = table_add(t, "TIME-WAIT overflows:");
	if (!ret)
		ret = table_add(t, counter_value(buf, sizeof(buf), ns, r,
						 NQSTAT_A_NETNS_TW_OVERFLOWS));
	if (!ret)
		ret = table_add(t, "connect() EADDRNOTAVAIL:");
	if (!ret)
		ret = table_add(t, counter_value(buf, sizeof(buf), ns, r,
				NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED));
	if (!ret)
		ret = table_add(t, "ip_local_port_range:");
	if (!ret)
		ret = table_add(t, range_value(buf, sizeof(buf), ns));
	if (!ret)
		ret = table_add(t, "tcp_tw_reuse:");
	if (!ret)
		ret = table_add(t, reuse_value(buf, sizeof(buf), ns));
	if (!ret)
		ret = table_add(t, "tcp_timestamps:");
	if (!ret)
		ret = table_add(t, timestamps_value(buf, sizeof(buf), ns));
	if (!ret)
		ret = table_add(t, "tcp_fin_timeout:");
	if (!ret)
		ret = table_add(t, fin_timeout_value(buf, sizeof(buf), ns));
	if (!ret)
		ret = table_print(t, f, "  ", false);
	table_free(t);
	return ret;
}

static const struct table_col dest_cols[] = {
	{ "Remote Address:Port", TABLE_LEFT },
	{ "TIME-WAIT", TABLE_RIGHT },
	{ "Port-Range-Use", TABLE_RIGHT },
	{ "", TABLE_LEFT },
};

#define N_DEST_COLS (sizeof(dest_cols) / sizeof(dest_cols[0]))

static int print_dests(FILE *f, const struct nq_netns *ns)
{
	char buf[FORMAT_ENDPOINT_LEN], num[FORMAT_NUM_LEN];
	struct table *t;
	size_t i;
	int ret = 0;

	if (!ns->n_dests)
		return 0;
	t = table_new(dest_cols, N_DEST_COLS);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < ns->n_dests && !ret; i++) {
		const struct nq_tw_dest *d = &ns->dests[i];
		const char *mark = "";
		double use;

		if (!(d->addr_len != 0) ||
		    format_endpoint(buf, sizeof(buf), d->family, d->addr,
				    d->port, NULL) < 0)
			snprintf(buf, sizeof(buf), "-");
		ret = table_add(t, buf);
		if (!ret)
			ret = table_add(t, format_counter(num, sizeof(num),
				nq_known(d->tw_count),
				d->tw_count));
		if (nq_port_range_use(ns, d, &use)) {
			snprintf(num, sizeof(num), "%.1f%%", use * 100);
			mark = format_port_range_mark(use);
		} else {
			snprintf(num, sizeof(num), "-");
		}
		if (!ret)
			ret = table_add(t, num);
		if (!ret)
			ret = table_add(t, mark);
	}
	if (!ret)
		ret = table_print(t, f, "  ", true);
	table_free(t);
	return ret;
}

static int print_netns(FILE *f, const struct nq_netns *ns,
		       const struct nq_netns_rates *r)
{
	int ret;

	nq_netns_print_header(f, ns);
	ret = print_summary(f, ns, r);
	if (ret < 0)
		return ret;
	if (!ns->dests_known)
		return 0;
	fputc('\n', f);
	if (!ns->n_dests)
		fprintf(f, "  no remote endpoint has TIME-WAIT sockets\n");
	ret = print_dests(f, ns);
	if (ret < 0)
		return ret;
	if (ns->dests_truncated)
		fprintf(f, "  note: more remote endpoints than the module could rank: some are missing\n");
	return 0;
}


int tw_print_text(FILE *f, const struct nq_netns_list *l,
		  const struct nq_netns_rates *rates, uint64_t elapsed_ns)
{
	return nq_netns_print_text(f, l, rates, elapsed_ns, print_netns);
}

static void json_dest(struct json *j, const struct nq_netns *ns,
		      const struct nq_tw_dest *d)
{
	char addr[INET6_ADDRSTRLEN];
	bool has_addr, has_use;
	double use = 0;

	has_addr = (d->addr_len != 0) &&
		   !format_addr(addr, sizeof(addr), d->family, d->addr);
	has_use = nq_port_range_use(ns, d, &use);
	json_obj_begin(j);
	json_kv_str(j, "family",
		    nq_known(d->family) ?
		    format_family(d->family) : NULL);
	json_kv_str(j, "addr", has_addr ? addr : NULL);
	json_kv_u64_opt(j, "port", nq_known(d->port),
			d->port);
	json_kv_u64_opt(j, "tw_count",
			nq_known(d->tw_count),
			d->tw_count);
	json_kv_double_opt(j, "port_range_use", has_use, use, 4);
	json_obj_end(j);
}

/* The namespace's fields (out/f_netns.c), then its destinations. */
static void json_netns(struct json *j, const struct nq_netns *ns,
		       const struct nq_netns_rates *r)
{
	struct nq_nsrow row = { ns, r };
	size_t i;

	json_obj_begin(j);
	nq_fields_json(j, nq_netns_fields, nq_n_netns_fields, &row, r);
	json_key(j, "tw_destinations");
	if (ns->dests_known) {
		json_arr_begin(j);
		for (i = 0; i < ns->n_dests; i++)
			json_dest(j, ns, &ns->dests[i]);
		json_arr_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "tw_destinations_truncated");
	json_bool(j, ns->dests_truncated);
	json_obj_end(j);
}

int tw_print_json(FILE *f, bool pretty, const struct nq_netns_list *l,
		  const struct nq_netns_rates *rates, uint64_t elapsed_ns)
{
	return nq_netns_print_json(f, pretty, l, rates, elapsed_ns,
				   json_netns);
}
