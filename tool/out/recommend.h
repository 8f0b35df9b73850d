/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The findings of "recommend" as text, JSON or a sysctl.d drop-in.
 */
#ifndef NQSTAT_OUT_RECOMMEND_H
#define NQSTAT_OUT_RECOMMEND_H

#include <stdint.h>
#include <stdio.h>

#include "model/findings.h"

/*
 * Output: human text grouped by namespace and severity; JSON (one
 * document); a sysctl.d drop-in of the settable findings with their
 * evidence as comments. Return 0, -ENOMEM or -EIO (JSON: -EINVAL a bug).
 */
int recommend_print_text(FILE *out, const struct nq_findings *f,
			 uint64_t elapsed_ns);
int recommend_print_json(FILE *out, bool pretty, const struct nq_findings *f,
			 uint64_t elapsed_ns);
int recommend_print_conf(FILE *out, const struct nq_findings *f);

/* Which namespace a drop-in is for: where it must be loaded. */
struct nq_conf_target {
	const char *netns_name;		/* ip netns name (-n), or NULL */
	bool init_known;		/* whether init is known */
	bool init;			/* the host's (initial) namespace */
};

/*
 * The drop-in for target t: for the initial namespace, a file of
 * /etc/sysctl.d/; for another, to load with ip netns exec NAME sysctl -p
 * FILE (never /etc/sysctl.d/, which sets the host's). recommend_print_conf()
 * is this for the initial namespace.
 */
int recommend_print_conf_to(FILE *out, const struct nq_findings *f,
			    const struct nq_conf_target *t);

#endif /* NQSTAT_OUT_RECOMMEND_H */
