/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-namespace reports, "tw" and "ct", as text and JSON, written to
 * any stream. No netlink, no global state.
 */
#ifndef NQSTAT_OUT_NETNS_H
#define NQSTAT_OUT_NETNS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/netns.h"

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

#endif /* NQSTAT_OUT_NETNS_H */
