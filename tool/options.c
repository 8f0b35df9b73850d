// SPDX-License-Identifier: GPL-2.0
/*
 * Global command line options.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "options.h"
#include "parse.h"

static const struct option long_options[] = {
	{ "json",		no_argument,		NULL, 'j' },
	{ "pretty",		no_argument,		NULL, 'p' },
	{ "netns",		required_argument,	NULL, 'n' },
	{ "all-namespaces",	no_argument,		NULL, 'a' },
	{ "interval",		required_argument,	NULL, 'i' },
	{ "count",		required_argument,	NULL, 'c' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL,			0,			NULL, 0 },
};

/* '+': stop at the first non-option; ':': report a missing argument as ':'. */
static const char short_options[] = "+:jpn:ai:c:Vh";

static const struct {
	unsigned int bit;
	const char *name;
} names[] = {
	{ OPT_JSON,		"-j/--json" },
	{ OPT_PRETTY,		"-p/--pretty" },
	{ OPT_NETNS,		"-n/--netns" },
	{ OPT_ALL_NETNS,	"-a/--all-namespaces" },
	{ OPT_INTERVAL,		"-i/--interval" },
	{ OPT_COUNT,		"-c/--count" },
};

const char *options_name(unsigned int opt)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].bit == opt)
			return names[i].name;
	return "?";
}

/* Long name of the option whose short form is c, NULL if none. */
static const char *long_name(int c)
{
	const struct option *lo;

	for (lo = long_options; lo->name; lo++)
		if (lo->val == c)
			return lo->name;
	return NULL;
}

int options_parse(int argc, char *argv[], struct options *o, char *err,
		  size_t errlen)
{
	struct options n = { 0 };
	const char *name;
	int c;

	optind = 0;	/* full reinitialisation (glibc) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_options, long_options,
				NULL)) != -1) {
		switch (c) {
		case 'j':
			n.json = true;
			n.set |= OPT_JSON;
			break;
		case 'p':
			n.pretty = true;
			n.set |= OPT_PRETTY;
			break;
		case 'n':
			if (!optarg[0]) {
				snprintf(err, errlen,
					 "empty network namespace name");
				return -EINVAL;
			}
			n.netns = optarg;
			n.set |= OPT_NETNS;
			break;
		case 'a':
			n.all_netns = true;
			n.set |= OPT_ALL_NETNS;
			break;
		case 'i':
			if (parse_interval(optarg, &n.interval_ms) < 0) {
				snprintf(err, errlen,
					 "invalid interval \"%s\": expected seconds, from 0.001 to %u",
					 optarg, NQ_INTERVAL_MAX_MS / 1000);
				return -EINVAL;
			}
			n.set |= OPT_INTERVAL;
			break;
		case 'c':
			if (parse_count(optarg, &n.count) < 0) {
				snprintf(err, errlen,
					 "invalid count \"%s\": expected a positive integer",
					 optarg);
				return -EINVAL;
			}
			n.set |= OPT_COUNT;
			break;
		case 'V':
			n.version = true;
			break;
		case 'h':
			n.help = true;
			break;
		case ':':
			name = long_name(optopt);
			if (name)
				snprintf(err, errlen,
					 "option -%c/--%s requires an argument",
					 optopt, name);
			else
				snprintf(err, errlen,
					 "an option requires an argument");
			return -EINVAL;
		default:
			/*
			 * Unknown option, or an argument given to a long
			 * option that takes none ("--json=x").
			 */
			name = optopt ? long_name(optopt) : NULL;
			if (name && optind > 0 && optind <= argc &&
			    !strncmp(argv[optind - 1], "--", 2))
				snprintf(err, errlen,
					 "option --%s takes no argument", name);
			else if (optopt)
				snprintf(err, errlen, "unknown option '-%c'",
					 optopt);
			else if (optind > 0 && optind <= argc)
				snprintf(err, errlen, "unknown option '%s'",
					 argv[optind - 1]);
			else
				snprintf(err, errlen, "unknown option");
			return -EINVAL;
		}
	}
	if ((n.set & OPT_COUNT) && !(n.set & OPT_INTERVAL)) {
		snprintf(err, errlen, "%s requires %s", options_name(OPT_COUNT),
			 options_name(OPT_INTERVAL));
		return -EINVAL;
	}
	n.argc = argc - optind;
	n.argv = argv + optind;
	*o = n;
	return 0;
}

int options_check(const struct options *o, unsigned int allowed,
		  const char *cmd, char *err, size_t errlen)
{
	unsigned int bad = o->set & ~allowed;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (bad & names[i].bit) {
			snprintf(err, errlen, "option %s does not apply to %s",
				 names[i].name, cmd);
			return -EINVAL;
		}
	}
	return 0;
}
