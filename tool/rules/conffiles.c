// SPDX-License-Identifier: GPL-2.0
/*
 * The sysctl.d search path against the drop-in: a setting applied after
 * /etc/sysctl.d/NQ_CONF_DROPIN that gives a recommended sysctl another
 * value would undo it at the next boot. Only in the initial namespace:
 * the files configure the host's namespace, not another.
 */
#include <string.h>

#include "rules/rules.h"

void rule_overrides(struct ctx *c)
{
	const struct nq_snapshot *s = c->cur;
	size_t i, k;

	if (!(s->ct_mode_known ? s->ct_writable :
	      s->init_netns_known && s->init_netns))
		return;
	for (i = 0; i < c->f->n; i++) {
		struct nq_finding *fd = &c->f->v[i];

		if (!fd->settable || !fd->sysctl || !fd->recommended)
			continue;
		for (k = 0; k < s->n_settings; k++) {
			const struct nq_conf_hit *h = &s->settings[k];

			if (strcmp(h->key, fd->sysctl) ||
			    !strcmp(h->value, fd->recommended) ||
			    !nq_conf_after(h->file, NQ_CONF_DROPIN))
				continue;
			rq_evidence(c, fd, "warning: %s:%u sets %s = %s and is applied after /etc/sysctl.d/%s: at boot it would override the recommended value; change or remove that line",
				    h->file, h->line, h->key, h->value,
				    NQ_CONF_DROPIN);
		}
	}
}
