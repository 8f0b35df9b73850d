// SPDX-License-Identifier: GPL-2.0
/*
 * Releasing what the parser allocated in the model's records.
 */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

/* Every uint64_t all ones (NQ_UNKNOWN); pointers, sizes, flags cleared. */
void nq_listener_init(struct nq_listener *l)
{
	memset(l, 0xff, sizeof(*l));
	memset(l->addr, 0, sizeof(l->addr));
	l->addr_len = 0;
}

void nq_hook_init(struct nq_hook *h)
{
	memset(h, 0xff, sizeof(*h));
	h->name = NULL;
	h->reason = NULL;
	h->feeds = NULL;
	h->n_feeds = 0;
}

void nq_status_init(struct nq_status *st)
{
	memset(st, 0xff, sizeof(*st));
	st->version = NULL;
	st->kernel_release = NULL;
	st->hooks_known = false;
	st->hooks = NULL;
	st->n_hooks = 0;
}

void nq_tw_dest_init(struct nq_tw_dest *d)
{
	memset(d, 0xff, sizeof(*d));
	memset(d->addr, 0, sizeof(d->addr));
	d->addr_len = 0;
}

void nq_netns_init(struct nq_netns *ns)
{
	memset(ns, 0xff, sizeof(*ns));
	ns->dests_known = false;
	ns->dests_truncated = false;
	ns->dests = NULL;
	ns->n_dests = 0;
}

bool nq_netns_has_sysctls(const struct nq_netns *ns)
{
	return nq_known(ns->max_tw_buckets) || nq_known(ns->port_range_low) ||
	       nq_known(ns->port_range_high) || nq_known(ns->tw_reuse) ||
	       nq_known(ns->timestamps) || nq_known(ns->fin_timeout_s);
}

void nq_status_free(struct nq_status *st)
{
	size_t i, k;

	for (i = 0; i < st->n_hooks; i++) {
		free(st->hooks[i].name);
		free(st->hooks[i].reason);
		for (k = 0; k < st->hooks[i].n_feeds; k++)
			free(st->hooks[i].feeds[k]);
		free(st->hooks[i].feeds);
	}
	free(st->hooks);
	free(st->version);
	free(st->kernel_release);
	nq_status_init(st);
}

void nq_netns_free(struct nq_netns *ns)
{
	free(ns->dests);
	ns->dests = NULL;
	ns->n_dests = 0;
}
