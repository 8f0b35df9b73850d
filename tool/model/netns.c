// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespace records (TIME_WAIT, ports, conntrack): arrays, the
 * figures derived from them and their rates. No I/O.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/netns.h"

int nq_netns_list_push(struct nq_netns_list *l, struct nq_netns *ns)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct nq_netns *v;

		if (cap > SIZE_MAX / sizeof(*v))
			return -ENOMEM;
		v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *ns;
	ns->dests = NULL;
	ns->n_dests = 0;
	return 0;
}

void nq_netns_list_clear(struct nq_netns_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		nq_netns_free(&l->v[i]);
	l->n = 0;
}

void nq_netns_list_free(struct nq_netns_list *l)
{
	nq_netns_list_clear(l);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

bool nq_port_range_size(const struct nq_netns *ns, uint32_t *size)
{
	if (!nq_known(ns->port_range_low) ||
	    !nq_known(ns->port_range_high) ||
	    ns->port_range_low > ns->port_range_high)
		return false;
	*size = (uint32_t)ns->port_range_high - ns->port_range_low + 1;
	return true;
}

bool nq_port_range_use(const struct nq_netns *ns, const struct nq_tw_dest *d,
		       double *use)
{
	uint32_t size;

	if (!nq_known(d->tw_count) ||
	    !nq_port_range_size(ns, &size))
		return false;
	*use = (double)d->tw_count / (double)size;
	return true;
}

bool nq_tw_limit_use(const struct nq_netns *ns, double *use)
{
	if (!nq_known(ns->tw_count) ||
	    !nq_known(ns->max_tw_buckets) ||
	    !ns->max_tw_buckets)
		return false;
	*use = (double)ns->tw_count / (double)ns->max_tw_buckets;
	return true;
}

static int family_rank(const struct nq_tw_dest *d)
{
	if (!nq_known(d->family))
		return 3;
	return d->family == AF_INET ? 0 : d->family == AF_INET6 ? 1 : 2;
}

static int dest_cmp(const void *pa, const void *pb)
{
	const struct nq_tw_dest *a = pa, *b = pb;
	bool ha = nq_known(a->tw_count);
	bool hb = nq_known(b->tw_count);
	int r;

	/* Known counts first, the largest first. */
	if (ha != hb)
		return ha ? -1 : 1;
	if (ha && a->tw_count != b->tw_count)
		return a->tw_count > b->tw_count ? -1 : 1;
	if (family_rank(a) != family_rank(b))
		return family_rank(a) < family_rank(b) ? -1 : 1;
	r = memcmp(a->addr, b->addr, sizeof(a->addr));
	if (r)
		return r < 0 ? -1 : 1;
	return a->port < b->port ? -1 : a->port > b->port;
}

void nq_tw_dests_sort(struct nq_netns *ns)
{
	if (ns->n_dests > 1)
		qsort(ns->dests, ns->n_dests, sizeof(*ns->dests), dest_cmp);
}

const struct nq_netns *nq_netns_find(const struct nq_netns_list *l,
				     const struct nq_netns *ns)
{
	size_t i;

	/* Cookies are never reused; inode numbers may be. */
	if (!nq_known(ns->cookie))
		return NULL;
	for (i = 0; i < l->n; i++)
		if (nq_known(l->v[i].cookie) &&
		    l->v[i].cookie == ns->cookie)
			return &l->v[i];
	return NULL;
}

const unsigned int nq_netns_counters[NQ_N_NETNS_COUNTERS] = {
	NQSTAT_A_NETNS_TW_CREATED,
	NQSTAT_A_NETNS_TW_OVERFLOWS,
	NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED,
	NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS,
	NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED,
	NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS,
	NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED,
	NQSTAT_A_NETNS_CONNECT_CLOSED,
};

const size_t nq_n_netns_counters = sizeof(nq_netns_counters) /
				   sizeof(nq_netns_counters[0]);

uint64_t nq_netns_counter(const struct nq_netns *ns, unsigned int attr)
{
	switch (attr) {
	case NQSTAT_A_NETNS_TW_CREATED:
		return ns->tw_created;
	case NQSTAT_A_NETNS_TW_OVERFLOWS:
		return ns->tw_overflows;
	case NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED:
		return ns->connect_port_exhausted;
	case NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS:
		return ns->connect_syn_retransmits;
	case NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED:
		return ns->connect_failed_retried;
	case NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS:
		return ns->connect_failed_retried_ms;
	case NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED:
		return ns->connect_failed_unretried;
	case NQSTAT_A_NETNS_CONNECT_CLOSED:
		return ns->connect_closed;
	}
	return NQ_UNKNOWN;
}

void nq_netns_rates_init(struct nq_netns_rates *r)
{
	size_t i;

	for (i = 0; i <= NQSTAT_A_NETNS_MAX; i++)
		r->v[i] = NAN;
	for (i = 0; i <= NQSTAT_A_CT_MAX; i++)
		r->ct[i] = NAN;
}

void nq_netns_rates_compute(const struct nq_netns *prev,
			    const struct nq_netns *cur, uint64_t elapsed_ns,
			    struct nq_netns_rates *r)
{
	size_t i;

	nq_netns_rates_init(r);
	if (!elapsed_ns)
		return;
	for (i = 0; i < nq_n_netns_counters; i++) {
		unsigned int a = nq_netns_counters[i];
		uint64_t p = nq_netns_counter(prev, a);
		uint64_t c = nq_netns_counter(cur, a);

		if (!nq_known(p) || !nq_known(c) || c < p)
			continue;
		r->v[a] = (double)(c - p) * 1e9 / (double)elapsed_ns;
	}
	if (nq_known(prev->ct.state) &&
	    nq_known(cur->ct.state))
		nq_ct_rates_compute(&prev->ct, &cur->ct, elapsed_ns, r);
}

const unsigned int nq_ct_counters[NQ_N_CT_COUNTERS] = {
	NQSTAT_A_CT_TABLE_FULL_DROPS,
	NQSTAT_A_CT_EARLY_DROPS,
	NQSTAT_A_CT_INSERT_FAILED,
	NQSTAT_A_CT_DROPS,
};

const size_t nq_n_ct_counters = sizeof(nq_ct_counters) /
				sizeof(nq_ct_counters[0]);


uint64_t nq_ct_counter(const struct nq_ct *ct, unsigned int attr)
{
	switch (attr) {
	case NQSTAT_A_CT_TABLE_FULL_DROPS:
		return ct->table_full_drops;
	case NQSTAT_A_CT_EARLY_DROPS:
		return ct->early_drops;
	case NQSTAT_A_CT_INSERT_FAILED:
		return ct->insert_failed;
	case NQSTAT_A_CT_DROPS:
		return ct->drops;
	}
	return NQ_UNKNOWN;
}

void nq_ct_rates_compute(const struct nq_ct *prev, const struct nq_ct *cur,
			 uint64_t elapsed_ns, struct nq_netns_rates *r)
{
	size_t i;

	for (i = 0; i <= NQSTAT_A_CT_MAX; i++)
		r->ct[i] = NAN;
	if (!elapsed_ns)
		return;
	for (i = 0; i < nq_n_ct_counters; i++) {
		unsigned int a = nq_ct_counters[i];
		uint64_t p = nq_ct_counter(prev, a);
		uint64_t c = nq_ct_counter(cur, a);

		if (!nq_known(p) || !nq_known(c) || c < p)
			continue;
		r->ct[a] = (double)(c - p) * 1e9 / (double)elapsed_ns;
	}
}

bool nq_ct_loaded(const struct nq_ct *ct)
{
	return nq_known(ct->state) &&
	       ct->state == NQSTAT_CT_LOADED;
}

bool nq_ct_use(const struct nq_ct *ct, uint32_t v, double *use)
{
	if (!nq_known(ct->max) || !ct->max)
		return false;
	*use = (double)v / (double)ct->max;
	return true;
}

bool nq_connect_failed_mean_s(const struct nq_netns *prev,
			      const struct nq_netns *cur, double *mean)
{
	uint64_t n = cur->connect_failed_retried;
	uint64_t ms = cur->connect_failed_retried_ms;

	if (!nq_known(n) || !nq_known(ms))
		return false;
	if (prev && nq_known(prev->connect_failed_retried) &&
	    nq_known(prev->connect_failed_retried_ms) &&
	    prev->connect_failed_retried <= n &&
	    prev->connect_failed_retried_ms <= ms) {
		n -= prev->connect_failed_retried;
		ms -= prev->connect_failed_retried_ms;
	}
	if (!n)
		return false;
	*mean = (double)ms / 1000.0 / (double)n;
	return true;
}
