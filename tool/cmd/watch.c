// SPDX-License-Identifier: GPL-2.0
/*
 * Watch mode (-i): the loop and its timing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/watch.h"

uint64_t watch_now_ns(void)
{
	struct timespec ts;

	/* Cannot fail with a valid clock and pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000U + (uint64_t)ts.tv_nsec;
}

int watch_block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, set, NULL) < 0)
		return -errno;
	return 0;
}

int watch_wait_until(uint64_t deadline_ns, const sigset_t *set)
{
	for (;;) {
		uint64_t now = watch_now_ns(), left;
		struct timespec ts;

		left = deadline_ns > now ? deadline_ns - now : 0;
		ts.tv_sec = (time_t)(left / 1000000000U);
		ts.tv_nsec = (long)(left % 1000000000U);
		if (sigtimedwait(set, NULL, &ts) >= 0)
			return 1;
		if (errno == EAGAIN)
			return 0;
		if (errno != EINTR)
			return -errno;
	}
}

int watch_run(const struct options *o, const struct watch_ops *ops)
{
	const uint64_t interval_ns = (uint64_t)o->interval_ms * 1000000U;
	uint64_t t_prev, t_cur, deadline;
	int prev = 0, cur = 1, ret;
	unsigned int n;
	sigset_t set;

	ret = watch_block_signals(&set);
	if (ret < 0) {
		nq_err("cannot block signals: %s", strerror(-ret));
		return EXIT_ERROR;
	}
	ret = ops->dump(ops->ctx, prev);
	t_prev = watch_now_ns();
	deadline = t_prev;
	for (n = 0; !ret && (!o->count || n < o->count); n++) {
		deadline += interval_ns;
		ret = watch_wait_until(deadline, &set);
		if (ret) {
			if (ret < 0)
				nq_err("cannot wait: %s", strerror(-ret));
			ret = ret < 0 ? ret : 0;
			break;
		}
		ret = ops->dump(ops->ctx, cur);
		if (ret < 0)
			break;
		t_cur = watch_now_ns();
		/* Fell behind (stopped, slow output): skip missed reports. */
		if (deadline + interval_ns < t_cur)
			deadline = t_cur;
		/* Text reports are separated by an empty line. */
		if (n && !o->json)
			putchar('\n');
		ret = ops->report(ops->ctx, cur, prev, t_cur - t_prev);
		if (ret < 0)
			break;
		if (fflush(stdout) == EOF) {
			ret = -errno;
			nq_err("cannot write output: %s", strerror(-ret));
			break;
		}
		prev = cur;
		cur = !cur;
		t_prev = t_cur;
	}
	return ret < 0 ? EXIT_ERROR : 0;
}
