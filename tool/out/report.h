/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "report": capacity planning over a window, from two snapshots of one
 * namespace (or one, without rates): per listener the peak queue use
 * against its limit and the drop rates; TIME_WAIT and port range use;
 * conntrack use. Text, JSON and the Prometheus text exposition format
 * (node_exporter's textfile collector), written to any stream. No other
 * I/O, no global state.
 */
#ifndef NQSTAT_REPORT_H
#define NQSTAT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/snapshot.h"

/*
 * prev is NULL without a window (no rates). Return 0, -ENOMEM or -EIO
 * (JSON: -EINVAL for a bug).
 */
int report_print_text(FILE *out, const struct nq_snapshot *cur,
		      const struct nq_snapshot *prev);
int report_print_json(FILE *out, bool pretty, const struct nq_snapshot *cur,
		      const struct nq_snapshot *prev);
/* The same, the namespace's "ip netns" name (NULL: none) with it. */
int report_print_text_ns(FILE *out, const struct nq_snapshot *cur,
			 const struct nq_snapshot *prev, const char *name);
int report_print_json_ns(FILE *out, bool pretty,
			 const struct nq_snapshot *cur,
			 const struct nq_snapshot *prev, const char *name);
/* One namespace, without health figures (out/prometheus.h: the rest). */
int report_print_prometheus(FILE *out, const struct nq_snapshot *cur,
			    const struct nq_snapshot *prev);

/*
 * Share of a queue's capacity (limit + 1: the kernel's checks use '>')
 * the peak took, a fraction at most 1. False without a limit.
 */
bool nq_queue_use(uint32_t peak, uint32_t limit, double *use);

#endif /* NQSTAT_REPORT_H */
