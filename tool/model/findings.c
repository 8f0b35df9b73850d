// SPDX-License-Identifier: GPL-2.0
/*
 * Findings of "recommend": names and release.
 */
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

bool nq_findings_actionable(const struct nq_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].severity != NQ_SEV_INFO)
			return true;
	return false;
}
