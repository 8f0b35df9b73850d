// SPDX-License-Identifier: GPL-2.0
/*
 * "reset": zero the counters and the since-reset peaks of the listeners of
 * the current namespace, or of those matching the filters.
 */
#include <errno.h>

#include "cmd/cmd.h"
#include "cmd/parse.h"

int cmd_reset(const struct options *o, int argc, char *argv[])
{
	struct nq_filter f;
	struct nq_nl *nl;
	char err[512];
	int ret;

	if (parse_filter_args("reset", argc, argv, &f, err, sizeof(err)) < 0)
		return nq_usage_error("%s", err);
	ret = nq_connect(o, &nl);
	if (ret)
		return ret;
	ret = nq_nl_reset(nl, &f);
	if (ret == -EPERM)
		nq_err("resetting counters needs CAP_NET_ADMIN: run as root");
	else if (ret < 0)
		nq_nl_perror(nl, ret, "cannot reset the counters", NULL);
	nq_nl_close(nl);
	/* The kernel does not say how many listeners matched: no output. */
	return ret < 0 ? EXIT_ERROR : 0;
}
