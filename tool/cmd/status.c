// SPDX-License-Identifier: GPL-2.0
/*
 * "status": module version, hooks and table use.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "model/modstate.h"
#include "out/status.h"

int cmd_status(const struct options *o, int argc, char *argv[])
{
	struct nq_modfacts facts;
	struct nq_status st;
	struct nq_nl *nl;
	int ret;

	if (argc)
		return nq_usage_error("extra argument \"%s\": status takes no arguments",
				      argv[0]);
	ret = nq_connect_kernel(o, &nl, &facts);
	if (ret == 1) {
		/* The error on stderr; for -j, a document that says why. */
		nq_modstate_print(&facts, false);
		if (o->json && nq_module_print_json(stdout, &facts,
						     o->pretty) < 0)
			nq_err("cannot print the status: %s", strerror(EIO));
		return EXIT_ERROR;
	}
	if (ret)
		return ret;
	ret = nq_nl_get_status(nl, &st);
	if (ret < 0) {
		nq_nl_perror(nl, ret, "cannot get the module status", NULL);
		nq_nl_close(nl);
		return EXIT_ERROR;
	}
	nq_nl_close(nl);
	ret = o->json ? nq_status_print_json(stdout, &st, o->pretty) :
			nq_status_print_text(stdout, &st);
	nq_status_free(&st);
	if (ret < 0) {
		nq_err("cannot print the status: %s", strerror(-ret));
		return EXIT_ERROR;
	}
	return 0;
}
