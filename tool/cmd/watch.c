// SPDX-License-Identifier: GPL-2.0
/*
 * Timing of watch mode (-i).
 */
#include <errno.h>
#include <time.h>

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
