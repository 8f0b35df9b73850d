/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Global command line options (before the subcommand).
 */
#ifndef NQSTAT_OPTIONS_H
#define NQSTAT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Bits of struct options.set; also say which options a subcommand takes. */
enum {
	OPT_JSON	= 1U << 0,
	OPT_PRETTY	= 1U << 1,
	OPT_NETNS	= 1U << 2,
	OPT_ALL_NETNS	= 1U << 3,
	OPT_INTERVAL	= 1U << 4,
	OPT_COUNT	= 1U << 5,
	OPT_DURATION	= 1U << 6,
	OPT_SYSCTL_CONF	= 1U << 7,
	OPT_PROMETHEUS	= 1U << 8,
	OPT_COLUMNS	= 1U << 9,
	OPT_NO_HEADER	= 1U << 10,
	OPT_WIDE	= 1U << 11,
	OPT_PROCESSES	= 1U << 12,
	/*
	 * -p, as iproute2 has it twice: --pretty with -j (ip -j -p), and in
	 * show --processes too (ss -p). options_resolve_p() makes it the
	 * ones the subcommand takes.
	 */
	OPT_P		= 1U << 13,
	OPT_OUTPUT	= 1U << 14,
};

struct options {
	unsigned int set;	/* OPT_* given on the command line */
	bool json;
	bool pretty;
	bool all_netns;
	bool help;
	bool version;
	const char *netns;	/* points into argv */
	unsigned int interval_ms;	/* 0: no watch mode */
	unsigned int count;	/* watch mode reports, 0: until a signal */
	unsigned int duration_ms;	/* recommend, report: 0 one snapshot */
	bool sysctl_conf;	/* recommend: a sysctl.d drop-in */
	bool prometheus;	/* report: text exposition format */
	const char *output;	/* report: --output FILE, in argv */
	const char *columns;	/* -o: "key,key" of the table, in argv */
	bool no_header;		/* -H: no line of column titles */
	bool wide;		/* -w: every column */
	bool processes;		/* -p: the processes of each listener */
	bool end_of_options;	/* "--" came before argv[0] */
	int argc;		/* subcommand and its arguments */
	char **argv;
};

/*
 * Parses the options that precede the subcommand (option parsing stops at
 * the first non-option argument). Returns 0, or -EINVAL with the problem
 * described in err. Not reentrant: uses getopt_long(). When words follow,
 * -c without -i is only reported by options_parse_args(), as -i may come
 * after the subcommand.
 */
int options_parse(int argc, char *argv[], struct options *o, char *err,
		  size_t errlen);

/*
 * Parses the options among the subcommand's arguments, o->argv (as left by
 * options_parse()), which may follow the subcommand in any order: "nqstat
 * tw -j top 5". Options given twice take the last value, as before the
 * subcommand. Leaves in o->argv, in order, only the words that are not
 * options (the subcommand first), and their number in o->argc; after "--",
 * everything is a word. Returns 0, -EINVAL or -ENOMEM with the problem
 * described in err; o is unchanged on failure. Not reentrant.
 */
int options_parse_args(struct options *o, char *err, size_t errlen);

/* -p given: --processes and --pretty, of those in allowed. */
void options_resolve_p(struct options *o, unsigned int allowed);

/*
 * Checks that every option given is one of allowed (OPT_* bits) for
 * subcommand cmd, and that -a and -n are not both given. Returns 0, or
 * -EINVAL with the problem described in err.
 */
int options_check(const struct options *o, unsigned int allowed,
		  const char *cmd, char *err, size_t errlen);

struct nq_field;

/*
 * With -o: checks that every key of its list is a column of table (n
 * entries), and that "processes" comes with -p/--processes. Returns 0,
 * or -EINVAL with the problem in err (a "bad value" usage error). Run
 * before anything is read, so a bad list does nothing.
 */
int options_check_columns(const struct options *o,
			  const struct nq_field *table, size_t n, char *err,
			  size_t errlen);

/* The spellings of the options of allowed ("-j", "--json", ...), by sep. */
void options_print_spellings(FILE *f, unsigned int allowed, const char *sep);

/* Options that take a value. */
#define OPT_WITH_VALUE (OPT_NETNS | OPT_INTERVAL | OPT_COUNT | OPT_DURATION | \
			OPT_COLUMNS | OPT_OUTPUT)

/* "-j/--json" etc. for one OPT_* bit. */
const char *options_name(unsigned int opt);

#endif /* NQSTAT_OPTIONS_H */
