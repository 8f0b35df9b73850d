/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Arrays of listeners: growth, ordering, lookup and rates. No I/O.
 */
#ifndef NQSTAT_LISTENERS_H
#define NQSTAT_LISTENERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nlparse.h"

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

#endif /* NQSTAT_LISTENERS_H */
