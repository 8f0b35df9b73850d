/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timing of watch mode (-i), shared by the subcommands that have one.
 */
#ifndef NQSTAT_WATCH_H
#define NQSTAT_WATCH_H

#include <signal.h>
#include <stdint.h>

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
