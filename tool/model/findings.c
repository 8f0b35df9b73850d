// SPDX-License-Identifier: GPL-2.0
/*
 * Findings of "recommend": names and release.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/findings.h"

static const char *const sev_names[NQ_N_SEV] = {
	[NQ_SEV_CRITICAL] = "critical",
	[NQ_SEV_WARNING] = "warning",
	[NQ_SEV_INFO] = "info",
};

const char *nq_severity_name(enum nq_severity s)
{
	return (unsigned int)s < NQ_N_SEV ? sev_names[s] : "?";
}

static void finding_free(struct nq_finding *fd)
{
	size_t i;

	free(fd->netns_name);
	free(fd->current);
	free(fd->recommended);
	for (i = 0; i < fd->n_evidence; i++)
		free(fd->evidence[i]);
	free(fd->evidence);
	free(fd->reasoning);
	free(fd->risk);
}

void nq_findings_free(struct nq_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		finding_free(&f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

int nq_findings_move(struct nq_findings *to, struct nq_findings *from,
		     uint32_t netns, const char *name)
{
	size_t i;

	for (i = 0; i < from->n; i++) {
		struct nq_finding *fd = &from->v[i];

		if (name && !fd->netns_name) {
			fd->netns_name = strdup(name);
			if (!fd->netns_name)
				return -ENOMEM;
		}
		if (!fd->netns)
			fd->netns = netns;
	}
	if (to->n + from->n > to->cap) {
		size_t cap = to->n + from->n;
		struct nq_finding *v = realloc(to->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		to->v = v;
		to->cap = cap;
	}
	if (from->n)
		memcpy(to->v + to->n, from->v, from->n * sizeof(*from->v));
	to->n += from->n;
	free(from->v);
	memset(from, 0, sizeof(*from));
	return 0;
}

bool nq_findings_actionable(const struct nq_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].severity != NQ_SEV_INFO)
			return true;
	return false;
}
