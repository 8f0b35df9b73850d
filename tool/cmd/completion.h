/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shell completion, written from the subcommand table (main.c), the
 * option table (cmd/options.c) and the listener fields (-o).
 */
#ifndef NQSTAT_COMPLETION_H
#define NQSTAT_COMPLETION_H

#include <stddef.h>
#include <stdio.h>

struct nq_comp_cmd {
	const char *name;
	unsigned int options;	/* OPT_* it takes */
	const char *args;	/* "[port PORT] [addr ADDR]": keywords */
};

/*
 * The bash completion script of nqstat: subcommands, their options and
 * keywords, -n's namespace names (ip netns list, when completing), -o's
 * column keys. cmds[0] is the default subcommand (show). 0 or -EIO.
 */
int nq_completion_bash(FILE *f, const struct nq_comp_cmd *cmds, size_t n);

#endif /* NQSTAT_COMPLETION_H */
