/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespace records: TIME_WAIT, local ports and connection
 * tracking. Arrays of namespaces, the figures derived from them and their
 * rates. No I/O.
 */
#ifndef NQSTAT_MODEL_NETNS_H
#define NQSTAT_MODEL_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/model.h"

/* Rows of the destination table by default, and at most (NQSTAT_A_TOP_N). */
#define NQ_TOP_N_DEFAULT 10
#define NQ_TOP_N_MAX 100

/* A destination using this share of the port range or more is flagged. */
#define NQ_PORT_RANGE_WARN 0.8

struct nq_netns_list {
	struct nq_netns *v;
	size_t n;
	size_t cap;
};

/*
 * Appends *ns, taking over its destinations (ns is left without them).
 * Returns 0, or -ENOMEM (ns then still owns them).
 */
int nq_netns_list_push(struct nq_netns_list *l, struct nq_netns *ns);
/* Frees the namespaces' destinations, keeps the array. */
void nq_netns_list_clear(struct nq_netns_list *l);
void nq_netns_list_free(struct nq_netns_list *l);

/*
 * Number of ports of ip_local_port_range, high - low + 1. False (unknown)
 * when a bound is absent or low > high.
 */
bool nq_port_range_size(const struct nq_netns *ns, uint32_t *size);

/*
 * Share of the port range the TIME_WAIT sockets to d take, a fraction
 * (1.0 = every port): what one local address can still open to d. False
 * when the count or the range is unknown.
 */
bool nq_port_range_use(const struct nq_netns *ns, const struct nq_tw_dest *d,
		       double *use);

/*
 * Share of tcp_max_tw_buckets the TIME_WAIT sockets take, a fraction.
 * False when unknown or when the limit is 0 (no TIME_WAIT at all).
 */
bool nq_tw_limit_use(const struct nq_netns *ns, double *use);

/*
 * Sorts the destinations of ns: most TIME_WAIT sockets first, then IPv4
 * before IPv6, by address, by port, so that ties print in a stable order.
 */
void nq_tw_dests_sort(struct nq_netns *ns);

/* The namespace of l that is ns at another time (same cookie), or NULL. */
const struct nq_netns *nq_netns_find(const struct nq_netns_list *l,
				     const struct nq_netns *ns);

/* Per-second rates of a namespace's counters over an interval. */
struct nq_netns_rates {
	double v[NQSTAT_A_NETNS_MAX + 1];	/* NAN: unknown */
	double ct[NQSTAT_A_CT_MAX + 1];	/* NQSTAT_A_NETNS_CT's counters */
};

/* Every rate unknown (NAN). */
void nq_netns_rates_init(struct nq_netns_rates *r);

/* The counters that have rates, in display order. */
#define NQ_N_NETNS_COUNTERS 8
extern const unsigned int nq_netns_counters[NQ_N_NETNS_COUNTERS];
extern const size_t nq_n_netns_counters;

/* Value of counter attr (one of nq_netns_counters[]) of ns. */
uint64_t nq_netns_counter(const struct nq_netns *ns, unsigned int attr);

/*
 * Rates of the counters between two samples of one namespace taken
 * elapsed_ns apart. A counter absent from either sample, or that went
 * backwards (the module was reloaded), has none.
 */
void nq_netns_rates_compute(const struct nq_netns *prev,
			    const struct nq_netns *cur, uint64_t elapsed_ns,
			    struct nq_netns_rates *r);

/*
 * Mean time, in seconds, the connect() attempts that failed after SYN
 * retransmissions waited (from their first SYN), between two samples of
 * one namespace (prev NULL: since nqstat started counting). False when
 * unknown or when none failed.
 */
bool nq_connect_failed_mean_s(const struct nq_netns *prev,
			      const struct nq_netns *cur, double *mean);

/* Connection tracking (NQSTAT_A_NETNS_CT). */

/* A table this full or more is flagged. */
#define NQ_CT_USE_WARN 0.9

/* The conntrack counters that have rates, in display order. */
#define NQ_N_CT_COUNTERS 4
extern const unsigned int nq_ct_counters[NQ_N_CT_COUNTERS];
extern const size_t nq_n_ct_counters;

/* Value of counter attr (one of nq_ct_counters[]) of ct. */
uint64_t nq_ct_counter(const struct nq_ct *ct, unsigned int attr);

/*
 * Rates of the counters between two samples taken elapsed_ns apart, into
 * r->ct and r->ct_present. None for a counter absent from either sample,
 * or that went backwards (the kernel's statistics restart when
 * nf_conntrack is loaded again).
 */
void nq_ct_rates_compute(const struct nq_ct *prev, const struct nq_ct *cur,
			 uint64_t elapsed_ns, struct nq_netns_rates *r);

/* Whether nf_conntrack was loaded when the sample was taken. */
bool nq_ct_loaded(const struct nq_ct *ct);

/*
 * Share of nf_conntrack_max that v entries take, a fraction. False when
 * unknown or when the limit is 0.
 */
bool nq_ct_use(const struct nq_ct *ct, uint32_t v, double *use);

#endif /* NQSTAT_MODEL_NETNS_H */
