// SPDX-License-Identifier: GPL-2.0
/*
 * What the subcommands share: error messages and the connection to the
 * module.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cmd/cmd.h"
#include "cmd/setns.h"
#include "model/modstate.h"

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

void nq_modstate_get(struct nq_modfacts *f)
{
	struct utsname u;

	nq_modstate_read(f, "", uname(&u) ? "" : u.release);
}

void nq_modstate_print(const struct nq_modfacts *f, bool fallback)
{
	enum nq_mod_why why = nq_modstate_why(f);
	char text[512], fix[512];

	nq_modstate_explain(f, why, text, sizeof(text), fix, sizeof(fix));
	nq_err("the nqstat module is not loaded: %s", text);
	nq_err("to fix: %s", fix);
	if (fallback)
		nq_err("without it, only what the kernel itself reports: each listener's accept queue and sk_drops, the namespace's loss counters, no per-listener split by kind (nqstat(8), WITHOUT THE MODULE)");
}

/* The fix of a failed -n, after its error. */
static const char *netns_hint(int err)
{
	if (err == -ENOENT)
		return "; to fix: use a name that ip netns list prints, or the path of a namespace file (/proc/PID/ns/net)";
	if (err == -EPERM || err == -EACCES)
		return "; to fix: -n needs CAP_SYS_ADMIN: run nqstat as root";
	return "";
}

int nq_connect_kernel(const struct options *o, struct nq_nl **nl,
		      struct nq_modfacts *facts)
{
	enum netns_step step;
	int ret;

	*nl = NULL;
	if (o->netns) {
		/* Before the socket: a socket stays in its namespace. */
		ret = netns_enter(o->netns, &step);
		if (ret < 0) {
			nq_err("cannot %s network namespace \"%s\": %s%s",
			       step == NETNS_OPEN ? "open" : "switch to",
			       o->netns, strerror(-ret), netns_hint(ret));
			return EXIT_ERROR;
		}
	}
	/* Resolving the family has the kernel load it by its alias. */
	ret = nq_nl_open(nl);
	if (ret == -ENOENT && facts) {
		nq_nl_close(*nl);
		*nl = NULL;
		nq_modstate_get(facts);
		return 1;
	}
	if (ret == -ENOENT) {
		struct nq_modfacts f;

		nq_modstate_get(&f);
		nq_modstate_print(&f, false);
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

int nq_connect(const struct options *o, struct nq_nl **nl)
{
	return nq_connect_kernel(o, nl, NULL);
}
