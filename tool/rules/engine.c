// SPDX-License-Identifier: GPL-2.0
/*
 * "recommend": the rule engine, from a snapshot to findings. No I/O. The
 * rules, one file per family (listener.c, timewait.c, conntrack.c,
 * sockets.c, conffiles.c, losses.c last), are walked from rules[] in a
 * fixed order; findings are then sorted by severity.
 *
 * The kernel's semantics the rules rely on are those of the project's
 * Documentation/scenarios.md: a listener's SYN queue and accept queue are
 * both bounded by its backlog, min(listen() backlog, somaxconn);
 * tcp_max_syn_backlog matters only with syncookies off; TIME_WAIT lasts
 * 60 s whatever tcp_fin_timeout says.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

uint64_t nq_round_pow2(uint64_t v)
{
	uint64_t p = 1;

	while (p < v && p <= UINT64_MAX / 2)
		p *= 2;
	return p;
}

uint64_t nq_round_up(uint64_t v, uint64_t step)
{
	if (!step || v > UINT64_MAX - step)
		return v;
	return (v + step - 1) / step * step;
}


static char *vfmt(struct ctx *c, const char *fmt, va_list ap)
{
	char *s;

	if (c->err)
		return NULL;
	if (vasprintf(&s, fmt, ap) < 0) {
		c->err = -ENOMEM;
		return NULL;
	}
	return s;
}

char *rq_fmt(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vfmt(c, fmt, ap);
	va_end(ap);
	return s;
}

/* A new finding; valid until the next add(). NULL after a failure. */
struct nq_finding *rq_add(struct ctx *c, enum nq_severity sev,
			  enum rq_msg_id id)
{
	struct nq_findings *f = c->f;
	struct nq_finding *fd;

	if (c->err)
		return NULL;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct nq_finding *v = realloc(f->v, cap * sizeof(*v));

		if (!v) {
			c->err = -ENOMEM;
			return NULL;
		}
		f->v = v;
		f->cap = cap;
	}
	fd = &f->v[f->n++];
	memset(fd, 0, sizeof(*fd));
	fd->netns = c->netns;
	fd->severity = sev;
	rq_retitle(fd, id);
	return fd;
}

void rq_retitle(struct nq_finding *fd, enum rq_msg_id id)
{
	if (!fd)
		return;
	fd->sysctl = rq_msgs[id].sysctl;
	fd->subject = rq_msgs[id].subject;
}

void rq_reasoning(struct ctx *c, struct nq_finding *fd, enum rq_msg_id id,
		  ...)
{
	va_list ap;

	if (!fd)
		return;
	va_start(ap, id);
	fd->reasoning = vfmt(c, rq_msgs[id].reasoning, ap);
	va_end(ap);
}

void rq_risk(struct ctx *c, struct nq_finding *fd, enum rq_msg_id id, ...)
{
	va_list ap;

	if (!fd)
		return;
	va_start(ap, id);
	fd->risk = vfmt(c, rq_msgs[id].risk, ap);
	va_end(ap);
}

const char *rq_part(enum rq_msg_id id, unsigned int k)
{
	return k < RQ_MAX_PARTS && rq_msgs[id].parts[k] ?
	       rq_msgs[id].parts[k] : "";
}

void rq_evidence(struct ctx *c, struct nq_finding *fd, const char *f, ...)
{
	va_list ap;
	char **v, *s;

	if (!fd)
		return;
	va_start(ap, f);
	s = vfmt(c, f, ap);
	va_end(ap);
	if (!s)
		return;
	v = realloc(fd->evidence, (fd->n_evidence + 1) * sizeof(*v));
	if (!v) {
		free(s);
		c->err = -ENOMEM;
		return;
	}
	fd->evidence = v;
	v[fd->n_evidence++] = s;
}

/* Sets the value strings of fd: "%" PRIu64, or NULL. */
void rq_values(struct ctx *c, struct nq_finding *fd, bool has_cur,
		   uint64_t cur, bool has_rec, uint64_t rec)
{
	if (!fd)
		return;
	if (has_cur)
		fd->current = rq_fmt(c, "%" PRIu64, cur);
	if (has_rec)
		fd->recommended = rq_fmt(c, "%" PRIu64, rec);
}

bool rq_sys(const struct ctx *c, unsigned int s, uint64_t *v)
{
	return nq_snap_sys(c->cur, s, v);
}


/* "in 10.0 s" over a window, else since. */
const char *rq_window(const struct ctx *c, bool windowed,
			  const char *since, char *buf, size_t len)
{
	if (windowed)
		snprintf(buf, len, "in %.1f s", (double)c->elapsed_ns / 1e9);
	else
		snprintf(buf, len, "%s", since);
	return buf;
}

uint64_t ns_delta(const struct ctx *c, unsigned int attr, bool *win)
{
	const struct nq_netns *ns = &c->cur->ns, *p;
	uint64_t v = nq_netns_counter(ns, attr), pv;

	*win = false;
	if (!nq_known(nq_netns_counter(ns, attr)))
		return 0;
	if (!c->prev || !c->prev->has_netns)
		return v;
	p = &c->prev->ns;
	pv = nq_netns_counter(p, attr);
	if (!nq_known(pv) || pv > v)
		return v;
	*win = true;
	return v - pv;
}

/* The table's memory budget for objects of size bytes, 0: unknown. */
uint64_t mem_cap(const struct ctx *c, uint64_t bytes)
{
	if (!c->cur->has_mem_total || !bytes)
		return 0;
	return c->cur->mem_total_bytes / NQ_REC_MEM_SHARE / bytes;
}

static int sort_by_severity(struct nq_findings *f)
{
	struct nq_finding *v;
	size_t i, n = 0;
	int s;

	if (f->n < 2)
		return 0;
	v = malloc(f->n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (s = 0; s < NQ_N_SEV; s++)
		for (i = 0; i < f->n; i++)
			if ((int)f->v[i].severity == s)
				v[n++] = f->v[i];
	free(f->v);
	f->v = v;
	f->cap = f->n;
	return 0;
}

/* The families of rules, in the order their findings are made. */
static const struct rule {
	const char *name;
	bool needs_netns;		/* the module's namespace figures */
	void (*run)(struct ctx *c);
} rules[] = {
	{ "listener queues", false, rules_listeners },
	{ "tcp_max_tw_buckets", true, rule_tw_buckets },
	{ "ip_local_port_range", true, rule_ports },
	{ "nf_conntrack_max", true, rule_conntrack },
	{ "tcp_fin_timeout", true, rule_fin_wait2 },
	{ "tcp_max_orphans", false, rule_orphans },
	{ "CLOSE_WAIT", false, rule_close_wait },
	{ "tcp_syn_retries", true, rule_syn_retries },
	{ "tcp_tw_recycle", false, rule_recycle },
	/* The files that would undo a recommended value. */
	{ "sysctl.d overrides", false, rule_overrides },
	/* Last: what the findings above leave unexplained. */
	{ "kernel loss counters", false, rule_losses },
};

int nq_recommend(const struct nq_snapshot *cur, const struct nq_snapshot *prev,
		 struct nq_findings *f)
{
	struct ctx c = { .cur = cur, .prev = prev, .f = f };
	size_t i;

	memset(f, 0, sizeof(*f));
	if (prev && cur->time_ns > prev->time_ns)
		c.elapsed_ns = cur->time_ns - prev->time_ns;
	else
		c.prev = NULL;
	if (cur->has_netns && nq_known(cur->ns.inode))
		c.netns = cur->ns.inode;
	if (c.prev && nq_index_build(&c.prev_idx, &c.prev->ls) < 0)
		return -ENOMEM;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (cur->has_netns || !rules[i].needs_netns)
			rules[i].run(&c);
	nq_index_free(&c.prev_idx);
	if (!c.err)
		c.err = sort_by_severity(f);
	if (c.err) {
		nq_findings_free(f);
		return c.err;
	}
	return 0;
}
