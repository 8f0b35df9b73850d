/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers: records of the model with some values unknown, named by
 * the netlink attribute that would have carried them (NQSTAT_A_*), so
 * that a test can say "as if the module had not sent X".
 */
#ifndef NQSTAT_TESTS_TMODEL_H
#define NQSTAT_TESTS_TMODEL_H

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/model.h"

#define TBIT(n) (UINT32_C(1) << (n))
/* Every sysctl of a namespace record, for t_netns_mask(). */
#define SYSCTLS_ALL (TBIT(NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS) | \
		     TBIT(NQSTAT_A_SYSCTL_PORT_RANGE_LOW) | \
		     TBIT(NQSTAT_A_SYSCTL_PORT_RANGE_HIGH) | \
		     TBIT(NQSTAT_A_SYSCTL_TCP_TW_REUSE) | \
		     TBIT(NQSTAT_A_SYSCTL_TCP_TIMESTAMPS) | \
		     TBIT(NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT))

/* Reports carry a timestamp: a fixed one, 2023-11-14T22:13:20.123Z. */
__attribute__((constructor)) static void t_fixed_time(void)
{
	extern uint64_t nq_report_time_ms;

	nq_report_time_ms = 1700000000123ULL;
}

static inline void t_clear_listener(struct nq_listener *l, unsigned int a)
{
	switch (a) {
	case NQSTAT_A_LISTENER_COOKIE: l->cookie = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_NETNS_INODE: l->netns_inode = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_NETNS_COOKIE: l->netns_cookie = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_FAMILY: l->family = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_ADDR: l->addr_len = 0; break;
	case NQSTAT_A_LISTENER_PORT: l->port = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_IFINDEX: l->ifindex = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_STATE: l->state = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_BACKLOG: l->backlog = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_CLOSED_MSECS: l->closed_ms = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_BACKLOG_SOURCE: l->backlog_source = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_ACCEPTQ_LEN: l->acceptq_len = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_SYNQ_LEN: l->synq_len = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_ACCEPTQ_PEAK: l->acceptq_peak = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_SYNQ_PEAK: l->synq_peak = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET: l->acceptq_peak_reset = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_SYNQ_PEAK_RESET: l->synq_peak_reset = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_KERNEL_DROPS: l->kernel_drops = NQ_UNKNOWN; break;
	case NQSTAT_A_LISTENER_RESET_MSECS: l->reset_ms = NQ_UNKNOWN; break;
	}
}

/* Only the attributes of present and counters of counters are known. */
static inline void t_listener_mask(struct nq_listener *l, uint32_t present,
				   uint32_t counters)
{
	unsigned int a;

	if (present & TBIT(NQSTAT_A_LISTENER_ADDR))
		l->addr_len = l->family == AF_INET6 ? 16 : 4;
	for (a = 1; a < 32; a++)
		if (!(present & TBIT(a)))
			t_clear_listener(l, a);
	for (a = 0; a <= NQSTAT_CTR_MAX; a++)
		if (!(counters & TBIT(a)))
			l->counters[a] = NQ_UNKNOWN;
}

static inline void t_clear_ct(struct nq_ct *ct, unsigned int a)
{
	switch (a) {
	case NQSTAT_A_CT_STATE: ct->state = NQ_UNKNOWN; break;
	case NQSTAT_A_CT_COUNT: ct->count = NQ_UNKNOWN; break;
	case NQSTAT_A_CT_PEAK: ct->peak = NQ_UNKNOWN; break;
	case NQSTAT_A_CT_LIMIT: ct->max = NQ_UNKNOWN; break;
	case NQSTAT_A_CT_BUCKETS: ct->buckets = NQ_UNKNOWN; break;
	case NQSTAT_A_CT_TABLE_FULL_DROPS: ct->table_full_drops = NQ_UNKNOWN; break;
	case NQSTAT_A_CT_EARLY_DROPS: ct->early_drops = NQ_UNKNOWN; break;
	case NQSTAT_A_CT_INSERT_FAILED: ct->insert_failed = NQ_UNKNOWN; break;
	case NQSTAT_A_CT_DROPS: ct->drops = NQ_UNKNOWN; break;
	}
}

static inline void t_ct_mask(struct nq_ct *ct, uint32_t present)
{
	unsigned int a;

	for (a = 1; a < 32; a++)
		if (!(present & TBIT(a)))
			t_clear_ct(ct, a);
}

static inline void t_clear_sysctl(struct nq_netns *ns, unsigned int a)
{
	switch (a) {
	case NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS: ns->max_tw_buckets = NQ_UNKNOWN; break;
	case NQSTAT_A_SYSCTL_PORT_RANGE_LOW: ns->port_range_low = NQ_UNKNOWN; break;
	case NQSTAT_A_SYSCTL_PORT_RANGE_HIGH: ns->port_range_high = NQ_UNKNOWN; break;
	case NQSTAT_A_SYSCTL_TCP_TW_REUSE: ns->tw_reuse = NQ_UNKNOWN; break;
	case NQSTAT_A_SYSCTL_TCP_TIMESTAMPS: ns->timestamps = NQ_UNKNOWN; break;
	case NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT: ns->fin_timeout_s = NQ_UNKNOWN; break;
	}
}

static inline void t_clear_netns(struct nq_netns *ns, unsigned int a)
{
	unsigned int s;

	switch (a) {
	case NQSTAT_A_NETNS_INODE: ns->inode = NQ_UNKNOWN; break;
	case NQSTAT_A_NETNS_COOKIE: ns->cookie = NQ_UNKNOWN; break;
	case NQSTAT_A_NETNS_TW_COUNT: ns->tw_count = NQ_UNKNOWN; break;
	case NQSTAT_A_NETNS_TW_PEAK: ns->tw_peak = NQ_UNKNOWN; break;
	case NQSTAT_A_NETNS_TW_CREATED: ns->tw_created = NQ_UNKNOWN; break;
	case NQSTAT_A_NETNS_TW_OVERFLOWS: ns->tw_overflows = NQ_UNKNOWN; break;
	case NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED:
		ns->connect_port_exhausted = NQ_UNKNOWN;
		break;
	case NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS:
		ns->connect_syn_retransmits = NQ_UNKNOWN;
		break;
	case NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED:
		ns->connect_failed_retried = NQ_UNKNOWN;
		break;
	case NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS:
		ns->connect_failed_retried_ms = NQ_UNKNOWN;
		break;
	case NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED:
		ns->connect_failed_unretried = NQ_UNKNOWN;
		break;
	case NQSTAT_A_NETNS_CONNECT_CLOSED:
		ns->connect_closed = NQ_UNKNOWN;
		break;
	case NQSTAT_A_NETNS_SYSCTLS:
		for (s = 1; s < 32; s++)
			t_clear_sysctl(ns, s);
		break;
	case NQSTAT_A_NETNS_TW_DESTS: ns->dests_known = false; break;
	case NQSTAT_A_NETNS_TW_DESTS_TRUNCATED: ns->dests_truncated = false; break;
	case NQSTAT_A_NETNS_CT: t_ct_mask(&ns->ct, 0); break;
	}
}

/*
 * Only the attributes of present, the sysctls of sysctls, are known (the
 * conntrack part keeps its own values when NQSTAT_A_NETNS_CT is in
 * present).
 */
static inline void t_netns_mask(struct nq_netns *ns, uint32_t present,
				uint32_t sysctls)
{
	unsigned int a;

	if (present & TBIT(NQSTAT_A_NETNS_TW_DESTS))
		ns->dests_known = true;
	if (present & TBIT(NQSTAT_A_NETNS_TW_DESTS_TRUNCATED))
		ns->dests_truncated = true;
	for (a = 1; a < 32; a++)
		if (!(present & TBIT(a)))
			t_clear_netns(ns, a);
	for (a = 1; a < 32; a++)
		if (!(sysctls & TBIT(a)))
			t_clear_sysctl(ns, a);
}

static inline void t_sysctl_mask(struct nq_netns *ns, uint32_t sysctls)
{
	unsigned int a;

	for (a = 1; a < 32; a++)
		if (!(sysctls & TBIT(a)))
			t_clear_sysctl(ns, a);
}

static inline void t_dest_mask(struct nq_tw_dest *d, uint32_t present)
{
	d->addr_len = present & TBIT(NQSTAT_A_DEST_ADDR) ?
		      (d->family == AF_INET6 ? 16 : 4) : 0;
	if (!(present & TBIT(NQSTAT_A_DEST_FAMILY)))
		d->family = NQ_UNKNOWN;
	if (!(present & TBIT(NQSTAT_A_DEST_PORT)))
		d->port = NQ_UNKNOWN;
	if (!(present & TBIT(NQSTAT_A_DEST_TW_COUNT)))
		d->tw_count = NQ_UNKNOWN;
}

static inline void t_hook_mask(struct nq_hook *h, uint32_t present)
{
	if (!(present & TBIT(NQSTAT_A_HOOK_NAME)))
		h->name = NULL;
	if (!(present & TBIT(NQSTAT_A_HOOK_KIND)))
		h->kind = NQ_UNKNOWN;
	if (!(present & TBIT(NQSTAT_A_HOOK_STATE)))
		h->state = NQ_UNKNOWN;
	if (!(present & TBIT(NQSTAT_A_HOOK_ERRNO)))
		h->err = NQ_UNKNOWN;
	if (!(present & TBIT(NQSTAT_A_HOOK_REASON)))
		h->reason = NULL;
	if (!(present & TBIT(NQSTAT_A_HOOK_MISSED)))
		h->missed = NQ_UNKNOWN;
}

static inline void t_status_mask(struct nq_status *st, uint32_t present)
{
	if (!(present & TBIT(NQSTAT_A_VERSION)))
		st->version = NULL;
	if (!(present & TBIT(NQSTAT_A_KERNEL_RELEASE)))
		st->kernel_release = NULL;
	st->hooks_known = present & TBIT(NQSTAT_A_HOOKS);
	if (!(present & TBIT(NQSTAT_A_LISTENERS_TRACKED)))
		st->listeners_tracked = NQ_UNKNOWN;
	if (!(present & TBIT(NQSTAT_A_LISTENERS_MAX)))
		st->listeners_max = NQ_UNKNOWN;
	if (!(present & TBIT(NQSTAT_A_UNTRACKED_EVENTS)))
		st->untracked_events = NQ_UNKNOWN;
	if (!(present & TBIT(NQSTAT_A_GRACE_PERIOD)))
		st->grace_period_s = NQ_UNKNOWN;
	if (!(present & TBIT(NQSTAT_A_LISTENERS_ADOPTED)))
		st->listeners_adopted = NQ_UNKNOWN;
	if (!(present & TBIT(NQSTAT_A_LISTENERS_FOREIGN)))
		st->listeners_foreign = NQ_UNKNOWN;
}

/* The known rates of r, a mask of NQSTAT_A_NETNS_* or NQSTAT_A_CT_*. */
static inline uint32_t t_netns_known(const double *v, unsigned int max)
{
	uint32_t m = 0;
	unsigned int a;

	for (a = 0; a <= max && a < 32; a++)
		if (!isnan(v[a]))
			m |= TBIT(a);
	return m;
}

#define t_ct_known(r) t_netns_known((r)->ct, NQSTAT_A_CT_MAX)
#define t_ns_known(r) t_netns_known((r)->v, NQSTAT_A_NETNS_MAX)
#define t_ctr_known(r) t_netns_known((r)->v, NQSTAT_CTR_MAX)


/* The attributes a parsed record has values of: the inverse of the masks. */
static inline uint32_t t_listener_known(const struct nq_listener *l)
{
	struct nq_listener u;
	uint32_t m = 0;
	unsigned int a;

	for (a = 1; a < 32; a++) {
		u = *l;
		t_clear_listener(&u, a);
		if (memcmp(&u, l, sizeof(u)))
			m |= TBIT(a);
	}
	for (a = 0; a <= NQSTAT_CTR_MAX; a++)
		if (nq_known(l->counters[a]))
			m |= TBIT(NQSTAT_A_LISTENER_COUNTERS);
	return m;
}

static inline uint32_t t_counters_known(const struct nq_listener *l)
{
	uint32_t m = 0;
	unsigned int a;

	for (a = 0; a <= NQSTAT_CTR_MAX; a++)
		if (nq_known(l->counters[a]))
			m |= TBIT(a);
	return m;
}

static inline uint32_t t_ct_attrs(const struct nq_ct *ct)
{
	struct nq_ct u;
	uint32_t m = 0;
	unsigned int a;

	for (a = 1; a < 32; a++) {
		u = *ct;
		t_clear_ct(&u, a);
		if (memcmp(&u, ct, sizeof(u)))
			m |= TBIT(a);
	}
	return m;
}

static inline uint32_t t_sysctls_known(const struct nq_netns *ns)
{
	struct nq_netns u;
	uint32_t m = 0;
	unsigned int a;

	for (a = 1; a < 32; a++) {
		u = *ns;
		t_clear_sysctl(&u, a);
		if (memcmp(&u, ns, sizeof(u)))
			m |= TBIT(a);
	}
	return m;
}

static inline uint32_t t_netns_attrs(const struct nq_netns *ns)
{
	struct nq_netns u;
	uint32_t m = 0;
	unsigned int a;

	for (a = 1; a < 32; a++) {
		u = *ns;
		t_clear_netns(&u, a);
		if (memcmp(&u, ns, sizeof(u)))
			m |= TBIT(a);
	}
	return m;
}

static inline uint32_t t_dest_attrs(const struct nq_tw_dest *d)
{
	return (nq_known(d->family) ? TBIT(NQSTAT_A_DEST_FAMILY) : 0) |
	       (d->addr_len ? TBIT(NQSTAT_A_DEST_ADDR) : 0) |
	       (nq_known(d->port) ? TBIT(NQSTAT_A_DEST_PORT) : 0) |
	       (nq_known(d->tw_count) ? TBIT(NQSTAT_A_DEST_TW_COUNT) : 0);
}

static inline uint32_t t_hook_attrs(const struct nq_hook *h)
{
	return (h->name ? TBIT(NQSTAT_A_HOOK_NAME) : 0) |
	       (nq_known(h->kind) ? TBIT(NQSTAT_A_HOOK_KIND) : 0) |
	       (nq_known(h->state) ? TBIT(NQSTAT_A_HOOK_STATE) : 0) |
	       (nq_known(h->err) ? TBIT(NQSTAT_A_HOOK_ERRNO) : 0) |
	       (h->reason ? TBIT(NQSTAT_A_HOOK_REASON) : 0) |
	       (nq_known(h->missed) ? TBIT(NQSTAT_A_HOOK_MISSED) : 0);
}

static inline uint32_t t_status_attrs(const struct nq_status *st)
{
	return (st->version ? TBIT(NQSTAT_A_VERSION) : 0) |
	       (st->kernel_release ? TBIT(NQSTAT_A_KERNEL_RELEASE) : 0) |
	       (st->hooks_known ? TBIT(NQSTAT_A_HOOKS) : 0) |
	       (nq_known(st->listeners_tracked) ?
		TBIT(NQSTAT_A_LISTENERS_TRACKED) : 0) |
	       (nq_known(st->listeners_max) ? TBIT(NQSTAT_A_LISTENERS_MAX) : 0) |
	       (nq_known(st->untracked_events) ?
		TBIT(NQSTAT_A_UNTRACKED_EVENTS) : 0) |
	       (nq_known(st->grace_period_s) ? TBIT(NQSTAT_A_GRACE_PERIOD) : 0) |
	       (nq_known(st->listeners_adopted) ?
		TBIT(NQSTAT_A_LISTENERS_ADOPTED) : 0) |
	       (nq_known(st->listeners_foreign) ?
		TBIT(NQSTAT_A_LISTENERS_FOREIGN) : 0);
}

#endif /* NQSTAT_TESTS_TMODEL_H */
