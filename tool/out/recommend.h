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

#endif /* NQSTAT_OUT_RECOMMEND_H */
