/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus text exposition format of "report --prometheus", for
 * node_exporter's textfile collector: one document over any number of
 * namespaces, written from the field tables (out/f_listener.c,
 * out/f_netns.c, out/f_hook.c). Counters are the module's own, since the
 * listener was first seen or reset ("_total": rate() and increase() need
 * no window); gauges are queue lengths, limits and peaks. No I/O but the
 * stream, no global state.
 */
#ifndef NQSTAT_OUT_PROMETHEUS_H
#define NQSTAT_OUT_PROMETHEUS_H

#include <stdbool.h>
#include <stdio.h>

#include "model/model.h"
#include "model/snapshot.h"

/* One namespace of the document. */
struct nq_prom_ns {
	const struct nq_snapshot *s;	/* its listeners and figures */
	const char *name;		/* its "ip netns" name, or NULL */
};

/* Parts of a report that can fail: bits of struct nq_prom_doc.failed. */
enum {
	NQ_PROM_PART_STATUS	= 1U << 0,
	NQ_PROM_PART_LISTENERS	= 1U << 1,
	NQ_PROM_PART_NAMESPACES	= 1U << 2,
	NQ_PROM_PART_MODULE	= 1U << 3,	/* no nqstat family */
};

struct nq_prom_doc {
	const struct nq_status *st;	/* NULL: no health section */
	const struct nq_prom_ns *ns;
	size_t n_ns;
	/*
	 * NQ_PROM_PART_* that could not be read: nqstat_report_errors
	 * {part} 1 (0 for the others), nqstat_up 0 with NQ_PROM_PART_MODULE.
	 * Written only when health is: with st, or any bit set.
	 */
	unsigned int failed;
	bool health;			/* write nqstat_up and the errors */
};

/*
 * The families the writer adds to those of the field tables (health of
 * the report itself), NULL-terminated: with the tables, every metric
 * name the document can hold.
 */
extern const char *const nq_prom_health_families[];

/*
 * Writes the document. Every family's HELP and TYPE once, its samples
 * (of every namespace) after them; a family none of whose values is
 * known is left out. Returns 0, -ENOMEM or -EIO.
 */
int nq_prom_print(FILE *out, const struct nq_prom_doc *d);

/*
 * Appends the label name="v" to buf (len bytes, NUL-terminated), with a
 * comma unless buf is empty; \, " and newline escaped. Truncated labels
 * are dropped whole. Returns 0 or -ENOSPC.
 */
int nq_prom_label(char *buf, size_t len, const char *name, const char *v);

#endif /* NQSTAT_OUT_PROMETHEUS_H */
