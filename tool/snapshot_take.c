// SPDX-License-Identifier: GPL-2.0
/*
 * Taking a snapshot of the current network namespace: the module's dumps
 * and the files of /proc and /etc (snapshot_read.c).
 */
#include <errno.h>
#include <string.h>

#include "nqstat.h"
#include "snapshot.h"
#include "twstat.h"
#include "watch.h"

int nq_snapshot_take(struct nq_nl *nl, struct nq_snapshot *s)
{
	struct nq_dump_req lreq = { 0 };
	struct nq_netns_req nreq = { .top_n = NQ_TOP_N_MAX };
	struct nq_listeners ls = { 0 };
	struct nq_netns_list l = { 0 };
	int ret;

	memset(s, 0, sizeof(*s));
	ret = nq_nl_get_listeners(nl, &lreq, &ls);
	if (ret < 0) {
		nq_nl_perror(nl, ret, "cannot list the listeners", NULL);
		goto out;
	}
	ret = nq_nl_get_netns(nl, &nreq, &l);
	if (ret < 0) {
		nq_nl_perror(nl, ret, "cannot list the namespace",
			     ret == -EOPNOTSUPP ?
			     "the loaded nqstat module is too old" : NULL);
		goto out;
	}
	if (l.n) {
		nq_tw_dests_sort(&l.v[0]);
		ret = nq_snapshot_set_module(s, &l.v[0], &ls);
		if (ret < 0) {
			nq_err("cannot take a snapshot: %s", strerror(-ret));
			goto out;
		}
	}
	s->time_ns = watch_now_ns();
	ret = nq_snapshot_read(s, "");
	if (ret < 0)
		nq_err("cannot read /proc or /etc: %s", strerror(-ret));
out:
	nq_listeners_free(&ls);
	nq_netns_list_free(&l);
	if (ret < 0)
		nq_snapshot_free(s);
	return ret;
}
