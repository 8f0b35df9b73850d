// SPDX-License-Identifier: GPL-2.0
/*
 * Releasing what the parser allocated in the model's records.
 */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

void nq_status_free(struct nq_status *st)
{
	size_t i;

	for (i = 0; i < st->n_hooks; i++) {
		free(st->hooks[i].name);
		free(st->hooks[i].reason);
	}
	free(st->hooks);
	free(st->version);
	free(st->kernel_release);
	memset(st, 0, sizeof(*st));
}

void nq_netns_free(struct nq_netns *ns)
{
	free(ns->dests);
	ns->dests = NULL;
	ns->n_dests = 0;
}
