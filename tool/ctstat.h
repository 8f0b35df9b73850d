/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "ct": connection tracking pressure per network namespace. The figures
 * derived from NQSTAT_A_NETNS_CT, their rates, and the text and JSON
 * reports, written to any stream. No netlink, no global state.
 */
#ifndef NQSTAT_CTSTAT_H
#define NQSTAT_CTSTAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "nlparse.h"
#include "twstat.h"

/* A table this full or more is flagged. */
#define NQ_CT_USE_WARN 0.9

/* The conntrack counters that have rates, in display order. */
extern const unsigned int nq_ct_counters[];
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

/*
 * The report of "ct" for the namespaces of l, in their order, with
 * rates[i] for l->v[i] in watch mode (rates not NULL; elapsed_ns is the
 * interval). Same layout rules and return values as tw_print_text() and
 * tw_print_json().
 */
int ct_print_text(FILE *f, const struct nq_netns_list *l,
		  const struct nq_netns_rates *rates, uint64_t elapsed_ns);
int ct_print_json(FILE *f, bool pretty, const struct nq_netns_list *l,
		  const struct nq_netns_rates *rates, uint64_t elapsed_ns);

#endif /* NQSTAT_CTSTAT_H */
