// SPDX-License-Identifier: GPL-2.0
/*
 * The views of the namespace dump (GET_NETNS), once or every interval
 * (watch mode): "tw", TIME_WAIT and local port use, and "ct", connection
 * tracking pressure.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "out/netns.h"
#include "cmd/cmd.h"
#include "cmd/parse.h"
#include "cmd/watch.h"

/* A report of the namespaces; rates NULL but in watch mode. */
struct netns_view {
	const char *name;
	int (*text)(FILE *f, const struct nq_netns_list *l,
		    const struct nq_netns_rates *rates, uint64_t elapsed_ns);
	int (*json)(FILE *f, bool pretty, const struct nq_netns_list *l,
		    const struct nq_netns_rates *rates, uint64_t elapsed_ns);
};

static const struct netns_view tw_view = {
	"tw", tw_print_text, tw_print_json,
};

static const struct netns_view ct_view = {
	"ct", ct_print_text, ct_print_json,
};

struct tw {
	const struct options *o;
	const struct netns_view *view;
	struct nq_nl *nl;
	struct nq_netns_req req;
};

static int dump(struct tw *t, struct nq_netns_list *l)
{
	size_t i;
	int ret;

	nq_netns_list_clear(l);
	ret = nq_nl_get_netns(t->nl, &t->req, l);
	if (ret < 0) {
		const char *hint = NULL;

		if (ret == -EPERM && t->req.all_netns)
			hint = "run as root or drop -a";
		else if (ret == -EOPNOTSUPP)
			hint = t->view == &tw_view ?
			       "the loaded nqstat module is too old for tw" :
			       "the loaded nqstat module is too old for ct";
		nq_nl_perror(t->nl, ret, t->req.all_netns ?
			     "cannot list all network namespaces" :
			     "cannot list the namespace", hint);
		return ret;
	}
	for (i = 0; i < l->n; i++)
		nq_tw_dests_sort(&l->v[i]);
	return 0;
}

/* rates and elapsed_ns only in watch mode. */
static int print(const struct tw *t, const struct nq_netns_list *l,
		 const struct nq_netns_rates *rates, uint64_t elapsed_ns)
{
	int ret;

	if (t->o->json)
		ret = t->view->json(stdout, t->o->pretty, l, rates, elapsed_ns);
	else
		ret = t->view->text(stdout, l, rates, elapsed_ns);
	if (ret < 0)
		nq_err("cannot print the namespaces: %s", strerror(-ret));
	return ret;
}

static void compute_rates(const struct nq_netns_list *cur,
			  const struct nq_netns_list *prev,
			  uint64_t elapsed_ns, struct nq_netns_rates *rates)
{
	size_t i;

	for (i = 0; i < cur->n; i++) {
		const struct nq_netns *p = nq_netns_find(prev, &cur->v[i]);

		nq_netns_rates_init(&rates[i]);
		if (p)		/* else a new namespace: no rate yet */
			nq_netns_rates_compute(p, &cur->v[i], elapsed_ns,
					       &rates[i]);
	}
}

/* The two snapshots of watch mode. */
struct tw_watch {
	struct tw *t;
	struct nq_netns_list l[2];
};

static int watch_dump(void *ctx, int slot)
{
	struct tw_watch *w = ctx;

	return dump(w->t, &w->l[slot]);
}

/* The figures of slot cur with the rates since slot prev. */
static int watch_report(void *ctx, int cur, int prev, uint64_t elapsed_ns)
{
	struct tw_watch *w = ctx;
	struct nq_netns_rates *rates;
	int ret;

	rates = calloc(w->l[cur].n ? w->l[cur].n : 1, sizeof(*rates));
	if (!rates) {
		nq_err("cannot compute rates: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	compute_rates(&w->l[cur], &w->l[prev], elapsed_ns, rates);
	ret = print(w->t, &w->l[cur], rates, elapsed_ns);
	free(rates);
	return ret;
}

static int watch(struct tw *t)
{
	struct tw_watch w = { .t = t };
	const struct watch_ops ops = { &w, watch_dump, watch_report };
	int ret = watch_run(t->o, &ops);

	nq_netns_list_free(&w.l[0]);
	nq_netns_list_free(&w.l[1]);
	return ret;
}

static int run(struct tw *t)
{
	struct nq_netns_list l = { 0 };
	int ret;

	t->req.all_netns = t->o->all_netns;
	ret = nq_connect(t->o, &t->nl);
	if (ret)
		return ret;
	if (t->o->interval_ms) {
		ret = watch(t);
	} else {
		ret = dump(t, &l);
		if (!ret)
			ret = print(t, &l, NULL, 0);
		ret = ret < 0 ? EXIT_ERROR : 0;
	}
	nq_netns_list_free(&l);
	nq_nl_close(t->nl);
	return ret;
}

int cmd_tw(const struct options *o, int argc, char *argv[])
{
	struct tw t = { .o = o, .view = &tw_view };
	char err[512];

	/*
	 * Always NQSTAT_A_TOP_N: the module walks the established hash for
	 * destinations only when it is in the request.
	 */
	if (parse_tw_args(argc, argv, NQ_TOP_N_DEFAULT, &t.req.top_n, err,
			  sizeof(err)) < 0)
		return nq_usage_error("%s", err);
	return run(&t);
}

int cmd_ct(const struct options *o, int argc, char *argv[])
{
	/*
	 * No destination rows: no NQSTAT_A_TOP_N, so that the module does
	 * not walk the established hash for them.
	 */
	struct tw t = { .o = o, .view = &ct_view, .req.top_n = 0 };

	if (argc > 0)
		return nq_usage_error("extra argument \"%s\": ct takes no arguments",
				      argv[0]);
	return run(&t);
}
