/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "tw": TIME_WAIT and local port use per network namespace. Arrays of
 * namespaces, the figures derived from them, rates, and the text and JSON
 * reports, written to any stream. No netlink, no global state.
 */
#ifndef NQSTAT_TWSTAT_H
#define NQSTAT_TWSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nlparse.h"

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
	uint32_t present;		/* NQ_BIT(NQSTAT_A_NETNS_*) */
	double v[NQSTAT_A_NETNS_MAX + 1];
	uint32_t ct_present;		/* NQ_BIT(NQSTAT_A_CT_*) */
	double ct[NQSTAT_A_CT_MAX + 1];	/* NQSTAT_A_NETNS_CT's counters */
};

/* The counters that have rates, in display order. */
extern const unsigned int nq_netns_counters[];
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
 * The report of "tw" for the namespaces of l, in their order, with
 * rates[i] for l->v[i] in watch mode (rates not NULL; elapsed_ns is the
 * interval). Text: one block per namespace, blocks separated by an empty
 * line, after a line "rates over S s" in watch mode. JSON: one document.
 * Return 0, -ENOMEM or -EIO (stream error; JSON: -EINVAL for a bug).
 */
/*
 * The per-namespace reports ("tw", "ct"): a block of text, or a JSON
 * object, for one namespace (r: its rates, NULL but in watch mode), and
 * the document of all of them in l's order. Text: blocks separated by an
 * empty line, after a line "rates over S s" in watch mode. JSON:
 * {"elapsed_ms": N (watch mode), "namespaces": [OBJECT, ...]}.
 */
struct json;
typedef int nq_netns_block_fn(FILE *f, const struct nq_netns *ns,
			      const struct nq_netns_rates *r);
typedef void nq_netns_json_fn(struct json *j, const struct nq_netns *ns,
			      const struct nq_netns_rates *r);
int nq_netns_print_text(FILE *f, const struct nq_netns_list *l,
			const struct nq_netns_rates *rates,
			uint64_t elapsed_ns, nq_netns_block_fn *block);
int nq_netns_print_json(FILE *f, bool pretty, const struct nq_netns_list *l,
			const struct nq_netns_rates *rates,
			uint64_t elapsed_ns, nq_netns_json_fn *object);
/* A block's first line: "netns INODE (cookie COOKIE)". */
void nq_netns_print_header(FILE *f, const struct nq_netns *ns);
/* The fields netns_inode and netns_cookie of a namespace's object. */
void nq_netns_json_ids(struct json *j, const struct nq_netns *ns);

int tw_print_text(FILE *f, const struct nq_netns_list *l,
		  const struct nq_netns_rates *rates, uint64_t elapsed_ns);
int tw_print_json(FILE *f, bool pretty, const struct nq_netns_list *l,
		  const struct nq_netns_rates *rates, uint64_t elapsed_ns);

/* Meaning of a tcp_tw_reuse / tcp_timestamps value, NULL if unknown. */
const char *format_tw_reuse(uint8_t v);		/* "loopback only" */
const char *format_timestamps(uint8_t v);	/* "on" */

/*
 * The warning of a destination's port range use (a fraction): "" below
 * NQ_PORT_RANGE_WARN, then "! near exhaustion", "!! exhausted" from 1.0.
 */
const char *format_port_range_mark(double use);

#endif /* NQSTAT_TWSTAT_H */
