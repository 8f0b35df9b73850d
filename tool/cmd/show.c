// SPDX-License-Identifier: GPL-2.0
/*
 * "show": the listener table, once or every interval (watch mode).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/counters.h"
#include "out/format.h"
#include "out/json.h"
#include "model/listeners.h"
#include "cmd/cmd.h"
#include "cmd/parse.h"
#include "out/field.h"
#include "out/table.h"
#include "cmd/watch.h"

struct show {
	const struct options *o;
	struct nq_nl *nl;
	struct nq_dump_req req;
	bool have_self;		/* self_netns is known */
	uint32_t self_netns;	/* inode of our network namespace */
};

/* "%name" suffix for a listener bound to a device, or NULL. */
static const char *device(const struct show *s, const struct nq_listener *l,
			  char *buf)
{
	bool local;

	if (!nq_known(l->ifindex) || !l->ifindex)
		return NULL;
	/* Interface indexes only mean something in their own namespace. */
	local = !s->o->all_netns ||
		(s->have_self &&
		 nq_known(l->netns_inode) &&
		 l->netns_inode == s->self_netns);
	if (local && if_indextoname(l->ifindex, buf))
		return buf;
	snprintf(buf, IF_NAMESIZE, "if%" PRIu64 "", l->ifindex);
	return buf;
}

/* The row of the field table for a line of show. */
static void lrow(const struct show *s, const struct nq_row *row,
		 struct nq_lrow *r, char *dev)
{
	r->l = row->l;
	r->r = row->r;
	r->dev = device(s, row->l, dev);
}

static int print_table(const struct show *s, const struct nq_row *rows,
		       size_t n_rows, bool rates)
{
	const struct nq_field *f = nq_listener_fields;
	size_t idx[NQ_MAX_FIELDS], i, k;
	struct table_col cols[NQ_MAX_FIELDS];
	char buf[FORMAT_DROPPED_BY_LEN], dev[IF_NAMESIZE], err[256];
	struct table *t = NULL;
	struct nq_lrow r;
	int n, ret = -ENOMEM;

	n = nq_fields_columns(f, nq_n_listener_fields, s->o->columns,
			      s->o->wide, s->o->all_netns, rates, idx, err,
			      sizeof(err));
	if (n < 0) {
		nq_err("%s", err);
		return n;
	}
	for (k = 0; k < (size_t)n; k++) {
		cols[k].title = f[idx[k]].title;
		cols[k].align = f[idx[k]].align;
	}
	t = table_new(cols, (size_t)n);
	if (!t)
		goto out;
	for (i = 0; i < n_rows; i++) {
		lrow(s, &rows[i], &r, dev);
		for (k = 0; k < (size_t)n; k++) {
			ret = table_add(t, nq_field_text(&f[idx[k]], &r, buf,
							 sizeof(buf)));
			if (ret < 0)
				goto out;
		}
	}
	ret = table_print(t, stdout, "", !s->o->no_header);
out:
	table_free(t);
	if (ret == -ENOMEM)
		nq_err("cannot print the listeners: %s", strerror(-ret));
	return ret;
}

/* elapsed_ns is only used with rates. */
static int print_json(const struct show *s, const struct nq_row *rows,
		      size_t n_rows, bool rates, uint64_t elapsed_ns)
{
	struct json *j = json_new(stdout, s->o->pretty);
	char dev[IF_NAMESIZE];
	struct nq_lrow r;
	size_t i;
	int ret;

	if (!j) {
		nq_err("cannot print the listeners: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	json_obj_begin(j);
	nq_json_header(j, rates ? elapsed_ns : 0);
	json_key(j, "listeners");
	json_arr_begin(j);
	for (i = 0; i < n_rows; i++) {
		lrow(s, &rows[i], &r, dev);
		json_obj_begin(j);
		nq_fields_json(j, nq_listener_fields, nq_n_listener_fields, &r,
			       rates);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
	ret = json_end(j);
	if (ret < 0)
		nq_err("cannot print the listeners: %s", strerror(-ret));
	return ret;
}

/*
 * Prints the listeners of ls, with rates[i] for ls->v[i] in watch mode
 * (rates not NULL), in display order.
 */
static int print(const struct show *s, const struct nq_listeners *ls,
		 const struct nq_rates *rates, uint64_t elapsed_ns)
{
	struct nq_row *rows;
	size_t i;
	int ret;

	rows = calloc(ls->n ? ls->n : 1, sizeof(*rows));
	if (!rows) {
		nq_err("cannot print the listeners: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < ls->n; i++) {
		rows[i].l = &ls->v[i];
		rows[i].r = rates ? &rates[i] : NULL;
	}
	nq_rows_sort(rows, ls->n);
	if (s->o->json)
		ret = print_json(s, rows, ls->n, rates != NULL, elapsed_ns);
	else
		ret = print_table(s, rows, ls->n, rates != NULL);
	free(rows);
	return ret;
}

static int dump(struct show *s, struct nq_listeners *ls)
{
	int ret;

	nq_listeners_clear(ls);
	ret = nq_nl_get_listeners(s->nl, &s->req, ls);
	if (ret == -EPERM && s->req.all_netns)
		nq_nl_perror(s->nl, ret,
			     "cannot list the listeners of all namespaces",
			     "run as root or drop -a");
	else if (ret < 0)
		nq_nl_perror(s->nl, ret, "cannot list the listeners", NULL);
	return ret < 0 ? ret : 0;
}

static void compute_rates(const struct nq_listeners *cur,
			  const struct nq_index *prev, uint64_t elapsed_ns,
			  struct nq_rates *rates)
{
	size_t i;

	for (i = 0; i < cur->n; i++) {
		const struct nq_listener *l = &cur->v[i], *p = NULL;

		nq_rates_init(&rates[i]);
		if (nq_known(l->cookie))
			p = nq_index_find(prev, l->cookie);
		if (p)		/* else a new listener: no rate yet */
			nq_rates_compute(p, l, elapsed_ns, &rates[i]);
	}
}

/* The two snapshots of watch mode. */
struct show_watch {
	struct show *s;
	struct nq_listeners ls[2];
};

static int watch_dump(void *ctx, int slot)
{
	struct show_watch *w = ctx;

	return dump(w->s, &w->ls[slot]);
}

/* The totals of slot cur with the rates since slot prev. */
static int watch_report(void *ctx, int cur, int prev, uint64_t elapsed_ns)
{
	struct show_watch *w = ctx;
	struct nq_rates *rates;
	struct nq_index idx;
	int ret;

	rates = calloc(w->ls[cur].n ? w->ls[cur].n : 1, sizeof(*rates));
	if (!rates || nq_index_build(&idx, &w->ls[prev]) < 0) {
		free(rates);
		nq_err("cannot compute rates: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	compute_rates(&w->ls[cur], &idx, elapsed_ns, rates);
	nq_index_free(&idx);
	ret = print(w->s, &w->ls[cur], rates, elapsed_ns);
	free(rates);
	return ret;
}

static int watch(struct show *s)
{
	struct show_watch w = { .s = s };
	const struct watch_ops ops = { &w, watch_dump, watch_report };
	int ret = watch_run(s->o, &ops);

	nq_listeners_free(&w.ls[0]);
	nq_listeners_free(&w.ls[1]);
	return ret;
}

int cmd_show(const struct options *o, int argc, char *argv[])
{
	struct show s = { .o = o };
	struct nq_listeners ls = { 0 };
	char err[512];
	struct stat st;
	int ret;

	if (parse_show_args(argc, argv, &s.req.filter, err, sizeof(err)) < 0)
		return nq_usage_error("%s", err);
	s.req.all_netns = o->all_netns;

	ret = nq_connect(o, &s.nl);
	if (ret)
		return ret;
	/* After nq_connect(), which may have changed the namespace. */
	if (o->all_netns && !stat("/proc/self/ns/net", &st)) {
		s.have_self = true;
		s.self_netns = (uint32_t)st.st_ino;
	}

	if (o->interval_ms) {
		ret = watch(&s);
	} else {
		ret = dump(&s, &ls);
		if (!ret)
			ret = print(&s, &ls, NULL, 0);
		ret = ret < 0 ? EXIT_ERROR : 0;
	}
	nq_listeners_free(&ls);
	nq_nl_close(s.nl);
	return ret;
}
