// SPDX-License-Identifier: GPL-2.0
/*
 * Taking a snapshot of the current network namespace: the module's dumps
 * and the files of /proc and /etc (snapshot_read.c); one, or two a
 * --duration apart (recommend, report).
 */
#include <errno.h>
#include <string.h>

#include "cmd/cmd.h"
#include "model/snapshot.h"
#include "out/netns.h"
#include "cmd/watch.h"
#include "nl/sockdiag.h"

int nq_snapshot_take(struct nq_nl *nl, struct nq_snapshot *s)
{
	struct nq_dump_req lreq = { 0 };
	/*
	 * Destination rows are wanted: the port rules of recommend and the
	 * busiest destination of report read them (NQSTAT_A_TOP_N asks the
	 * module for the walk).
	 */
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
	if (ret < 0) {
		nq_err("cannot read /proc or /etc: %s", strerror(-ret));
		goto out;
	}
	/*
	 * Listeners' drops, CLOSE_WAIT and FIN_WAIT2 from sock_diag; without
	 * it (inet_diag not available), the sockets from /proc/net/tcp.
	 */
	ret = nq_sockdiag_read(s);
	if (ret < 0 && !s->has_sockets) {
		ret = nq_snapshot_read_sockets(s, "");
		if (ret < 0)
			nq_err("cannot read the sockets: %s", strerror(-ret));
	} else {
		ret = 0;
	}
out:
	nq_listeners_free(&ls);
	nq_netns_list_free(&l);
	if (ret < 0)
		nq_snapshot_free(s);
	return ret;
}

int nq_snapshot_pair(const struct options *o, struct nq_snapshot *prev,
		     struct nq_snapshot *cur, bool *have_prev)
{
	struct nq_nl *nl;
	sigset_t set;
	int ret;

	*have_prev = false;
	ret = nq_connect(o, &nl);
	if (ret)
		return -EIO;
	if (o->duration_ms) {
		ret = watch_block_signals(&set);
		if (ret < 0) {
			nq_err("cannot block signals: %s", strerror(-ret));
			goto out;
		}
		ret = nq_snapshot_take(nl, prev);
		if (ret < 0)
			goto out;
		ret = watch_wait_until(prev->time_ns +
				       (uint64_t)o->duration_ms * 1000000U,
				       &set);
		if (ret) {
			if (ret < 0)
				nq_err("cannot wait: %s", strerror(-ret));
			else
				nq_err("interrupted before the end of the duration");
			nq_snapshot_free(prev);
			ret = -EINTR;
			goto out;
		}
		*have_prev = true;
	}
	ret = nq_snapshot_take(nl, cur);
	if (ret < 0 && *have_prev) {
		nq_snapshot_free(prev);
		*have_prev = false;
	}
out:
	nq_nl_close(nl);
	return ret;
}
