// SPDX-License-Identifier: GPL-2.0
/*
 * Global command line options.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/options.h"
#include "cmd/parse.h"
#include "out/field.h"

/* Long-only options: values beyond any character. */
enum {
	LONG_DURATION = 256,
	LONG_SYSCTL_CONF,
	LONG_PROMETHEUS,
	LONG_PRETTY,
	LONG_PROCESSES,
	LONG_OUTPUT,
};

static const struct option long_options[] = {
	{ "json",		no_argument,		NULL, 'j' },
	{ "pretty",		no_argument,		NULL, LONG_PRETTY },
	{ "processes",		no_argument,		NULL, LONG_PROCESSES },
	{ "netns",		required_argument,	NULL, 'n' },
	{ "all-namespaces",	no_argument,		NULL, 'a' },
	{ "interval",		required_argument,	NULL, 'i' },
	{ "count",		required_argument,	NULL, 'c' },
	{ "duration",		required_argument,	NULL, LONG_DURATION },
	{ "sysctl-conf",	no_argument,		NULL, LONG_SYSCTL_CONF },
	{ "prometheus",		no_argument,		NULL, LONG_PROMETHEUS },
	{ "output",		required_argument,	NULL, LONG_OUTPUT },
	{ "columns",		required_argument,	NULL, 'o' },
	{ "no-header",		no_argument,		NULL, 'H' },
	{ "wide",		no_argument,		NULL, 'w' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL,			0,			NULL, 0 },
};

#define SHORT_OPTIONS "jpn:ai:c:Vho:Hw"

/*
 * '+': stop at the first word (non-option); '-': return each word as
 * option 1, in order, whatever POSIXLY_CORRECT says; ':': report a missing
 * argument as ':'.
 */
static const char short_options[] = "+:" SHORT_OPTIONS;
static const char words_options[] = "-:" SHORT_OPTIONS;

static const struct {
	unsigned int bit;
	const char *name;
} names[] = {
	{ OPT_JSON,		"-j/--json" },
	{ OPT_PRETTY,		"--pretty" },
	{ OPT_PROCESSES,	"--processes" },
	{ OPT_P,		"-p" },
	{ OPT_NETNS,		"-n/--netns" },
	{ OPT_ALL_NETNS,	"-a/--all-namespaces" },
	{ OPT_INTERVAL,		"-i/--interval" },
	{ OPT_COUNT,		"-c/--count" },
	{ OPT_DURATION,		"--duration" },
	{ OPT_SYSCTL_CONF,	"--sysctl-conf" },
	{ OPT_PROMETHEUS,	"--prometheus" },
	{ OPT_OUTPUT,		"--output" },
	{ OPT_COLUMNS,		"-o/--columns" },
	{ OPT_NO_HEADER,	"-H/--no-header" },
	{ OPT_WIDE,		"-w/--wide" },
};

void options_print_spellings(FILE *f, unsigned int allowed, const char *sep)
{
	bool first = true;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *p;

		if (!(allowed & names[i].bit))
			continue;
		for (p = names[i].name; *p; p++) {
			if (p == names[i].name || p[-1] == '/')
				fputs(first ? "" : sep, f);
			first = false;
			if (*p != '/')
				fputc(*p, f);
		}
	}
}

const char *options_name(unsigned int opt)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].bit == opt)
			return names[i].name;
	return "?";
}

/* The rule of an option's value, by its getopt value. */
static const char *rule(int c)
{
	switch (c) {
	case 'n':
		return NQ_RULE_NETNS;
	case 'i':
	case LONG_DURATION:
		return NQ_RULE_SECONDS;
	case 'c':
		return NQ_RULE_COUNT;
	case 'o':
		return NQ_RULE_COLUMNS;
	}
	return "a value";
}

/*
 * "--pr" matching several long options: "--pretty, --processes or
 * --prometheus" into buf; false when it is not ambiguous.
 */
static bool ambiguous(const char *arg, char *buf, size_t len)
{
	const struct option *lo;
	size_t n, k = 0, off = 0, total = 0;

	if (strncmp(arg, "--", 2) || !arg[2])
		return false;
	arg += 2;
	n = strcspn(arg, "=");
	for (lo = long_options; lo->name; lo++)
		if (!strncmp(lo->name, arg, n))
			total++;
	if (total < 2)
		return false;
	buf[0] = '\0';
	for (lo = long_options; lo->name; lo++) {
		if (strncmp(lo->name, arg, n))
			continue;
		k++;
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0,
					"%s--%s", k == 1 ? "" : k == total ?
					" or " : ", ", lo->name);
		if (off >= len)
			break;
	}
	return true;
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

/*
 * Parses options of argv into *n (which it adds to). permute: options may
 * be anywhere, the other words are collected in order into words[] (room
 * for argc), their number in *n_words; else parsing stops at the first
 * word, left at argv[optind]. Returns 0 or -EINVAL with err set.
 */
static int parse_loop(int argc, char *argv[], struct options *n, bool permute,
		      char **words, int *n_words, char *err, size_t errlen)
{
	char cands[256];
	const char *name;
	int c;

	optind = 0;	/* full reinitialisation (glibc) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, permute ? words_options :
				short_options, long_options, NULL)) != -1) {
		switch (c) {
		case 1:
			words[(*n_words)++] = optarg;
			break;
		case 'j':
			n->json = true;
			n->set |= OPT_JSON;
			break;
		case 'o':
			if (!optarg[0]) {
				snprintf(err, errlen,
					 "bad value \"\" for %s: expected %s",
					 options_name(OPT_COLUMNS),
					 NQ_RULE_COLUMNS);
				return -EINVAL;
			}
			n->columns = optarg;
			n->set |= OPT_COLUMNS;
			break;
		case 'H':
			n->no_header = true;
			n->set |= OPT_NO_HEADER;
			break;
		case 'w':
			n->wide = true;
			n->set |= OPT_WIDE;
			break;
		case LONG_PRETTY:
			n->pretty = true;
			n->set |= OPT_PRETTY;
			break;
		case LONG_PROCESSES:
			n->processes = true;
			n->set |= OPT_PROCESSES;
			break;
		case 'p':
			n->set |= OPT_P;
			break;
		case 'n':
			if (!optarg[0]) {
				snprintf(err, errlen,
					 "bad value \"\" for %s: expected %s",
					 options_name(OPT_NETNS), NQ_RULE_NETNS);
				return -EINVAL;
			}
			n->netns = optarg;
			n->set |= OPT_NETNS;
			break;
		case 'a':
			n->all_netns = true;
			n->set |= OPT_ALL_NETNS;
			break;
		case 'i':
			if (parse_interval(optarg, &n->interval_ms) < 0) {
				snprintf(err, errlen,
					 "bad value \"%s\" for %s: expected %s",
					 optarg, options_name(OPT_INTERVAL),
					 NQ_RULE_SECONDS);
				return -EINVAL;
			}
			n->set |= OPT_INTERVAL;
			break;
		case 'c':
			if (parse_count(optarg, &n->count) < 0) {
				snprintf(err, errlen,
					 "bad value \"%s\" for %s: expected %s",
					 optarg, options_name(OPT_COUNT),
					 NQ_RULE_COUNT);
				return -EINVAL;
			}
			n->set |= OPT_COUNT;
			break;
		case LONG_DURATION:
			if (parse_interval(optarg, &n->duration_ms) < 0) {
				snprintf(err, errlen,
					 "bad value \"%s\" for %s: expected %s",
					 optarg, options_name(OPT_DURATION),
					 NQ_RULE_SECONDS);
				return -EINVAL;
			}
			n->set |= OPT_DURATION;
			break;
		case LONG_SYSCTL_CONF:
			n->sysctl_conf = true;
			n->set |= OPT_SYSCTL_CONF;
			break;
		case LONG_PROMETHEUS:
			n->prometheus = true;
			n->set |= OPT_PROMETHEUS;
			break;
		case LONG_OUTPUT:
			if (!*optarg) {
				snprintf(err, errlen,
					 "invalid output file \"\": expected a path");
				return -EINVAL;
			}
			n->output = optarg;
			n->set |= OPT_OUTPUT;
			break;
		case 'V':
			n->version = true;
			break;
		case 'h':
			n->help = true;
			break;
		case ':':
			name = long_name(optopt);
			if (name && optopt > 255)
				snprintf(err, errlen,
					 "missing value for --%s: expected %s",
					 name, rule(optopt));
			else if (name)
				snprintf(err, errlen,
					 "missing value for -%c/--%s: expected %s",
					 optopt, name, rule(optopt));
			else
				snprintf(err, errlen,
					 "missing value for an option");
			return -EINVAL;
		default:
			/*
			 * Unknown option, or an argument given to a long
			 * option that takes none ("--json=x").
			 */
			name = optopt ? long_name(optopt) : NULL;
			if (!optopt && optind > 0 && optind <= argc &&
			    ambiguous(argv[optind - 1], cands, sizeof(cands)))
				snprintf(err, errlen,
					 "ambiguous option '%.*s': %s",
					 (int)strcspn(argv[optind - 1], "="),
					 argv[optind - 1], cands);
			else if (name && optind > 0 && optind <= argc &&
			    !strncmp(argv[optind - 1], "--", 2))
				snprintf(err, errlen,
					 "extra argument \"%s\": --%s takes no value",
					 strchr(argv[optind - 1], '=') ?
					 strchr(argv[optind - 1], '=') + 1 : "",
					 name);
			else if (optopt && optopt < 256)
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
	return 0;
}

static int check_count(const struct options *n, char *err, size_t errlen)
{
	if ((n->set & OPT_COUNT) && !(n->set & OPT_INTERVAL)) {
		snprintf(err, errlen, "%s requires %s", options_name(OPT_COUNT),
			 options_name(OPT_INTERVAL));
		return -EINVAL;
	}
	return 0;
}

int options_parse(int argc, char *argv[], struct options *o, char *err,
		  size_t errlen)
{
	struct options n = { 0 };
	int ret;

	ret = parse_loop(argc, argv, &n, false, NULL, NULL, err, errlen);
	if (ret < 0)
		return ret;
	/* What follows "--" is words only. */
	n.end_of_options = optind > 1 && optind <= argc &&
			   !strcmp(argv[optind - 1], "--");
	n.argc = argc - optind;
	n.argv = argv + optind;
	/* Else -i may still follow the subcommand: options_parse_args(). */
	if (!n.argc || n.end_of_options) {
		ret = check_count(&n, err, errlen);
		if (ret < 0)
			return ret;
	}
	*o = n;
	return 0;
}

int options_parse_args(struct options *o, char *err, size_t errlen)
{
	struct options n = *o;
	char **v, **words;
	int ret, i, n_words = 0;

	if (o->end_of_options || o->argc < 2)
		return check_count(o, err, errlen);
	/* getopt permutes its argv: work on a copy, with a program name. */
	v = calloc((size_t)o->argc + 2, sizeof(*v));
	words = calloc((size_t)o->argc + 1, sizeof(*words));
	if (!v || !words) {
		free(v);
		free(words);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	v[0] = (char *)"nqstat";
	memcpy(v + 1, o->argv, (size_t)o->argc * sizeof(*v));
	ret = parse_loop(o->argc + 1, v, &n, true, words, &n_words, err,
			 errlen);
	if (!ret) {
		/* After "--": words, in order. */
		for (i = optind; i < o->argc + 1; i++)
			words[n_words++] = v[i];
		ret = check_count(&n, err, errlen);
	}
	if (!ret) {
		memcpy(o->argv, words, (size_t)n_words * sizeof(*words));
		n.argc = n_words;
		*o = n;
	}
	free(v);
	free(words);
	return ret;
}

void options_resolve_p(struct options *o, unsigned int allowed)
{
	if (!(o->set & OPT_P) || !(allowed & (OPT_PROCESSES | OPT_PRETTY)))
		return;
	o->set &= ~OPT_P;
	if (allowed & OPT_PROCESSES) {
		o->processes = true;
		o->set |= OPT_PROCESSES;
	}
	if (allowed & OPT_PRETTY) {
		o->pretty = true;
		o->set |= OPT_PRETTY;
	}
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
	if ((o->set & OPT_ALL_NETNS) && (o->set & OPT_NETNS)) {
		snprintf(err, errlen,
			 "%s and %s exclude each other: drop -n NAME, or run once per namespace without -a",
			 options_name(OPT_ALL_NETNS), options_name(OPT_NETNS));
		return -EINVAL;
	}
	return 0;
}

int options_check_columns(const struct options *o,
			  const struct nq_field *table, size_t n, char *err,
			  size_t errlen)
{
	size_t idx[NQ_MAX_FIELDS], k;
	char why[128];
	int cols;

	if (!(o->set & OPT_COLUMNS) || !o->columns)
		return 0;
	cols = nq_fields_columns(table, n, o->columns, false, false, true, idx,
				 why, sizeof(why));
	if (cols <= 0) {
		snprintf(err, errlen, "bad value \"%s\" for %s: %s%sexpected %s",
			 o->columns, options_name(OPT_COLUMNS),
			 cols < 0 ? why : "", cols < 0 ? "; " : "",
			 NQ_RULE_COLUMNS);
		return -EINVAL;
	}
	for (k = 0; k < (size_t)cols; k++) {
		if (strcmp(table[idx[k]].key, "processes") || o->processes)
			continue;
		snprintf(err, errlen,
			 "column \"processes\" needs %s: add -p",
			 options_name(OPT_PROCESSES));
		return -EINVAL;
	}
	return 0;
}
