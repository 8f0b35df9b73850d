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
#include <sys/socket.h>

#include "model/counters.h"
#include "out/format.h"
#include "out/json.h"
#include "model/listeners.h"
#include "cmd/cmd.h"
#include "cmd/namespaces.h"
#include "cmd/parse.h"
#include "out/field.h"
#include "out/status.h"
#include "out/table.h"
#include "cmd/watch.h"
#include "model/modstate.h"
#include "model/procs.h"
#include "model/snapshot.h"
#include "model/sockets.h"
#include "nl/sockdiag.h"

struct show {
	const struct options *o;
	struct nq_nl *nl;
	struct nq_dump_req req;
	bool have_self;		/* self_netns is known */
	uint32_t self_netns;	/* inode of our network namespace */
	/* Without the module: what sock_diag and the MIB give. */
	bool kernel_only;
	struct nq_modfacts facts;
	/* The process column is shown (-p, -w, -o processes). */
	bool procs;
	/* For it, per output: the listeners of sock_diag by cookie. */
	struct nq_diag_list diag;
	struct nq_procs pmap;
};

static int diag_cmp(const void *a, const void *b)
{
	const struct nq_diag_sock *x = a, *y = b;

	return (x->cookie > y->cookie) - (x->cookie < y->cookie);
}

/*
 * The processes of the listeners of this namespace, as ss -p finds them:
 * the inodes of sock_diag, then one scan of /proc/PID/fd.
 */
static int read_procs(struct show *s)
{
	uint64_t *inodes;
	size_t i;
	int ret;

	nq_diag_list_free(&s->diag);
	nq_procs_free(&s->pmap);
	ret = nq_sockdiag_listeners(&s->diag);
	if (ret < 0) {
		nq_err("cannot list the listening sockets (sock_diag): %s",
		       strerror(-ret));
		return ret;
	}
	if (s->diag.n)
		qsort(s->diag.v, s->diag.n, sizeof(*s->diag.v), diag_cmp);
	inodes = calloc(s->diag.n ? s->diag.n : 1, sizeof(*inodes));
	if (!inodes)
		return -ENOMEM;
	for (i = 0; i < s->diag.n; i++)
		inodes[i] = s->diag.v[i].inode;
	ret = nq_procs_read(&s->pmap, "", inodes, s->diag.n);
	free(inodes);
	if (ret < 0)
		nq_err("cannot read the processes of /proc: %s",
		       strerror(-ret));
	return ret;
}

/* The processes of a listener, by its cookie. */
static void row_procs(const struct show *s, struct nq_lrow *r)
{
	struct nq_diag_sock key = { .cookie = r->l->cookie };
	const struct nq_diag_sock *d = NULL;

	r->procs_wanted = s->procs;
	r->procs = NULL;
	r->n_procs = 0;
	if (!s->procs || !nq_known(r->l->cookie) || !s->diag.n)
		return;
	d = bsearch(&key, s->diag.v, s->diag.n, sizeof(*s->diag.v),
		    diag_cmp);
	if (d && d->inode)
		r->procs = nq_procs_find(&s->pmap, d->inode, &r->n_procs);
}

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
	row_procs(s, r);
}

/*
 * The columns: -o's, or the default ones (-w: all); without the module,
 * those the kernel fills; -p adds the process column.
 */
static int show_columns(const struct show *s, bool rates, size_t *idx,
			char *err, size_t errlen)
{
	const char *list = s->o->columns;
	size_t k, p;
	int n;

	if (!list && s->kernel_only && !s->o->wide)
		list = rates ? "endpoint,acceptq,kernel_drops,kernel_drops_per_second" :
			       "endpoint,acceptq,kernel_drops";
	n = nq_fields_columns(nq_listener_fields, nq_n_listener_fields, list,
			      s->o->wide, s->o->all_netns, rates, idx, err,
			      errlen);
	if (n < 0)
		return n;
	p = (size_t)(nq_field_find(nq_listener_fields, nq_n_listener_fields,
				   "processes") - nq_listener_fields);
	if (!s->o->processes) {
		/* /proc is read only with -p: no column without it (-w). */
		size_t k2 = 0;

		for (k = 0; k < (size_t)n; k++)
			if (idx[k] != p)	/* -o processes: main.c */
				idx[k2++] = idx[k];
		return (int)k2;
	}
	for (k = 0; k < (size_t)n; k++)
		if (idx[k] == p)
			return n;
	if (n >= NQ_MAX_FIELDS)
		return n;
	idx[n] = p;
	return n + 1;
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

	n = show_columns(s, rates, idx, err, sizeof(err));
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

static const unsigned int mib_shown[] = {
	NQ_MIB_LISTEN_OVERFLOWS, NQ_MIB_LISTEN_DROPS, NQ_MIB_REQQ_FULL_DROP,
	NQ_MIB_REQQ_FULL_DO_COOKIES,
};

#define N_MIB (sizeof(mib_shown) / sizeof(mib_shown[0]))

/* The namespace's loss counters (the kernel's MIB), without the module. */
struct mib {
	bool have[N_MIB];
	uint64_t v[N_MIB];
};

static void mib_read(struct mib *m)
{
	struct nq_snapshot sn;
	size_t i;

	memset(&sn, 0, sizeof(sn));
	nq_snapshot_read_netstat(&sn, "");
	for (i = 0; i < N_MIB; i++) {
		m->have[i] = sn.mib_present & (1U << mib_shown[i]);
		m->v[i] = sn.mib[mib_shown[i]];
	}
	nq_snapshot_free(&sn);
}

/* Counter i's rate from prev to cur (watch mode), or NAN. */
static double mib_rate(const struct mib *cur, const struct mib *prev,
		       size_t i, uint64_t elapsed_ns)
{
	if (!prev || !elapsed_ns || !cur->have[i] || !prev->have[i] ||
	    cur->v[i] < prev->v[i])
		return NAN;
	return (double)(cur->v[i] - prev->v[i]) * 1e9 / (double)elapsed_ns;
}

/* prev: the sample before, in watch mode (rates), else NULL. */
static void mib_json(struct json *j, const struct mib *m,
		     const struct mib *prev, uint64_t elapsed_ns)
{
	char key[64];
	double r;
	size_t i;

	json_key(j, "netns_mib");
	json_obj_begin(j);
	json_kv_str(j, "source", "/proc/net/netstat TcpExt");
	for (i = 0; i < N_MIB; i++) {
		json_kv_u64_opt(j, nq_mib_name(mib_shown[i]), m->have[i],
				m->v[i]);
		if (!prev)
			continue;
		snprintf(key, sizeof(key), "%s_per_second",
			 nq_mib_name(mib_shown[i]));
		r = mib_rate(m, prev, i, elapsed_ns);
		json_kv_double_opt(j, key, !isnan(r), r, 3);
	}
	json_obj_end(j);
}

static void mib_text(const struct mib *m, const struct mib *prev,
		     uint64_t elapsed_ns)
{
	double r;
	size_t i;

	printf("\nThe namespace's loss counters (TcpExt of /proc/net/netstat, all listeners, since the namespace was created%s; no module: no split per listener or kind):\n",
	       prev ? "; per second over the window" : "");
	for (i = 0; i < N_MIB; i++) {
		char v[24] = "-";

		if (m->have[i])
			snprintf(v, sizeof(v), "%" PRIu64, m->v[i]);
		printf("  %-22s %s", nq_mib_name(mib_shown[i]), v);
		r = mib_rate(m, prev, i, elapsed_ns);
		if (prev && !isnan(r))
			printf("%*s%.1f/s", 14 - (int)strlen(v), "", r);
		else if (prev)
			printf("%*s-/s", 14 - (int)strlen(v), "");
		putchar('\n');
	}
}

/* elapsed_ns is only used with rates. */
static int print_json(const struct show *s, const struct nq_row *rows,
		      size_t n_rows, bool rates, uint64_t elapsed_ns,
		      const struct mib *mib, const struct mib *mib_prev)
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
	json_kv_str(j, "source", s->kernel_only ? "kernel" : "module");
	if (s->kernel_only)
		nq_module_json(j, &s->facts);
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
	if (s->kernel_only)
		mib_json(j, mib, mib_prev, elapsed_ns);
	json_obj_end(j);
	ret = json_end(j);
	if (ret < 0)
		nq_err("cannot print the listeners: %s", strerror(-ret));
	return ret;
}

/*
 * Prints the listeners of ls, with rates[i] for ls->v[i] in watch mode
 * (rates not NULL), in display order; without the module, the MIB
 * counters of mib, with their rates since mib_prev in watch mode.
 */
static int print(const struct show *s, const struct nq_listeners *ls,
		 const struct nq_rates *rates, uint64_t elapsed_ns,
		 const struct mib *mib, const struct mib *mib_prev)
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
	ret = s->procs ? read_procs((struct show *)s) : 0;
	if (!ret && s->o->json)
		ret = print_json(s, rows, ls->n, rates != NULL, elapsed_ns,
				 mib, mib_prev);
	else if (!ret)
		ret = print_table(s, rows, ls->n, rates != NULL);
	if (!ret && s->kernel_only && !s->o->json)
		mib_text(mib, mib_prev, elapsed_ns);
	free(rows);
	return ret;
}

/* Whether a listener passes the filters (without the module: here). */
static bool filter_match(const struct nq_filter *f, const struct nq_listener *l)
{
	size_t len = f->addr.family == AF_INET ? 4 : 16;

	if (f->has_port && l->port != f->port)
		return false;
	if (f->has_addr && (l->family != f->addr.family ||
			    memcmp(l->addr, f->addr.bytes, len)))
		return false;
	return true;
}

/* The listeners of sock_diag, without the module. */
static int dump_kernel(struct show *s, struct nq_listeners *ls)
{
	struct nq_diag_list dl = { 0 };
	struct nq_listener l;
	size_t i;
	int ret;

	ret = nq_sockdiag_listeners(&dl);
	for (i = 0; !ret && i < dl.n; i++) {
		nq_listener_from_diag(&dl.v[i], &l);
		if (filter_match(&s->req.filter, &l))
			ret = nq_listeners_push(ls, &l);
	}
	nq_diag_list_free(&dl);
	if (ret < 0)
		nq_err("cannot list the listening sockets (sock_diag): %s",
		       strerror(-ret));
	return ret;
}

static int dump(struct show *s, struct nq_listeners *ls)
{
	int ret;

	nq_listeners_clear(ls);
	if (s->kernel_only)
		return dump_kernel(s, ls);
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

/* The two snapshots of watch mode (without the module, with the MIB). */
struct show_watch {
	struct show *s;
	struct nq_listeners ls[2];
	struct mib mib[2];
};

static int watch_dump(void *ctx, int slot)
{
	struct show_watch *w = ctx;

	if (w->s->kernel_only)
		mib_read(&w->mib[slot]);
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
	ret = print(w->s, &w->ls[cur], rates, elapsed_ns, &w->mib[cur],
		    &w->mib[prev]);
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
	int ret;

	if (parse_show_args(argc, argv, &s.req.filter, err, sizeof(err)) < 0)
		return nq_usage_error("%s", err);
	s.req.all_netns = o->all_netns;

	ret = nq_connect_kernel(o, &s.nl, &s.facts);
	if (ret == 1 && o->all_netns) {
		/* One line: what -a needs, the fixes that work without it. */
		char text[512], fix[512];

		nq_modstate_explain(&s.facts, nq_modstate_why(&s.facts), text,
				    sizeof(text), fix, sizeof(fix));
		nq_err("-a/--all-namespaces needs the nqstat module, which is not loaded: %s; to fix: drop -a (this namespace's listeners, from the kernel alone), or run nqstat -n NAME once per namespace",
		       text);
		return EXIT_ERROR;
	} else if (ret == 1) {
		s.kernel_only = true;
		nq_modstate_print(&s.facts, true);
	} else if (ret) {
		return ret;
	}
	/* The inode to pids map: once per output, only with -p. */
	s.procs = o->processes;
	/* After nq_connect(), which may have changed the namespace. */
	if (o->all_netns) {
		s.self_netns = (uint32_t)nq_netns_self();
		s.have_self = s.self_netns != 0;
	}

	if (o->interval_ms) {
		ret = watch(&s);
	} else {
		struct mib mib = { 0 };

		if (s.kernel_only)
			mib_read(&mib);
		ret = dump(&s, &ls);
		if (!ret)
			ret = print(&s, &ls, NULL, 0, &mib, NULL);
		ret = ret < 0 ? EXIT_ERROR : 0;
	}
	nq_listeners_free(&ls);
	nq_diag_list_free(&s.diag);
	nq_procs_free(&s.pmap);
	nq_nl_close(s.nl);
	return ret;
}
