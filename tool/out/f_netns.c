// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace and conntrack field tables: the values of a namespace row
 * (struct nq_nsrow) that tw, ct and report print, in text, JSON and
 * Prometheus. The order is the JSON order.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "out/field.h"
#include "out/netns.h"

#define ROW(row) ((const struct nq_nsrow *)(row))
#define NS(row) (ROW(row)->ns)

#define GET_RATE(name, member, attr) \
static void get_##name(const void *row, struct nq_val *v) \
{ \
	if (ROW(row)->r) \
		nq_val_d(v, ROW(row)->r->member[attr]); \
}

NQ_GET_U(netns, NS(row)->inode)
NQ_GET_U(netns_cookie, NS(row)->cookie)
NQ_GET_U(tw_count, NS(row)->tw_count)
NQ_GET_U(tw_peak, NS(row)->tw_peak)
NQ_GET_U(tw_created, NS(row)->tw_created)
NQ_GET_U(tw_overflows, NS(row)->tw_overflows)
NQ_GET_U(connect_port_exhausted, NS(row)->connect_port_exhausted)
NQ_GET_U(connect_syn_retransmits, NS(row)->connect_syn_retransmits)
NQ_GET_U(connect_failed_retried, NS(row)->connect_failed_retried)
NQ_GET_U(connect_failed_retried_ms, NS(row)->connect_failed_retried_ms)
NQ_GET_U(connect_failed_unretried, NS(row)->connect_failed_unretried)
NQ_GET_U(connect_closed, NS(row)->connect_closed)
NQ_GET_U(tcp_max_tw_buckets, NS(row)->max_tw_buckets)
NQ_GET_U(port_range_low, NS(row)->port_range_low)
NQ_GET_U(port_range_high, NS(row)->port_range_high)

/* Text: "N (meaning)" when the value has a name. */
static void named(struct nq_val *v, const char *name)
{
	if (v->known && name) {
		snprintf(v->buf, sizeof(v->buf), "%" PRIu64 " (%s)", v->u,
			 name);
		v->text = v->buf;
	}
}

/* Text: "2 (loopback only)", and whether it can work at all. */
static void get_tcp_tw_reuse(const void *row, struct nq_val *v)
{
	const struct nq_netns *ns = NS(row);
	size_t off;

	nq_val_u(v, ns->tw_reuse);
	if (!v->known)
		return;
	named(v, format_tw_reuse((uint8_t)ns->tw_reuse));
	if (!v->text) {
		snprintf(v->buf, sizeof(v->buf), "%" PRIu64, v->u);
		v->text = v->buf;
	}
	/* Reuse needs the timestamps of both ends. */
	off = strlen(v->buf);
	if (ns->tw_reuse && nq_known(ns->timestamps) && !ns->timestamps)
		snprintf(v->buf + off, sizeof(v->buf) - off,
			 ", no effect: tcp_timestamps is 0");
}

static void get_tcp_timestamps(const void *row, struct nq_val *v)
{
	nq_val_u(v, NS(row)->timestamps);
	named(v, format_timestamps((uint8_t)NS(row)->timestamps));
}

/* Text: a reminder that it does not shorten TIME_WAIT. */
static void get_tcp_fin_timeout(const void *row, struct nq_val *v)
{
	nq_val_u(v, NS(row)->fin_timeout_s);
	if (v->known) {
		snprintf(v->buf, sizeof(v->buf),
			 "%" PRIu64 " s (FIN-WAIT-2 only)", v->u);
		v->text = v->buf;
	}
}

/* Text: a percentage, and the mark of a destination near exhaustion. */
static void ratio_marked(struct nq_val *v, const char *mark)
{
	snprintf(v->buf, sizeof(v->buf), "%.1f%%%s%s", v->d * 100,
		 *mark ? " " : "", mark);
	v->text = v->buf;
}
GET_RATE(tw_created_rate, v, NQSTAT_A_NETNS_TW_CREATED)
GET_RATE(tw_overflows_rate, v, NQSTAT_A_NETNS_TW_OVERFLOWS)
GET_RATE(port_exhausted_rate, v, NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED)
GET_RATE(syn_retransmits_rate, v, NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS)
GET_RATE(failed_retried_rate, v, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED)
GET_RATE(failed_unretried_rate, v, NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED)

/*
 * The mean wait of the connect() attempts that failed after SYN
 * retransmissions: over the interval with rates (when some failed in it),
 * else since nqstat started counting.
 */
static void get_connect_failed_wait(const void *row, struct nq_val *v)
{
	const struct nq_netns_rates *r = ROW(row)->r;
	double n, ms;

	if (r) {
		n = r->v[NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED];
		ms = r->v[NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS];
		if (!isnan(n) && !isnan(ms) && n > 0) {
			nq_val_d(v, ms / 1000.0 / n);
			return;
		}
	}
	v->known = nq_connect_failed_mean_s(NULL, NS(row), &v->d);
}

static void get_tw_limit_use(const void *row, struct nq_val *v)
{
	v->known = nq_tw_limit_use(NS(row), &v->d);
}

static void get_port_range_size(const void *row, struct nq_val *v)
{
	uint32_t size;

	v->known = nq_port_range_size(NS(row), &size);
	v->u = size;
}

/* The largest share of the range one destination's TIME_WAIT takes. */
static void get_port_range_max_use(const void *row, struct nq_val *v)
{
	const struct nq_netns *ns = NS(row);
	double use, max = -1;
	size_t i;

	for (i = 0; i < ns->n_dests; i++)
		if (nq_port_range_use(ns, &ns->dests[i], &use) && use > max)
			max = use;
	if (max >= 0) {
		nq_val_d(v, max);
		ratio_marked(v, format_port_range_mark(max));
	}
}

#define S "netns."
#define R TABLE_RIGHT
#define RATE NQ_FF_RATE

const struct nq_field nq_netns_fields[] = {
	{ "netns", "Netns", NULL, NULL, "", "Inode of the network namespace.",
	  S "inode", NQ_FT_U64, R, NQ_FF_DEFAULT | NQ_FF_ID, get_netns },
	{ "netns_cookie", "Netns-Cookie", NULL, NULL, "",
	  "Cookie of the network namespace.", S "cookie", NQ_FT_U64, R,
	  NQ_FF_ID, get_netns_cookie },
	{ "tw_count", "TIME_WAIT sockets", "timewait_sockets", "gauge", "",
	  "TIME_WAIT sockets now.", S "tw_count", NQ_FT_U64, R, NQ_FF_DEFAULT,
	  get_tw_count },
	{ "tw_peak", "TIME_WAIT peak", "timewait_peak", "gauge", "",
	  "Highest TIME_WAIT count seen.", S "tw_peak", NQ_FT_U64, R,
	  NQ_FF_DEFAULT, get_tw_peak },
	{ "tcp_max_tw_buckets", "tcp_max_tw_buckets", "timewait_limit",
	  "gauge", "", "net.ipv4.tcp_max_tw_buckets.",
	  S "tcp_max_tw_buckets", NQ_FT_U64, R, NQ_FF_DEFAULT,
	  get_tcp_max_tw_buckets },
	{ "tw_limit_use", "TIME_WAIT / limit", "timewait_limit_use_ratio",
	  "gauge", "ratio", "TIME_WAIT sockets / tcp_max_tw_buckets.", NULL,
	  NQ_FT_RATIO, R, NQ_FF_DEFAULT, get_tw_limit_use },
	{ "tw_created", "TIME_WAIT created", "timewait_created_total",
	  "counter", "",
	  "TIME_WAIT sockets created.", S "tw_created", NQ_FT_U64, R, 0,
	  get_tw_created },
	{ "tw_created_per_second", "TIME_WAIT created/s", NULL, NULL, "1/s",
	  "TIME_WAIT sockets created per second.", NULL, NQ_FT_RATE, R,
	  NQ_FF_DEFAULT | RATE, get_tw_created_rate },
	{ "tw_overflows", "TIME_WAIT overflows", "timewait_overflows_total",
	  "counter", "",
	  "Sockets that could not enter TIME_WAIT (TCPTimeWaitOverflow).",
	  S "tw_overflows", NQ_FT_U64, R, 0, get_tw_overflows },
	{ "tw_overflows_per_second", "TIME_WAIT overflows/s", NULL, NULL,
	  "1/s",
	  "Sockets per second that could not enter TIME_WAIT (tcp_max_tw_buckets reached).",
	  NULL, NQ_FT_RATE, R, NQ_FF_DEFAULT | RATE, get_tw_overflows_rate },
	{ "port_range_low", "Port range low", NULL, NULL, "",
	  "net.ipv4.ip_local_port_range, first port.",
	  S "port_range_low", NQ_FT_U64, R, 0, get_port_range_low },
	{ "port_range_high", "Port range high", NULL, NULL, "",
	  "net.ipv4.ip_local_port_range, last port.",
	  S "port_range_high", NQ_FT_U64, R, 0, get_port_range_high },
	{ "port_range_size", "Local ports", "local_port_range_size", "gauge",
	  "", "Ports of net.ipv4.ip_local_port_range.", NULL, NQ_FT_U64, R,
	  NQ_FF_DEFAULT, get_port_range_size },
	{ "port_range_max_use", "Busiest destination",
	  "local_port_range_max_use_ratio", "gauge", "ratio",
	  "Largest share of the local port range one remote endpoint's TIME_WAIT sockets take.",
	  NULL, NQ_FT_RATIO, R, NQ_FF_DEFAULT, get_port_range_max_use },
	{ "connect_port_exhausted", "connect() EADDRNOTAVAIL",
	  "connect_port_exhausted_total", "counter", "",
	  "connect() calls that failed for lack of a local port.",
	  S "connect_port_exhausted", NQ_FT_U64, R, 0,
	  get_connect_port_exhausted },
	{ "connect_port_exhausted_per_second", "connect() EADDRNOTAVAIL/s",
	  NULL, NULL, "1/s",
	  "connect() calls per second that failed for lack of a local port.",
	  NULL, NQ_FT_RATE, R, NQ_FF_DEFAULT | RATE, get_port_exhausted_rate },
	{ "connect_syn_retransmits", "SYN retransmits",
	  "connect_syn_retransmits_total", "counter", "",
	  "SYNs connect() retransmitted (sockets in SYN_SENT).",
	  S "connect_syn_retransmits", NQ_FT_U64, R, 0,
	  get_connect_syn_retransmits },
	{ "connect_syn_retransmits_per_second", "SYN retransmits/s",
	  NULL, NULL, "1/s",
	  "SYNs per second connect() retransmitted.",
	  NULL, NQ_FT_RATE, R, NQ_FF_DEFAULT | RATE,
	  get_syn_retransmits_rate },
	{ "connect_failed_retried", "connect() failed after SYN retries",
	  "connect_failed_retried_total", "counter", "",
	  "connect() attempts that failed with an error after their SYN was retransmitted (timed out).",
	  S "connect_failed_retried", NQ_FT_U64, R, 0,
	  get_connect_failed_retried },
	{ "connect_failed_retried_per_second",
	  "connect() failed after SYN retries/s",
	  NULL, NULL, "1/s",
	  "connect() attempts per second that failed after SYN retransmissions.",
	  NULL, NQ_FT_RATE, R, NQ_FF_DEFAULT | RATE,
	  get_failed_retried_rate },
	{ "connect_failed_retried_ms", "connect() failed after SYN retries, ms",
	  NULL, NULL, "ms",
	  "Total time those attempts took, from their first SYN, in milliseconds.",
	  S "connect_failed_retried_ms", NQ_FT_U64, R, 0,
	  get_connect_failed_retried_ms },
	{ "connect_failed_wait_seconds", "connect() wait before failing",
	  NULL, NULL, "s",
	  "Mean time a connect() that failed after SYN retransmissions waited, from its first SYN.",
	  NULL, NQ_FT_RATE, R, NQ_FF_DEFAULT,
	  get_connect_failed_wait },
	{ "connect_failed_unretried", "connect() failed at once",
	  "connect_failed_unretried_total", "counter", "",
	  "connect() attempts that failed with an error before any SYN retransmission (refused, unreachable).",
	  S "connect_failed_unretried", NQ_FT_U64, R, 0,
	  get_connect_failed_unretried },
	{ "connect_failed_unretried_per_second", "connect() failed at once/s",
	  NULL, NULL, "1/s",
	  "connect() attempts per second that failed before any SYN retransmission.",
	  NULL, NQ_FT_RATE, R, NQ_FF_DEFAULT | RATE,
	  get_failed_unretried_rate },
	{ "connect_closed", "connect() closed", "connect_closed_total",
	  "counter", "",
	  "Sockets closed or disconnected by the application while connecting, without an error.",
	  S "connect_closed", NQ_FT_U64, R, 0, get_connect_closed },
	{ "tcp_tw_reuse", "tcp_tw_reuse", NULL, NULL, "",
	  "net.ipv4.tcp_tw_reuse.", S "tcp_tw_reuse", NQ_FT_U64, R, 0,
	  get_tcp_tw_reuse },
	{ "tcp_timestamps", "tcp_timestamps", NULL, NULL, "",
	  "net.ipv4.tcp_timestamps.", S "tcp_timestamps", NQ_FT_U64, R,
	  0, get_tcp_timestamps },
	{ "tcp_fin_timeout", "tcp_fin_timeout", NULL, NULL, "s",
	  "net.ipv4.tcp_fin_timeout.", S "tcp_fin_timeout", NQ_FT_U64,
	  R, 0, get_tcp_fin_timeout },
};

const size_t nq_n_netns_fields = sizeof(nq_netns_fields) /
				 sizeof(nq_netns_fields[0]);

/* Conntrack: values only while nf_conntrack is loaded. */
static const struct nq_ct *ct(const void *row)
{
	return nq_ct_loaded(&NS(row)->ct) ? &NS(row)->ct : NULL;
}

static void get_ct_state(const void *row, struct nq_val *v)
{
	uint64_t s = NS(row)->ct.state;

	if (nq_known(s))
		v->s = s == NQSTAT_CT_LOADED ? "loaded" : "not_loaded";
	v->known = v->s;
}

#define GET_CT(name, member) \
static void get_ct_##name(const void *row, struct nq_val *v) \
{ \
	if (ct(row)) \
		nq_val_u(v, ct(row)->member); \
} \
GET_RATE(ct_##name##_rate, ct, NQSTAT_A_CT_##member##_ATTR)

#define NQSTAT_A_CT_table_full_drops_ATTR NQSTAT_A_CT_TABLE_FULL_DROPS
#define NQSTAT_A_CT_early_drops_ATTR NQSTAT_A_CT_EARLY_DROPS
#define NQSTAT_A_CT_insert_failed_ATTR NQSTAT_A_CT_INSERT_FAILED
#define NQSTAT_A_CT_drops_ATTR NQSTAT_A_CT_DROPS

GET_CT(table_full_drops, table_full_drops)
GET_CT(early_drops, early_drops)
GET_CT(insert_failed, insert_failed)
GET_CT(drops, drops)

/* Text: with its share of the limit, marked near and at it. */
static void get_ct_count(const void *row, struct nq_val *v)
{
	const struct nq_ct *c = ct(row);
	double use;

	if (c)
		nq_val_u(v, c->count);
	if (v->known && nq_ct_use(c, v->u, &use)) {
		snprintf(v->buf, sizeof(v->buf),
			 "%" PRIu64 " (%.1f%% of ct_max)%s", v->u, use * 100,
			 use >= 1.0 ? " !! full" :
			 use >= NQ_CT_USE_WARN ? " ! nearly full" : "");
		v->text = v->buf;
	}
}

static void get_ct_peak(const void *row, struct nq_val *v)
{
	if (ct(row))
		nq_val_u(v, ct(row)->peak);
}

/* Text: 0 is no limit (before Linux 7.3). */
static void get_ct_max(const void *row, struct nq_val *v)
{
	if (ct(row))
		nq_val_u(v, ct(row)->max);
	if (v->known && !v->u)
		v->text = "0 (no limit)";
}

static void get_ct_buckets(const void *row, struct nq_val *v)
{
	if (ct(row))
		nq_val_u(v, ct(row)->buckets);
}

/* The peak against nf_conntrack_max. */
static void get_ct_use(const void *row, struct nq_val *v)
{
	const struct nq_ct *c = ct(row);

	if (c && nq_known(c->peak))
		v->known = nq_ct_use(c, (uint32_t)c->peak, &v->d);
	if (v->known && isfinite(v->d))
		ratio_marked(v, v->d >= 1.0 ? "!! full" :
			     v->d >= NQ_CT_USE_WARN ? "! nearly full" : "");
}

#define C "ct."
#define CT_CTR(name, title, prom, help) \
	{ "ct_" #name, title, prom, "counter", "", help, C #name, NQ_FT_U64, \
	  R, NQ_FF_DEFAULT, get_ct_##name }, \
	{ "ct_" #name "_per_second", title "/s", NULL, NULL, "1/s", \
	  help " Per second.", NULL, NQ_FT_RATE, R, NQ_FF_DEFAULT | RATE, \
	  get_ct_##name##_rate }

/* ct_state first: ct prints it alone when nf_conntrack is not loaded. */
const struct nq_field nq_ct_fields[] = {
	{ "ct_state", "Conntrack", NULL, NULL, "",
	  "loaded or not_loaded: whether nf_conntrack is.", C "state",
	  NQ_FT_STR, TABLE_LEFT, NQ_FF_DEFAULT, get_ct_state },
	{ "ct_count", "Conntrack entries", "conntrack_entries", "gauge", "",
	  "nf_conntrack entries now.", C "count", NQ_FT_U64, R, NQ_FF_DEFAULT,
	  get_ct_count },
	{ "ct_peak", "Conntrack peak", "conntrack_peak", "gauge", "",
	  "Highest nf_conntrack entry count seen.", C "peak", NQ_FT_U64, R,
	  NQ_FF_DEFAULT, get_ct_peak },
	{ "ct_max", "nf_conntrack_max", "conntrack_limit", "gauge", "",
	  "net.netfilter.nf_conntrack_max.", C "limit", NQ_FT_U64, R,
	  NQ_FF_DEFAULT, get_ct_max },
	{ "ct_use", "Conntrack peak / limit", NULL, NULL, "ratio", "Conntrack peak / nf_conntrack_max.", NULL, NQ_FT_RATIO, R,
	  NQ_FF_DEFAULT, get_ct_use },
	{ "ct_buckets", "nf_conntrack_buckets", NULL, NULL, "",
	  "net.netfilter.nf_conntrack_buckets.", C "buckets", NQ_FT_U64, R, 0,
	  get_ct_buckets },
	CT_CTR(table_full_drops, "Conntrack table-full drops",
	       "conntrack_table_full_drops_total",
	       "Packets dropped because the conntrack table was full."),
	CT_CTR(early_drops, "Conntrack early drops", "conntrack_early_drops_total",
	       "Entries the kernel evicted to make room."),
	CT_CTR(insert_failed, "Conntrack insert failed",
	       "conntrack_insert_failed_total",
	       "The kernel's statistic insert_failed."),
	CT_CTR(drops, "Conntrack drops", "conntrack_drops_total",
	       "The kernel's statistic drop."),
};

const size_t nq_n_ct_fields = sizeof(nq_ct_fields) / sizeof(nq_ct_fields[0]);

/* The destinations of tw (row: struct nq_drow). */
#define D_(row) (((const struct nq_drow *)(row))->d)

static void get_d_family(const void *row, struct nq_val *v)
{
	if (nq_known(D_(row)->family))
		v->s = format_family((uint8_t)D_(row)->family);
	v->known = v->s;
}

static void get_d_addr(const void *row, struct nq_val *v)
{
	const struct nq_tw_dest *d = D_(row);

	v->known = d->addr_len &&
		   !format_addr(v->buf, sizeof(v->buf), d->family, d->addr);
	v->s = v->buf;
}

static void get_d_endpoint(const void *row, struct nq_val *v)
{
	const struct nq_tw_dest *d = D_(row);

	v->known = d->addr_len &&
		   format_endpoint(v->buf, sizeof(v->buf), d->family, d->addr,
				   d->port, NULL) >= 0;
	v->s = v->buf;
}

NQ_GET_U(d_port, D_(row)->port)
NQ_GET_U(d_tw_count, D_(row)->tw_count)

static void get_d_port_range_use(const void *row, struct nq_val *v)
{
	const struct nq_drow *r = row;

	v->known = nq_port_range_use(r->ns, r->d, &v->d);
	v->decimals = 4;
}

/* "! near exhaustion", "!! exhausted" or empty. */
static void get_d_mark(const void *row, struct nq_val *v)
{
	const struct nq_drow *r = row;
	double use;

	v->s = nq_port_range_use(r->ns, r->d, &use) ?
	       format_port_range_mark(use) : "";
	v->known = true;
}

#define T "dest."
#define DT (NQ_FF_DEFAULT | NQ_FF_TEXT)

const struct nq_field nq_dest_fields[] = {
	{ "family", NULL, NULL, NULL, "", "inet or inet6.", T "family",
	  NQ_FT_STR, TABLE_LEFT, 0, get_d_family },
	{ "addr", NULL, NULL, NULL, "", "The remote address.", T "addr",
	  NQ_FT_STR, TABLE_LEFT, 0, get_d_addr },
	{ "port", NULL, NULL, NULL, "", "The remote port.", T "port",
	  NQ_FT_U64, R, 0, get_d_port },
	{ "endpoint", "Remote Address:Port", NULL, NULL, "",
	  "addr:port, as ss prints it.", NULL, NQ_FT_STR, TABLE_LEFT, DT,
	  get_d_endpoint },
	{ "tw_count", "TIME-WAIT", "timewait_destination_sockets", "gauge", "",
	  "TIME_WAIT sockets to the remote endpoint now (the busiest ones).", T "tw_count", NQ_FT_U64,
	  R, NQ_FF_DEFAULT, get_d_tw_count },
	{ "port_range_use", "Port-Range-Use",
	  "local_port_range_destination_use_ratio", "gauge", "ratio",
	  "tw_count / port_range_size (4 decimals).", NULL, NQ_FT_RATIO, R,
	  NQ_FF_DEFAULT, get_d_port_range_use },
	{ "mark", "", NULL, NULL, "",
	  "! near exhaustion from 80%, !! exhausted from 100%.", NULL,
	  NQ_FT_STR, TABLE_LEFT, DT, get_d_mark },
};

const size_t nq_n_dest_fields = sizeof(nq_dest_fields) /
				sizeof(nq_dest_fields[0]);
