/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rule files share: the context of one run, the helpers that
 * make findings, and the families of rules (engine.c walks them).
 */
#ifndef NQSTAT_RULES_RULES_H
#define NQSTAT_RULES_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/netns.h"
#include "out/format.h"
#include "rules/messages.h"
#include "rules/recommend.h"

/* One listener's counters over the window (or since first seen). */
struct lwin {
	const struct nq_listener *l;
	bool windowed;
	uint64_t d[NQSTAT_CTR_MAX + 1];
	struct nq_rates r;		/* windowed only */
	char ep[FORMAT_ENDPOINT_LEN];
};

/*
 * What the tracked listeners lost over the window (or since each was
 * first seen), by the kernel's counter each drop also increments:
 * rules_listeners() sums it, rule_losses() compares it with the
 * namespace's own counters.
 */
struct tracked {
	uint64_t mib[NQ_N_MIB];
};

struct ctx {
	const struct nq_snapshot *cur, *prev;
	struct tracked trk;
	struct nq_index prev_idx;	/* prev's listeners by cookie */
	uint64_t elapsed_ns;
	struct nq_findings *f;
	int err;
	uint32_t netns;
};


/* Listener counters count since the listener was first seen. */
#define SINCE_LISTENER "since the listener was first seen"
/* Namespace counters: since the module was loaded or the netns created. */
#define SINCE_NETNS "since nqstat started counting"

/* A string made by printf into the findings' memory; NULL on failure. */
char *rq_fmt(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * A finding of message id added to c->f, titled by the message table
 * (its sysctl or subject); NULL on failure (c->err set).
 */
struct nq_finding *rq_add(struct ctx *c, enum nq_severity sev,
			  enum rq_msg_id id);
/* fd (NULL: nothing) titled as message id instead. */
void rq_retitle(struct nq_finding *fd, enum rq_msg_id id);
/*
 * fd's reasoning, or its risk, from message id's format and the
 * arguments rules/messages.h lists for it. Nothing when fd is NULL.
 */
void rq_reasoning(struct ctx *c, struct nq_finding *fd, enum rq_msg_id id,
		  ...);
void rq_risk(struct ctx *c, struct nq_finding *fd, enum rq_msg_id id, ...);
/* Phrase k of message id ("" when it has none). */
const char *rq_part(enum rq_msg_id id, unsigned int k);
void rq_evidence(struct ctx *c, struct nq_finding *fd, const char *f, ...)
	__attribute__((format(printf, 3, 4)));
void rq_values(struct ctx *c, struct nq_finding *fd, bool has_cur,
	    uint64_t cur, bool has_rec, uint64_t rec);
bool rq_sys(const struct ctx *c, unsigned int s, uint64_t *v);
const char *rq_window(const struct ctx *c, bool windowed, const char *since,
		   char *buf, size_t len);
uint64_t ns_delta(const struct ctx *c, unsigned int attr, bool *win);
uint64_t mem_cap(const struct ctx *c, uint64_t bytes);

/* The families of rules. */
void rules_listeners(struct ctx *c);
void rule_tw_buckets(struct ctx *c);
void rule_ports(struct ctx *c);
void rule_recycle(struct ctx *c);
void rule_conntrack(struct ctx *c);
void rule_fin_wait2(struct ctx *c);
void rule_orphans(struct ctx *c);
void rule_close_wait(struct ctx *c);
void rule_syn_retries(struct ctx *c);
void rule_losses(struct ctx *c);
void rule_overrides(struct ctx *c);

#endif /* NQSTAT_RULES_RULES_H */
