// SPDX-License-Identifier: GPL-2.0
/*
 * nqstat: per-listener TCP queue accounting, userspace side.
 *
 * Option parsing, the subcommand table and what the subcommands share.
 */
#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/completion.h"
#include "cmd/setns.h"
#include "out/field.h"

static int cmd_help(const struct options *o, int argc, char *argv[]);
static int cmd_completion(const struct options *o, int argc, char *argv[]);

static const struct subcommand {
	const char *name;
	int (*run)(const struct options *o, int argc, char *argv[]);
	unsigned int options;	/* OPT_* accepted */
	const char *args;
	const char *help;
} subcommands[] = {
	{ "show", cmd_show,
	  OPT_JSON | OPT_PRETTY | OPT_NETNS | OPT_ALL_NETNS | OPT_INTERVAL |
	  OPT_COUNT | OPT_COLUMNS | OPT_NO_HEADER | OPT_WIDE | OPT_PROCESSES,
	  "[port PORT] [addr ADDR]",
	  "list listeners and their counters (the default)" },
	{ "reset", cmd_reset, OPT_NETNS, "[port PORT] [addr ADDR]",
	  "zero the counters and peaks (needs CAP_NET_ADMIN)" },
	{ "tw", cmd_tw,
	  OPT_JSON | OPT_PRETTY | OPT_NETNS | OPT_ALL_NETNS | OPT_INTERVAL |
	  OPT_COUNT,
	  "[top N]",
	  "TIME_WAIT and local port use per namespace" },
	{ "ct", cmd_ct,
	  OPT_JSON | OPT_PRETTY | OPT_NETNS | OPT_ALL_NETNS | OPT_INTERVAL |
	  OPT_COUNT,
	  "",
	  "connection tracking table use and drops per namespace" },
	{ "status", cmd_status, OPT_JSON | OPT_PRETTY | OPT_NETNS, "",
	  "show the module version, its hooks and its table use" },
	{ "recommend", cmd_recommend,
	  OPT_JSON | OPT_PRETTY | OPT_NETNS | OPT_ALL_NETNS | OPT_DURATION |
	  OPT_SYSCTL_CONF,
	  "[--duration SECS]",
	  "sysctls worth changing, and why (exit 1 if any)" },
	{ "report", cmd_report,
	  OPT_JSON | OPT_PRETTY | OPT_NETNS | OPT_ALL_NETNS | OPT_DURATION |
	  OPT_PROMETHEUS | OPT_OUTPUT,
	  "[--duration SECS] [--output FILE]",
	  "capacity planning (--prometheus: for node_exporter)" },
	{ "help", cmd_help, ~0U, "", "show this help" },
	/* Hidden (no help): make writes nqstat.bash-completion with it. */
	{ "completion", cmd_completion, 0, "[bash]", NULL },
};

#define N_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

/*
 * The keys of a field table after a title, wrapped at 72 columns: its
 * columns (those with a title), or the members of its JSON objects.
 */
static void print_keys(FILE *f, const char *title,
		       const struct nq_field *table, size_t n, bool columns)
{
	size_t i, col = strlen(title), len;

	fputs(title, f);
	for (i = 0; i < n; i++) {
		if (!table[i].key || (columns ? !table[i].title :
				      (table[i].flags & NQ_FF_TEXT) != 0))
			continue;
		len = strlen(table[i].key);
		if (col + 1 + len > 72) {
			fputs("\n ", f);
			col = 1;
		}
		fprintf(f, " %s", table[i].key);
		col += 1 + len;
	}
	fputc('\n', f);
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: %s [OPTIONS] [SUBCOMMAND [ARGUMENTS]]\n"
		"       %s [OPTIONS] [port PORT] [addr ADDR]    (show)\n"
		"\n"
		"Per-listener TCP connection accounting: counts, for every TCP\n"
		"listener, what happened to the connections offered to it; and,\n"
		"per network namespace, TIME_WAIT and local port use (tw) and\n"
		"connection tracking pressure (ct).\n"
		"\n"
		"Subcommands:\n", PROG_NAME, PROG_NAME);
	for (i = 0; i < N_SUBCOMMANDS; i++) {
		const struct subcommand *sc = &subcommands[i];

		if (!sc->help)
			continue;
		int w = 30 - (int)strlen(sc->name) - (sc->args[0] ? 1 : 0);

		/* Too long for its column: the help on a line of its own. */
		if ((int)strlen(sc->args) > w)
			fprintf(f, "  %s %s\n%33s%s\n", sc->name, sc->args, "",
				sc->help);
		else
			fprintf(f, "  %s%s%-*s %s\n", sc->name,
				sc->args[0] ? " " : "", w, sc->args, sc->help);
	}
	fprintf(f,
		"\n"
		"Options:\n"
		"  -j, --json               print JSON\n"
		"      --pretty             indent JSON output (with -j)\n"
		"      --processes          show: the processes holding each listener,\n"
		"                           with their systemd unit or cgroup (as ss -p)\n"
		"  -p                       both, as iproute2: --pretty (ip -j -p) and,\n"
		"                           in show, --processes (ss -p)\n"
		"  -n, --netns NAME         work in network namespace NAME (%s/NAME,\n"
		"                           or a path if NAME contains a '/')\n"
		"  -a, --all-namespaces     every network namespace: show, tw, ct,\n"
		"                           report through the module (needs\n"
		"                           CAP_NET_ADMIN); recommend enters each one\n"
		"                           (needs CAP_SYS_ADMIN; without it, only the\n"
		"                           caller's namespace is judged)\n"
		"  -i, --interval SECS      show, tw, ct: report every SECS seconds, with\n"
		"                           rates (show: sorted by drop rate)\n"
		"  -c, --count N            with -i: stop after N reports\n"
		"  -o, --columns KEY,...    show: these columns, by JSON key (below)\n"
		"  -w, --wide               show: every column\n"
		"  -H, --no-header          show: no line of column titles\n"
		"  --duration SECS          recommend, report: observe for SECS seconds (two\n"
		"                           snapshots) and use the rates between them\n"
		"  --sysctl-conf            recommend: print a drop-in for /etc/sysctl.d/,\n"
		"                           the evidence as comments\n"
		"  --prometheus             report: Prometheus text format (node_exporter\n"
		"                           textfile collector)\n"
		"  --output FILE            report: write FILE atomically (a temporary\n"
		"                           file beside it, fsync, rename) instead of stdout\n"
		"  -V, --version            print the version and exit\n"
		"  -h, --help               print this help and exit\n"
		"\n"
		"Options may also follow the subcommand (\"nqstat tw -j\").\n"
		"\n"
		"Listeners are sorted by drops, most first. One set of keys for\n"
		"every subcommand and output: the JSON keys, show's columns (-o),\n"
		"the lines of tw and ct (KEY: VALUE), report's columns; with -i,\n"
		"KEY_per_second after a counter KEY (drops_total: drops_per_second).\n"
		"\n", NETNS_RUN_DIR);
	print_keys(f, "show:", nq_listener_fields, nq_n_listener_fields, true);
	print_keys(f, "tw:", nq_netns_fields, nq_n_netns_fields, false);
	print_keys(f, "tw_destinations:", nq_dest_fields, nq_n_dest_fields,
		   false);
	print_keys(f, "ct: netns netns_cookie", nq_ct_fields, nq_n_ct_fields, false);
	fprintf(f,
		"\n"
		"JSON documents carry \"schema_version\" %d and a \"timestamp\".\n"
		"Renamed once (pre-1.0), old -> new: netns_inode -> netns,\n"
		"address -> addr, X_peak_since_reset -> X_peak_reset, counters.X ->\n"
		"X, rates.X -> X_per_second, elapsed_ms, elapsed_s -> window_s;\n"
		"report: listener_*, timewait_* -> the keys above; ct: entries,\n"
		"peak, nf_conntrack_max, nf_conntrack_buckets, table_full_drops, ...\n"
		"-> ct_count, ct_peak, ct_max, ct_buckets, ct_table_full_drops, ...;\n"
		"tw: sysctls.X -> X, ip_local_port_range -> port_range_low,\n"
		"port_range_high; tw and ct text: their labels (\"TIME-WAIT created:\",\n"
		"\"entries:\", ...) -> the keys. See nqstat(8), JSON OUTPUT.\n"
		"\n"
		"Dropped by: synq, syn-backlog, acceptq(syn) (SYN dropped, accept\n"
		"queue full), acceptq(ack) (final ACK dropped; rst: answered with a\n"
		"reset), other.\n"
		"\n"
		"Exit status: 0 on success, 2 on any error; recommend: 1 when it\n"
		"recommends a change.\n"
		"See nqstat(8).\n", NQ_SCHEMA_VERSION);
}

static int cmd_help(const struct options *o, int argc, char *argv[])
{
	(void)o;
	(void)argv;
	if (argc)	/* checked in main() */
		return EXIT_ERROR;
	usage(stdout);
	return 0;
}

/* "completion bash": the script, from the tables. */
static int cmd_completion(const struct options *o, int argc, char *argv[])
{
	struct nq_comp_cmd cmds[N_SUBCOMMANDS];
	size_t i, n = 0;

	(void)o;
	if (!argc)
		return nq_usage_error("missing value for completion: expected bash");
	if (argc != 1 || strcmp(argv[0], "bash"))
		return nq_usage_error("unknown argument \"%s\" for completion; expected: bash",
				      argv[argc > 1 && !strcmp(argv[0], "bash")]);
	for (i = 0; i < N_SUBCOMMANDS; i++)
		if (subcommands[i].help)
			cmds[n++] = (struct nq_comp_cmd){
				subcommands[i].name,
				subcommands[i].options == ~0U ? 0 :
				subcommands[i].options, subcommands[i].args };
	return nq_completion_bash(stdout, cmds, n) ? EXIT_ERROR : 0;
}

static const struct subcommand *find_subcommand(const char *name)
{
	size_t i;

	for (i = 0; i < N_SUBCOMMANDS; i++)
		if (!strcmp(subcommands[i].name, name))
			return &subcommands[i];
	return NULL;
}

/* Whether sc takes words ("[top N]"), not only options. */
static bool takes_words(const struct subcommand *sc)
{
	return sc->args[0] && strncmp(sc->args, "[--", 3);
}

/*
 * The command line without running anything: the options (before and
 * after the subcommand), the subcommand (*sc) and whether it takes the
 * options given. Returns 0, or
 * -EINVAL or -ENOMEM with the problem in err. No output: tool/fuzz/
 * fuzzes it as it is here.
 */
static int parse_cmdline(int argc, char *argv[], struct options *o,
			 const struct subcommand **sc, bool *implicit,
			 char *err, size_t errlen)
{
	int ret;

	*sc = NULL;
	*implicit = false;
	ret = options_parse(argc, argv, o, err, errlen);
	if (!ret)
		ret = options_parse_args(o, err, errlen);
	/*
	 * -h and -V print and exit only when the rest of the options and
	 * the subcommand are valid: checked as for any run.
	 */
	if (ret < 0)
		return ret;
	/* "nqstat port 80" is "nqstat show port 80". */
	*implicit = !o->argc || !strcmp(o->argv[0], "port") ||
		    !strcmp(o->argv[0], "addr");
	*sc = find_subcommand(*implicit ? "show" : o->argv[0]);
	if (!*sc) {
		snprintf(err, errlen, "unknown subcommand \"%s\"", o->argv[0]);
		return -EINVAL;
	}
	options_resolve_p(o, (*sc)->options);
	ret = options_check(o, (*sc)->options, (*sc)->name, err, errlen);
	if (!ret && ((*sc)->options & OPT_COLUMNS))
		ret = options_check_columns(o, nq_listener_fields,
					    nq_n_listener_fields, err, errlen);
	if (ret)
		return ret;
	/* Words after a subcommand that takes none (its args only options). */
	if (!*implicit && o->argc > 1 && !takes_words(*sc)) {
		snprintf(err, errlen,
			 "extra argument \"%s\": %s takes no arguments",
			 o->argv[1], (*sc)->name);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	const struct subcommand *sc;
	struct options o;
	char err[512];
	bool implicit;
	int ret;

	/* One thread: no lock per character written (JSON, tables). */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	if (parse_cmdline(argc, argv, &o, &sc, &implicit, err,
			  sizeof(err)) < 0)
		return nq_usage_error("%s", err);
	if (o.help) {
		usage(stdout);
		ret = 0;
	} else if (o.version) {
		printf("%s %s\n", PROG_NAME, NQSTAT_VERSION);
		ret = 0;
	} else if (implicit) {
		ret = sc->run(&o, o.argc, o.argv);
	} else {
		ret = sc->run(&o, o.argc - 1, o.argv + 1);
	}
	if (fflush(stdout) == EOF) {
		nq_err("cannot write output: %s", strerror(errno));
		ret = EXIT_ERROR;
	} else if (ferror(stdout)) {
		nq_err("cannot write output: %s", strerror(EIO));
		ret = EXIT_ERROR;
	}
	return ret;
}
