/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Findings of "recommend": what the rules (rules/) produce and the output
 * (out/recommend.c) prints.
 */
#ifndef NQSTAT_MODEL_FINDINGS_H
#define NQSTAT_MODEL_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nq_severity {
	NQ_SEV_CRITICAL,	/* connections or packets are being lost */
	NQ_SEV_WARNING,		/* near a limit, or a harmful setting */
	NQ_SEV_INFO,
	NQ_N_SEV
};

const char *nq_severity_name(enum nq_severity s);	/* "critical" */

struct nq_modfacts;

struct nq_finding {
	uint32_t netns;			/* namespace inode, 0 unknown */
	char *netns_name;		/* its ip netns name, or NULL */
	enum nq_severity severity;
	/* The sysctl to change, or NULL when no sysctl is the cause. */
	const char *sysctl;
	/* What to change without a sysctl ("application listen() backlog"). */
	const char *subject;
	char *current;			/* NULL: unknown */
	char *recommended;		/* NULL: nothing to set (remove, fix) */
	/* recommended can be set in this namespace (--sysctl-conf). */
	bool settable;
	char **evidence;
	size_t n_evidence;
	char *reasoning;
	char *risk;
};

struct nq_findings {
	struct nq_finding *v;
	size_t n;
	size_t cap;
	/* From the kernel's counters alone: the module was not there. */
	bool kernel_only;
	/* Then, when known, why (JSON's "module"); not owned. */
	const struct nq_modfacts *modfacts;
};

void nq_findings_free(struct nq_findings *f);

/*
 * Moves every finding of from to the end of to, each given namespace
 * inode netns if it has none and the name name (may be NULL); from is left
 * empty. Returns 0 or -ENOMEM (then from keeps what was not moved).
 */
int nq_findings_move(struct nq_findings *to, struct nq_findings *from,
		     uint32_t netns, const char *name);

/* Whether a finding asks for a change (any finding does; info does not). */
bool nq_findings_actionable(const struct nq_findings *f);

#endif /* NQSTAT_MODEL_FINDINGS_H */
