/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Arrays of listeners: growth, ordering, lookup and rates. No I/O.
 */
#ifndef NQSTAT_LISTENERS_H
#define NQSTAT_LISTENERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

struct nq_listeners {
	struct nq_listener *v;
	size_t n;
	size_t cap;
};

/* Returns 0 or -ENOMEM. */
int nq_listeners_push(struct nq_listeners *ls, const struct nq_listener *l);
void nq_listeners_clear(struct nq_listeners *ls);	/* keeps the memory */
void nq_listeners_free(struct nq_listeners *ls);

/*
 * Display order: port, then address (IPv4 before IPv6, then by bytes), then
 * namespace inode, then cookie. Absent attributes sort first.
 */
int nq_listener_cmp(const struct nq_listener *a, const struct nq_listener *b);
void nq_listeners_sort(struct nq_listeners *ls);

/* Lookup by socket cookie (unique for the boot). */
struct nq_index {
	const struct nq_listener **v;
	size_t n;
};

/* Indexes the listeners of ls that have a cookie. Returns 0 or -ENOMEM. */
int nq_index_build(struct nq_index *idx, const struct nq_listeners *ls);
const struct nq_listener *nq_index_find(const struct nq_index *idx,
					uint64_t cookie);
void nq_index_free(struct nq_index *idx);

/*
 * Per-second rate of counter ctr between two samples of one listener taken
 * elapsed_ns apart. False (unknown) if either sample lacks the counter, it
 * went backwards (the module was reloaded) or elapsed_ns is 0.
 */
bool nq_rate(const struct nq_listener *prev, const struct nq_listener *cur,
	     unsigned int ctr, uint64_t elapsed_ns, double *rate);

/*
 * Whether the counters of the listener were reset between the samples prev
 * and cur: its time since the last reset appeared or went backwards.
 */
bool nq_reset_between(const struct nq_listener *prev,
		      const struct nq_listener *cur);

/* Per-second rates of one listener's counters over an interval. */
struct nq_rates {
	double drops_total;		/* of nq_drops_total(); NAN unknown */
	double kernel_drops;		/* of sk_drops; NAN unknown */
	double v[NQSTAT_CTR_MAX + 1];	/* by NQSTAT_CTR_*; NAN unknown */
};

/* Every rate unknown (NAN). */
void nq_rates_init(struct nq_rates *r);

/*
 * Rates of every counter (nq_rate()) and of the drops total between two
 * samples of one listener taken elapsed_ns apart. None is known when the
 * counters were reset in between (nq_reset_between()), but that of
 * kernel_drops (sk_drops, which a reset leaves), known with the module or
 * without.
 */
void nq_rates_compute(const struct nq_listener *prev,
		      const struct nq_listener *cur, uint64_t elapsed_ns,
		      struct nq_rates *r);

/* A line of "show": a listener and, in watch mode, its rates. */
struct nq_row {
	const struct nq_listener *l;
	const struct nq_rates *r;	/* NULL: not in watch mode */
};

/*
 * Display order of "show": the highest drop rate first (rows with rates),
 * then the highest drops total, then nq_listener_cmp(). An unknown rate or
 * total sorts after every known one.
 */
int nq_row_cmp(const struct nq_row *a, const struct nq_row *b);
void nq_rows_sort(struct nq_row *rows, size_t n);

#endif /* NQSTAT_LISTENERS_H */
