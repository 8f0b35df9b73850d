// SPDX-License-Identifier: GPL-2.0
/*
 * What the subcommands share: error messages and the connection to the
 * module.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/setns.h"

void nq_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int nq_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n",
		PROG_NAME);
	return EXIT_ERROR;
}

void nq_nl_perror(const struct nq_nl *nl, int err, const char *op,
		  const char *hint)
{
	const char *extack = nq_nl_extack(nl);

	nq_err("%s: %s%s%s%s%s", op, nq_nl_strerror(nl, err),
	       extack ? ": " : "", extack ? extack : "",
	       hint ? "; " : "", hint ? hint : "");
}

int nq_connect(const struct options *o, struct nq_nl **nl)
{
	enum netns_step step;
	int ret;

	*nl = NULL;
	if (o->netns) {
		/* Before the socket: a socket stays in its namespace. */
		ret = netns_enter(o->netns, &step);
		if (ret < 0) {
			nq_err("cannot %s network namespace \"%s\": %s",
			       step == NETNS_OPEN ? "open" : "switch to",
			       o->netns, strerror(-ret));
			return EXIT_ERROR;
		}
	}
	ret = nq_nl_open(nl);
	if (ret == -ENOENT) {
		nq_err("nqstat module not loaded: run 'sudo modprobe nqstat'");
	} else if (ret < 0) {
		nq_nl_perror(*nl, ret, "cannot connect to the nqstat module",
			     NULL);
	}
	if (ret < 0) {
		nq_nl_close(*nl);
		*nl = NULL;
		return EXIT_ERROR;
	}
	return 0;
}
