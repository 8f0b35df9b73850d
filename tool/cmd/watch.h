/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Watch mode (-i): the one loop of every subcommand that has one, driven
 * by callbacks, and its timing.
 */
#ifndef NQSTAT_WATCH_H
#define NQSTAT_WATCH_H

#include <signal.h>
#include <stdint.h>

#include "cmd/options.h"

/*
 * What a subcommand gives the loop. It keeps two snapshots, slots 0 and
 * 1, which the loop takes turns to fill: the first at the start, then one
 * every interval, each reported against the one before.
 */
struct watch_ops {
	void *ctx;
	/*
	 * Takes a snapshot into slot (emptied first). Returns 0, or -errno
	 * after printing why.
	 */
	int (*dump)(void *ctx, int slot);
	/*
	 * Prints the report of slot cur, with the rates since slot prev,
	 * elapsed_ns earlier. Returns 0, or -errno after printing why.
	 */
	int (*report)(void *ctx, int cur, int prev, uint64_t elapsed_ns);
};

/*
 * Every o->interval_ms, a snapshot and its report, until o->count
 * reports (0: no limit) or SIGINT/SIGTERM; text reports (not o->json)
 * are separated by an empty line, and stdout is flushed after each.
 * Returns 0 or EXIT_ERROR (the error printed).
 */
int watch_run(const struct options *o, const struct watch_ops *ops);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t watch_now_ns(void);

/*
 * Blocks SIGINT and SIGTERM, whose set goes to *set: they are then taken
 * by watch_wait_until(), so that one arriving at any time ends the loop
 * cleanly. Returns 0 or -errno.
 */
int watch_block_signals(sigset_t *set);

/*
 * Waits until the monotonic clock reaches deadline_ns or a signal of set
 * (blocked) arrives. Returns 1 for a signal, 0 at the deadline, or -errno.
 */
int watch_wait_until(uint64_t deadline_ns, const sigset_t *set);

#endif /* NQSTAT_WATCH_H */
