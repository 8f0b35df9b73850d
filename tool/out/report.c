// SPDX-License-Identifier: GPL-2.0
/*
 * "report": capacity planning figures of a namespace, written from the
 * field tables (out/f_listener.c, out/f_netns.c) in the three outputs.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/counters.h"
#include "out/field.h"
#include "out/format.h"
#include "out/json.h"
#include "out/netns.h"
#include "out/prometheus.h"
#include "out/report.h"
#include "out/table.h"

bool nq_queue_use(uint32_t peak, uint32_t limit, double *use)
{
	double u;

	if (!limit)
		return false;
	u = (double)peak / ((double)limit + 1);
	*use = u > 1 ? 1 : u;
	return true;
}

/* The columns of the text report's listener table. */
static const char listener_columns[] =
	"endpoint,backlog,acceptq_high,synq_high,acceptq_headroom,"
	"synq_headroom,drops_total,drops_per_second,handshakes_completed,"
	"handshakes_completed_per_second,accepted_per_second";

struct lrow {
	struct nq_lrow row;
	struct nq_rates r;		/* unknown without a window */
	unsigned int dup;		/* among listeners of one addr:port */
	char addr[INET6_ADDRSTRLEN];
};

/* The rows of a report: the listeners and the namespace, with rates. */
struct rows {
	struct lrow *l;
	size_t n;
	bool has_ns;
	struct nq_nsrow ns;
	struct nq_netns_rates ns_r;
	uint64_t elapsed_ns;		/* 0 without a window */
	uint64_t netns;			/* inode, NQ_UNKNOWN */
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
	rw->netns = NQ_UNKNOWN;
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

		r->row.l = l;
		r->row.r = prev ? &r->r : NULL;
		nq_rates_init(&r->r);
		/* SO_REUSEPORT groups: sorted, so next to each other. */
		if (i && same_endpoint(l, rw->l[i - 1].row.l))
			r->dup = rw->l[i - 1].dup + 1;
		if (!l->addr_len || format_addr(r->addr, sizeof(r->addr),
						(uint8_t)l->family, l->addr) < 0)
			snprintf(r->addr, sizeof(r->addr), "?");
		if (prev && nq_known(l->cookie))
			p = nq_index_find(&idx, l->cookie);
		if (p)
			nq_rates_compute(p, l, rw->elapsed_ns, &r->r);
	}
	nq_index_free(&idx);
	nq_netns_rates_init(&rw->ns_r);
	if (cur->has_netns) {
		rw->has_ns = true;
		rw->ns.ns = &cur->ns;
		rw->netns = cur->ns.inode;
		if (prev && prev->has_netns) {
			rw->ns.r = &rw->ns_r;
			nq_netns_rates_compute(&prev->ns, &cur->ns,
					       rw->elapsed_ns, &rw->ns_r);
		}
	}
	return 0;
}

static void rows_free(struct rows *rw)
{
	free(rw->l);
}

/* The namespace and conntrack figures of the text report, by key. */
static const char *const figures[] = {
	"tw_count", "tw_peak", "tcp_max_tw_buckets", "tw_limit_use",
	"tw_created", "tw_created_per_second", "tw_overflows",
	"tw_overflows_per_second", "port_range_size", "port_range_max_use",
	"connect_port_exhausted", "connect_port_exhausted_per_second",
	"ct_count", "ct_peak", "ct_max", "ct_use", "ct_table_full_drops",
	"ct_table_full_drops_per_second",
};

/* The figures of table, as "Figure  Value" rows (rates with rates). */
static int add_figures(struct table *t, const struct nq_field *table,
		       size_t n, const struct nq_nsrow *row)
{
	char buf[FORMAT_DROPPED_BY_LEN];
	const struct nq_field *f;
	size_t k;
	int ret = 0;

	for (k = 0; !ret && k < sizeof(figures) / sizeof(figures[0]); k++) {
		f = nq_field_find(table, n, figures[k]);
		if (!f || ((f->flags & NQ_FF_RATE) && !row->r))
			continue;
		ret = table_add(t, f->title);
		if (!ret)
			ret = table_add(t, nq_field_text(f, row, buf,
							 sizeof(buf)));
	}
	return ret;
}

int report_print_text(FILE *out, const struct nq_snapshot *cur,
		      const struct nq_snapshot *prev)
{
	return report_print_text_ns(out, cur, prev, NULL);
}

int report_print_text_ns(FILE *out, const struct nq_snapshot *cur,
			 const struct nq_snapshot *prev, const char *name)
{
	static const struct table_col ncols[] = {
		{ "Figure", TABLE_LEFT }, { "Value", TABLE_RIGHT },
	};
	const struct nq_field *f = nq_listener_fields;
	struct table_col cols[NQ_MAX_FIELDS];
	size_t idx[NQ_MAX_FIELDS], i, k;
	char buf[FORMAT_DROPPED_BY_LEN], err[128], ts[32];
	struct table *t;
	struct rows rw;
	int n, ret;

	n = nq_fields_columns(f, nq_n_listener_fields, listener_columns, false,
			      false, true, idx, err, sizeof(err));
	if (n < 0)
		return -EINVAL;
	ret = rows_build(&rw, cur, prev);
	if (ret < 0)
		return ret;
	fprintf(out, "Namespace %s",
		format_counter(buf, sizeof(buf), nq_known(rw.netns), rw.netns));
	if (name)
		fprintf(out, " (%s)", name);
	if (rw.elapsed_ns)
		fprintf(out, ", window %.1f s", (double)rw.elapsed_ns / 1e9);
	fprintf(out, ", %s:\n", nq_report_time(ts, sizeof(ts)));
	for (k = 0; k < (size_t)n; k++) {
		cols[k].title = f[idx[k]].title;
		cols[k].align = f[idx[k]].align;
	}
	t = table_new(cols, (size_t)n);
	ret = t ? 0 : -ENOMEM;
	for (i = 0; !ret && i < rw.n; i++)
		for (k = 0; !ret && k < (size_t)n; k++)
			ret = table_add(t, nq_field_text(&f[idx[k]],
							 &rw.l[i].row, buf,
							 sizeof(buf)));
	if (!ret && rw.n)
		ret = table_print(t, out, "  ", true);
	table_free(t);
	if (!ret && rw.has_ns) {
		t = table_new(ncols, 2);
		ret = t ? 0 : -ENOMEM;
		if (!ret)
			ret = add_figures(t, nq_netns_fields,
					  nq_n_netns_fields, &rw.ns);
		if (!ret)
			ret = add_figures(t, nq_ct_fields, nq_n_ct_fields,
					  &rw.ns);
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

int report_print_json(FILE *out, bool pretty, const struct nq_snapshot *cur,
		      const struct nq_snapshot *prev)
{
	return report_print_json_ns(out, pretty, cur, prev, NULL);
}

int report_print_json_ns(FILE *out, bool pretty,
			 const struct nq_snapshot *cur,
			 const struct nq_snapshot *prev, const char *name)
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
	nq_json_header(j, rw.elapsed_ns);
	json_kv_u64_opt(j, "netns", nq_known(rw.netns), rw.netns);
	if (name)
		json_kv_str(j, "netns_name", name);
	json_key(j, "listeners");
	json_arr_begin(j);
	for (i = 0; i < rw.n; i++) {
		json_obj_begin(j);
		nq_fields_json(j, nq_listener_fields, nq_n_listener_fields,
			       &rw.l[i].row, rw.elapsed_ns != 0);
		json_obj_end(j);
	}
	json_arr_end(j);
	if (rw.has_ns) {
		json_key(j, "namespace");
		json_obj_begin(j);
		nq_fields_json(j, nq_netns_fields, nq_n_netns_fields, &rw.ns,
			       rw.elapsed_ns != 0);
		nq_fields_json(j, nq_ct_fields, nq_n_ct_fields, &rw.ns,
			       rw.elapsed_ns != 0);
		json_obj_end(j);
	}
	json_obj_end(j);
	rows_free(&rw);
	return json_end(j);
}

int report_print_prometheus(FILE *out, const struct nq_snapshot *cur,
			    const struct nq_snapshot *prev)
{
	struct nq_prom_ns ns = { .s = cur };
	struct nq_prom_doc d = { .ns = &ns, .n_ns = 1 };

	/* Counters need no window: prev adds nothing to the format. */
	(void)prev;
	return nq_prom_print(out, &d);
}
