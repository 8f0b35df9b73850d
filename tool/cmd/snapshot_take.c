// SPDX-License-Identifier: GPL-2.0
/*
 * Taking a snapshot of the current network namespace: the module's dumps
 * and the files of /proc and /etc (snapshot_read.c); one, or two a
 * --duration apart (recommend, report).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "model/modstate.h"
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
	if (!nl) {		/* without the module: the kernel's part only */
		s->kernel_only = true;
		goto kernel;
	}
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
kernel:
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

int nq_duration_wait(uint64_t deadline_ns, const sigset_t *set)
{
	uint64_t now, left;
	bool tty = isatty(STDERR_FILENO);
	int ret;

	if (!tty)
		return watch_wait_until(deadline_ns, set);
	for (;;) {
		now = watch_now_ns();
		left = deadline_ns > now ? deadline_ns - now : 0;
		if (!left)
			break;
		/* Whole seconds left, rounded up; ticks on the second. */
		fprintf(stderr, "\r%s: observing, %" PRIu64 " s left ",
			PROG_NAME, (left + 999999999U) / 1000000000U);
		fflush(stderr);
		ret = watch_wait_until(now + ((left - 1) % 1000000000U) + 1,
				       set);
		if (ret) {
			fputs("\n", stderr);
			return ret;
		}
	}
	/* Erase the line. */
	fprintf(stderr, "\r%*s\r", (int)strlen(PROG_NAME) + 32, "");
	fflush(stderr);
	return 0;
}

static int pair(const struct options *o, struct nq_snapshot *prev,
		struct nq_snapshot *cur, bool *have_prev, bool *kernel_only,
		struct nq_modfacts *facts)
{
	struct nq_nl *nl;
	sigset_t set;
	int ret;

	*have_prev = false;
	ret = nq_connect_kernel(o, &nl, kernel_only ? facts : NULL);
	if (ret == 1) {
		*kernel_only = true;
		nq_modstate_print(facts, true);
	} else if (ret) {
		return -EIO;
	}
	if (o->duration_ms) {
		ret = watch_block_signals(&set);
		if (ret < 0) {
			nq_err("cannot block signals: %s", strerror(-ret));
			goto out;
		}
		ret = nq_snapshot_take(nl, prev);
		if (ret < 0)
			goto out;
		ret = nq_duration_wait(prev->time_ns +
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

int nq_snapshot_pair(const struct options *o, struct nq_snapshot *prev,
		     struct nq_snapshot *cur, bool *have_prev)
{
	return pair(o, prev, cur, have_prev, NULL, NULL);
}

int nq_snapshot_pair_kernel(const struct options *o, struct nq_snapshot *prev,
			    struct nq_snapshot *cur, bool *have_prev,
			    bool *kernel_only, struct nq_modfacts *facts)
{
	*kernel_only = false;
	return pair(o, prev, cur, have_prev, kernel_only, facts);
}
