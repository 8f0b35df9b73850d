// SPDX-License-Identifier: GPL-2.0
/*
 * "report": capacity planning figures of a namespace, from one metric
 * table per kind of row (listener, namespace) shared by the three outputs.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/counters.h"
#include "out/format.h"
#include "out/json.h"
#include "out/report.h"
#include "out/table.h"
#include "out/netns.h"

bool nq_queue_use(uint32_t peak, uint32_t limit, double *use)
{
	double u;

	if (!limit)
		return false;
	u = (double)peak / ((double)limit + 1);
	*use = u > 1 ? 1 : u;
	return true;
}

struct lrow {
	const struct nq_listener *l;
	unsigned int dup;		/* among listeners of one addr:port */
	struct nq_rates r;		/* present 0 without a window */
	char addr[INET6_ADDRSTRLEN];
	char ep[FORMAT_ENDPOINT_LEN];
};

struct nsrow {
	const struct nq_netns *ns;
	const struct nq_netns *prev;	/* NULL without a window */
	uint64_t elapsed_ns;
	struct nq_netns_rates r;	/* present 0 without a window */
};

struct metric {
	const char *name;		/* JSON key; Prometheus: nqstat_ + it */
	const char *type;		/* Prometheus: "gauge" or "counter" */
	const char *title;		/* text */
	const char *help;
	int decimals;			/* text and JSON */
	bool (*get)(const void *row, double *v);
};

/* Peaks since the last reset when there was one, else since first seen. */
static uint32_t acceptq_peak(const struct nq_listener *l)
{
	return nq_known(l->acceptq_peak_reset) ?
	       l->acceptq_peak_reset : l->acceptq_peak;
}

static uint32_t synq_peak(const struct nq_listener *l)
{
	return nq_known(l->synq_peak_reset) ?
	       l->synq_peak_reset : l->synq_peak;
}

static bool has_peak(uint64_t a, uint64_t b)
{
	return nq_known(a) || nq_known(b);
}

static bool l_backlog(const void *row, double *v)
{
	const struct nq_listener *l = ((const struct lrow *)row)->l;

	*v = l->backlog;
	return nq_known(l->backlog);
}

static bool l_acceptq_peak(const void *row, double *v)
{
	const struct nq_listener *l = ((const struct lrow *)row)->l;

	*v = acceptq_peak(l);
	return has_peak(l->acceptq_peak, l->acceptq_peak_reset);
}

static bool l_synq_peak(const void *row, double *v)
{
	const struct nq_listener *l = ((const struct lrow *)row)->l;

	*v = synq_peak(l);
	return has_peak(l->synq_peak, l->synq_peak_reset);
}

static bool l_headroom(const struct nq_listener *l, uint32_t peak,
		       bool has, double *v)
{
	double use;

	if (!has || !nq_known(l->backlog) ||
	    !nq_queue_use(peak, l->backlog, &use))
		return false;
	*v = 1 - use;
	return true;
}

static bool l_acceptq_headroom(const void *row, double *v)
{
	const struct nq_listener *l = ((const struct lrow *)row)->l;

	return l_headroom(l, acceptq_peak(l),
			  has_peak(l->acceptq_peak, l->acceptq_peak_reset), v);
}

static bool l_synq_headroom(const void *row, double *v)
{
	const struct nq_listener *l = ((const struct lrow *)row)->l;

	return l_headroom(l, synq_peak(l),
			  has_peak(l->synq_peak, l->synq_peak_reset), v);
}

static bool l_counter(const void *row, unsigned int c, double *v)
{
	const struct nq_listener *l = ((const struct lrow *)row)->l;

	*v = (double)l->counters[c];
	return nq_known(l->counters[c]);
}

static bool l_rate(const void *row, unsigned int c, double *v)
{
	const struct nq_rates *r = &((const struct lrow *)row)->r;

	*v = r->v[c];
	return !isnan(r->v[c]);
}

static bool l_drops(const void *row, double *v)
{
	uint64_t t;

	if (!nq_drops_total(((const struct lrow *)row)->l, &t))
		return false;
	*v = (double)t;
	return true;
}

static bool l_drops_rate(const void *row, double *v)
{
	const struct nq_rates *r = &((const struct lrow *)row)->r;

	*v = r->drops_total;
	return !isnan(r->drops_total);
}

static bool l_handshakes(const void *row, double *v)
{
	return l_counter(row, NQSTAT_CTR_HANDSHAKES_COMPLETED, v);
}

static bool l_handshakes_rate(const void *row, double *v)
{
	return l_rate(row, NQSTAT_CTR_HANDSHAKES_COMPLETED, v);
}

static bool l_accepted_rate(const void *row, double *v)
{
	return l_rate(row, NQSTAT_CTR_ACCEPTED, v);
}

static const struct metric listener_metrics[] = {
	{ "listener_backlog", "gauge", "Backlog",
	  "Accept-queue limit, min(listen() backlog, somaxconn); it also bounds the SYN queue.",
	  0, l_backlog },
	{ "listener_accept_queue_peak", "gauge", "Peak-A",
	  "Longest accept queue seen since the last reset (or first seen).",
	  0, l_acceptq_peak },
	{ "listener_syn_queue_peak", "gauge", "Peak-S",
	  "Longest SYN queue seen since the last reset (or first seen).",
	  0, l_synq_peak },
	{ "listener_accept_queue_headroom_ratio", "gauge", "Headroom-A",
	  "1 - accept queue peak / (backlog + 1): 0 means the queue was full.",
	  3, l_acceptq_headroom },
	{ "listener_syn_queue_headroom_ratio", "gauge", "Headroom-S",
	  "1 - SYN queue peak / (backlog + 1): 0 means the queue was full.",
	  3, l_synq_headroom },
	{ "listener_drops_total", "counter", "Drops",
	  "Connections the listener's queues dropped, since first seen or reset.",
	  0, l_drops },
	{ "listener_drops_per_second", "gauge", "Drops/s",
	  "Drop rate over the report's window.",
	  1, l_drops_rate },
	{ "listener_handshakes_total", "counter", "Handshakes",
	  "Handshakes completed, since first seen or reset.",
	  0, l_handshakes },
	{ "listener_handshakes_per_second", "gauge", "Handshakes/s",
	  "Handshakes completed per second over the report's window.",
	  1, l_handshakes_rate },
	{ "listener_accepted_per_second", "gauge", "Accepted/s",
	  "Connections accept()ed per second over the report's window.",
	  1, l_accepted_rate },
};

#define N_LISTENER_METRICS (sizeof(listener_metrics) / sizeof(listener_metrics[0]))

static bool n_sysctl(uint64_t v)
{
	return nq_known(v);
}

static bool n_tw(const void *row, double *v)
{
	const struct nq_netns *ns = ((const struct nsrow *)row)->ns;

	*v = ns->tw_count;
	return nq_known(ns->tw_count);
}

static bool n_tw_peak(const void *row, double *v)
{
	const struct nq_netns *ns = ((const struct nsrow *)row)->ns;

	*v = ns->tw_peak;
	return nq_known(ns->tw_peak);
}

static bool n_tw_limit(const void *row, double *v)
{
	const struct nq_netns *ns = ((const struct nsrow *)row)->ns;

	*v = ns->max_tw_buckets;
	return n_sysctl(ns->max_tw_buckets);
}

static bool n_tw_use(const void *row, double *v)
{
	return nq_tw_limit_use(((const struct nsrow *)row)->ns, v);
}

static bool n_rate(const void *row, unsigned int a, double *v)
{
	const struct nq_netns_rates *r = &((const struct nsrow *)row)->r;

	*v = r->v[a];
	return !isnan(r->v[a]);
}

static bool n_tw_created_rate(const void *row, double *v)
{
	return n_rate(row, NQSTAT_A_NETNS_TW_CREATED, v);
}

static bool n_tw_overflows_rate(const void *row, double *v)
{
	return n_rate(row, NQSTAT_A_NETNS_TW_OVERFLOWS, v);
}

static bool n_port_exhausted_rate(const void *row, double *v)
{
	return n_rate(row, NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED, v);
}

static bool n_port_range(const void *row, double *v)
{
	uint32_t size;

	if (!nq_port_range_size(((const struct nsrow *)row)->ns, &size))
		return false;
	*v = size;
	return true;
}

static bool n_port_use(const void *row, double *v)
{
	const struct nq_netns *ns = ((const struct nsrow *)row)->ns;
	double use, max = -1;
	size_t i;

	for (i = 0; i < ns->n_dests; i++)
		if (nq_port_range_use(ns, &ns->dests[i], &use) && use > max)
			max = use;
	if (max < 0)
		return false;
	*v = max;
	return true;
}

static const struct nq_ct *ct_loaded(const void *row)
{
	const struct nq_netns *ns = ((const struct nsrow *)row)->ns;

	if (!nq_known(ns->ct.state) ||
	    ns->ct.state != NQSTAT_CT_LOADED)
		return NULL;
	return &ns->ct;
}

static bool n_ct_count(const void *row, double *v)
{
	const struct nq_ct *ct = ct_loaded(row);

	if (!ct || !nq_known(ct->count))
		return false;
	*v = ct->count;
	return true;
}

static bool n_ct_peak(const void *row, double *v)
{
	const struct nq_ct *ct = ct_loaded(row);

	if (!ct || !nq_known(ct->peak))
		return false;
	*v = ct->peak;
	return true;
}

static bool n_ct_limit(const void *row, double *v)
{
	const struct nq_ct *ct = ct_loaded(row);

	if (!ct || !nq_known(ct->max))
		return false;
	*v = ct->max;
	return true;
}

static bool n_ct_use(const void *row, double *v)
{
	const struct nq_ct *ct = ct_loaded(row);

	if (!ct || !nq_known(ct->max) || !ct->max ||
	    !nq_known(ct->peak))
		return false;
	*v = (double)ct->peak / ct->max;
	return true;
}

static bool n_ct_full_rate(const void *row, double *v)
{
	const struct nsrow *n = row;
	const struct nq_ct *ct = ct_loaded(row);
	uint64_t d;

	if (!ct || !n->prev || !n->elapsed_ns ||
	    !nq_known(n->prev->ct.state) ||
	    !nq_ct_delta(&n->prev->ct, ct, NQSTAT_A_CT_TABLE_FULL_DROPS, &d))
		return false;
	*v = (double)d * 1e9 / (double)n->elapsed_ns;
	return true;
}

static const struct metric netns_metrics[] = {
	{ "timewait_sockets", "gauge", "TIME_WAIT sockets",
	  "TIME_WAIT sockets now.", 0, n_tw },
	{ "timewait_peak", "gauge", "TIME_WAIT peak",
	  "Highest TIME_WAIT count seen.", 0, n_tw_peak },
	{ "timewait_limit", "gauge", "tcp_max_tw_buckets",
	  "net.ipv4.tcp_max_tw_buckets.", 0, n_tw_limit },
	{ "timewait_limit_use_ratio", "gauge", "TIME_WAIT / limit",
	  "TIME_WAIT sockets now / tcp_max_tw_buckets.", 3, n_tw_use },
	{ "timewait_created_per_second", "gauge", "TIME_WAIT created/s",
	  "TIME_WAIT sockets created per second over the report's window.",
	  1, n_tw_created_rate },
	{ "timewait_overflows_per_second", "gauge", "TIME_WAIT overflows/s",
	  "Sockets that skipped TIME_WAIT at the limit, per second.",
	  1, n_tw_overflows_rate },
	{ "local_port_range_size", "gauge", "Local ports",
	  "Ports of net.ipv4.ip_local_port_range.", 0, n_port_range },
	{ "local_port_range_max_use_ratio", "gauge", "Busiest destination",
	  "TIME_WAIT sockets to the busiest destination / port range size.",
	  3, n_port_use },
	{ "connect_port_exhausted_per_second", "gauge", "connect() EADDRNOTAVAIL/s",
	  "connect() calls that found no local port, per second.",
	  1, n_port_exhausted_rate },
	{ "conntrack_entries", "gauge", "Conntrack entries",
	  "nf_conntrack entries now.", 0, n_ct_count },
	{ "conntrack_peak", "gauge", "Conntrack peak",
	  "Highest nf_conntrack entry count seen.", 0, n_ct_peak },
	{ "conntrack_limit", "gauge", "nf_conntrack_max",
	  "net.netfilter.nf_conntrack_max.", 0, n_ct_limit },
	{ "conntrack_use_ratio", "gauge", "Conntrack peak / limit",
	  "Conntrack peak / nf_conntrack_max.", 3, n_ct_use },
	{ "conntrack_table_full_drops_per_second", "gauge",
	  "Conntrack table-full drops/s",
	  "Packets dropped because the conntrack table was full, per second.",
	  1, n_ct_full_rate },
};

#define N_NETNS_METRICS (sizeof(netns_metrics) / sizeof(netns_metrics[0]))

/* The rows of a report: the listeners and the namespace, with rates. */
struct rows {
	struct lrow *l;
	size_t n;
	bool has_ns;
	struct nsrow ns;
	uint64_t elapsed_ns;		/* 0 without a window */
	uint32_t netns;			/* inode, 0 unknown */
};

static bool same_endpoint(const struct nq_listener *a,
			  const struct nq_listener *b)
{
	return a->family == b->family && a->port == b->port &&
	       a->netns_inode == b->netns_inode &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

static int rows_build(struct rows *rw, const struct nq_snapshot *cur,
		      const struct nq_snapshot *prev)
{
	struct nq_index idx = { 0 };
	size_t i;

	memset(rw, 0, sizeof(*rw));
	if (prev && cur->time_ns > prev->time_ns)
		rw->elapsed_ns = cur->time_ns - prev->time_ns;
	else
		prev = NULL;
	if (prev && nq_index_build(&idx, &prev->ls) < 0)
		return -ENOMEM;
	rw->l = calloc(cur->ls.n ? cur->ls.n : 1, sizeof(*rw->l));
	if (!rw->l) {
		nq_index_free(&idx);
		return -ENOMEM;
	}
	rw->n = cur->ls.n;
	for (i = 0; i < cur->ls.n; i++) {
		const struct nq_listener *l = &cur->ls.v[i], *p = NULL;
		struct lrow *r = &rw->l[i];

		r->l = l;
		nq_rates_init(&r->r);
		/* SO_REUSEPORT groups: sorted, so next to each other. */
		if (i && same_endpoint(l, rw->l[i - 1].l))
			r->dup = rw->l[i - 1].dup + 1;
		if (format_addr(r->addr, sizeof(r->addr), l->family,
				l->addr) < 0)
			snprintf(r->addr, sizeof(r->addr), "?");
		if (format_endpoint(r->ep, sizeof(r->ep), l->family, l->addr,
				    l->port, NULL) < 0)
			snprintf(r->ep, sizeof(r->ep), "?:%" PRIu64 "", l->port);
		if (prev && nq_known(l->cookie))
			p = nq_index_find(&idx, l->cookie);
		if (p)
			nq_rates_compute(p, l, rw->elapsed_ns, &r->r);
	}
	nq_index_free(&idx);
	nq_netns_rates_init(&rw->ns.r);
	if (cur->has_netns) {
		rw->has_ns = true;
		rw->ns.ns = &cur->ns;
		if (nq_known(cur->ns.inode))
			rw->netns = cur->ns.inode;
		if (prev && prev->has_netns) {
			rw->ns.prev = &prev->ns;
			rw->ns.elapsed_ns = rw->elapsed_ns;
			nq_netns_rates_compute(&prev->ns, &cur->ns,
					       rw->elapsed_ns, &rw->ns.r);
		}
	}
	return 0;
}

static void rows_free(struct rows *rw)
{
	free(rw->l);
}

static const char *cell(char *buf, size_t len, const struct metric *m,
			const void *row)
{
	size_t n = strlen(m->name);
	double v = 0;
	bool has = m->get(row, &v);

	/* A ratio reads as a percentage in a table: 0.750 is 75.0%. */
	if (has && n > 6 && !strcmp(m->name + n - 6, "_ratio")) {
		snprintf(buf, len, "%.1f%%", v * 100);
		return buf;
	}
	return format_rate_decimals(buf, len, has, v, m->decimals);
}

int report_print_text(FILE *out, const struct nq_snapshot *cur,
		      const struct nq_snapshot *prev)
{
	struct table_col cols[N_LISTENER_METRICS + 1];
	char buf[FORMAT_NUM_LEN];
	struct table *t;
	struct rows rw;
	size_t i, k;
	int ret;

	ret = rows_build(&rw, cur, prev);
	if (ret < 0)
		return ret;
	fprintf(out, "Namespace %" PRIu32, rw.netns);
	if (rw.elapsed_ns)
		fprintf(out, ", window %.1f s", (double)rw.elapsed_ns / 1e9);
	fprintf(out, ":\n");
	cols[0].title = "Local Address:Port";
	cols[0].align = TABLE_LEFT;
	for (k = 0; k < N_LISTENER_METRICS; k++) {
		cols[k + 1].title = listener_metrics[k].title;
		cols[k + 1].align = TABLE_RIGHT;
	}
	t = table_new(cols, N_LISTENER_METRICS + 1);
	ret = t ? 0 : -ENOMEM;
	for (i = 0; !ret && i < rw.n; i++) {
		ret = table_add(t, rw.l[i].ep);
		for (k = 0; !ret && k < N_LISTENER_METRICS; k++)
			ret = table_add(t, cell(buf, sizeof(buf),
						&listener_metrics[k],
						&rw.l[i]));
	}
	if (!ret && rw.n)
		ret = table_print(t, out, "  ", true);
	table_free(t);
	if (!ret && rw.has_ns) {
		static const struct table_col ncols[] = {
			{ "Figure", TABLE_LEFT }, { "Value", TABLE_RIGHT },
		};

		t = table_new(ncols, 2);
		ret = t ? 0 : -ENOMEM;
		for (k = 0; !ret && k < N_NETNS_METRICS; k++) {
			ret = table_add(t, netns_metrics[k].title);
			if (!ret)
				ret = table_add(t, cell(buf, sizeof(buf),
							&netns_metrics[k],
							&rw.ns));
		}
		if (!ret) {
			fputc('\n', out);
			ret = table_print(t, out, "  ", false);
		}
		table_free(t);
	}
	rows_free(&rw);
	if (ret < 0)
		return ret;
	return ferror(out) ? -EIO : 0;
}

static void json_metrics(struct json *j, const struct metric *m, size_t n,
			 const void *row)
{
	double v = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		bool has = m[k].get(row, &v);

		json_kv_double_opt(j, m[k].name, has, v, m[k].decimals);
	}
}

int report_print_json(FILE *out, bool pretty, const struct nq_snapshot *cur,
		      const struct nq_snapshot *prev)
{
	struct json *j;
	struct rows rw;
	size_t i;
	int ret;

	ret = rows_build(&rw, cur, prev);
	if (ret < 0)
		return ret;
	j = json_new(out, pretty);
	if (!j) {
		rows_free(&rw);
		return -ENOMEM;
	}
	json_obj_begin(j);
	json_kv_u64_opt(j, "netns", rw.netns != 0, rw.netns);
	json_kv_double_opt(j, "window_s", rw.elapsed_ns != 0,
			   (double)rw.elapsed_ns / 1e9, 3);
	json_key(j, "listeners");
	json_arr_begin(j);
	for (i = 0; i < rw.n; i++) {
		json_obj_begin(j);
		json_kv_str(j, "addr", rw.l[i].addr);
		json_kv_u64(j, "port", rw.l[i].l->port);
		json_metrics(j, listener_metrics, N_LISTENER_METRICS,
			     &rw.l[i]);
		json_obj_end(j);
	}
	json_arr_end(j);
	if (rw.has_ns) {
		json_key(j, "namespace");
		json_obj_begin(j);
		json_metrics(j, netns_metrics, N_NETNS_METRICS, &rw.ns);
		json_obj_end(j);
	}
	json_obj_end(j);
	rows_free(&rw);
	return json_end(j);
}

/* A label value of the exposition format: \\, \" and \n escaped. */
static void prom_label(FILE *out, const char *name, const char *v,
		       bool first)
{
	fprintf(out, "%s%s=\"", first ? "" : ",", name);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(out, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", out);
		else
			fputc(*v, out);
	}
	fputc('"', out);
}

static void prom_value(FILE *out, double v)
{
	if (isnan(v))
		fputs(" NaN\n", out);
	else if (isinf(v))
		fputs(v > 0 ? " +Inf\n" : " -Inf\n", out);
	else
		fprintf(out, " %.17g\n", v);
}

static void prom_help(FILE *out, const struct metric *m)
{
	fprintf(out, "# HELP nqstat_%s %s\n# TYPE nqstat_%s %s\n", m->name,
		m->help, m->name, m->type);
}

int report_print_prometheus(FILE *out, const struct nq_snapshot *cur,
			    const struct nq_snapshot *prev)
{
	char netns[16], port[8], dup[16];
	struct rows rw;
	size_t i, k;
	bool any;
	double v;
	int ret;

	ret = rows_build(&rw, cur, prev);
	if (ret < 0)
		return ret;
	snprintf(netns, sizeof(netns), "%" PRIu32, rw.netns);
	/* A family's samples follow its HELP and TYPE, once each. */
	for (k = 0; k < N_LISTENER_METRICS; k++) {
		const struct metric *m = &listener_metrics[k];

		any = false;
		for (i = 0; i < rw.n; i++) {
			if (!m->get(&rw.l[i], &v))
				continue;
			if (!any)
				prom_help(out, m);
			any = true;
			snprintf(port, sizeof(port), "%" PRIu64 "", rw.l[i].l->port);
			fprintf(out, "nqstat_%s{", m->name);
			prom_label(out, "netns", netns, true);
			prom_label(out, "addr", rw.l[i].addr, false);
			prom_label(out, "port", port, false);
			/* Tells apart the sockets of a SO_REUSEPORT group. */
			snprintf(dup, sizeof(dup), "%u", rw.l[i].dup);
			prom_label(out, "listener", dup, false);
			fputc('}', out);
			prom_value(out, v);
		}
	}
	for (k = 0; rw.has_ns && k < N_NETNS_METRICS; k++) {
		const struct metric *m = &netns_metrics[k];

		if (!m->get(&rw.ns, &v))
			continue;
		prom_help(out, m);
		fprintf(out, "nqstat_%s{", m->name);
		prom_label(out, "netns", netns, true);
		fputc('}', out);
		prom_value(out, v);
	}
	rows_free(&rw);
	return ferror(out) ? -EIO : 0;
}
