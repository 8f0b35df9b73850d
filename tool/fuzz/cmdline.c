// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the command line, parsed as nqstat parses it and
 * nothing run. The input is the words after the program name, separated
 * by NUL bytes. main.c is compiled in (its main() renamed), so that its
 * parse_cmdline() (options before and after the subcommand, the
 * subcommand, the options it takes) is the tool's own; then the
 * arguments of the subcommand go through the parser the subcommand runs
 * (parse_show_args(), parse_filter_args(), parse_tw_args(), the -o
 * column list), and every word through each value parser.
 *
 * Checked: an error always says why; options parsed are within their
 * ranges and agree with the bits of o->set; printing the options back as
 * a command line and parsing that gives the same options and words; a
 * subcommand never gets an option it does not take; the value parsers
 * agree with plain reference implementations of their grammars; an
 * address or a column list printed back parses to the same.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fuzz/fuzz.h"

#define main nqstat_main
#include "main.c"
#undef main

#include "cmd/parse.h"
#include "model/netns.h"

#define MAX_WORDS 64

/* Decimal digits only, at most max, into *v: what parse_ulong() accepts. */
static int ref_dec(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	bool big = false;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (x > (UINT64_MAX - 9) / 10)
			big = true;
		else
			x = x * 10 + (uint64_t)(*s - '0');
	}
	if (big || x < min || x > max)
		return -ERANGE;
	*v = x;
	return 0;
}

/* "S" or "S.F", F of 1 to 3 digits, 0.001 to 86400 s: parse_interval(). */
static int ref_interval(const char *s, unsigned int *ms)
{
	const char *dot = strchr(s, '.');
	char ip[32];
	uint64_t secs, frac = 0;
	size_t il, fl = 0, i;
	int ret;

	il = dot ? (size_t)(dot - s) : strlen(s);
	if (!il)
		return -EINVAL;
	if (dot) {
		fl = strlen(dot + 1);
		if (!fl || fl > 3)
			return -EINVAL;
		for (i = 1; i <= fl; i++) {
			if (dot[i] < '0' || dot[i] > '9')
				return -EINVAL;
			frac = frac * 10 + (uint64_t)(dot[i] - '0');
		}
		for (; fl < 3; fl++)
			frac *= 10;
	}
	for (i = 0; i < il; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	/* Leading zeros do not count. */
	while (il > 1 && *s == '0')
		s++, il--;
	if (il >= sizeof(ip))
		return -ERANGE;
	memcpy(ip, s, il);
	ip[il] = '\0';
	ret = ref_dec(ip, 0, 86400, &secs);
	if (ret < 0)
		return ret;
	secs = secs * 1000 + frac;
	if (secs < 1 || secs > NQ_INTERVAL_MAX_MS)
		return -ERANGE;
	*ms = (unsigned int)secs;
	return 0;
}

/* Each value parser against its reference, on one word. */
static void values(const char *w)
{
	unsigned int ms = 7, ms2 = 7, count = 7;
	uint32_t top = 7;
	uint16_t port = 7;
	uint64_t v = 0;
	struct nq_addr a, b;
	char text[INET6_ADDRSTRLEN + 2];
	int ret;

	ret = parse_interval(w, &ms);
	CHECK(ret == ref_interval(w, &ms2));
	CHECK(ret ? ms == 7 : ms == ms2);
	ret = parse_count(w, &count);
	CHECK(ret == ref_dec(w, 1, UINT_MAX, &v));
	CHECK(ret ? count == 7 : count == v);
	ret = parse_port(w, &port);
	CHECK(ret == ref_dec(w, 1, 65535, &v));
	CHECK(ret ? port == 7 : port == v);
	ret = parse_top_n(w, &top);
	CHECK(ret == ref_dec(w, 1, NQ_TOP_N_MAX, &v));
	CHECK(ret ? top == 7 : top == v);
	if (!parse_addr(w, &a)) {
		CHECK(a.family == AF_INET || a.family == AF_INET6);
		CHECK(inet_ntop(a.family, a.bytes, text + 1,
				sizeof(text) - 2));
		CHECK(!parse_addr(text + 1, &b) && b.family == a.family &&
		      !memcmp(a.bytes, b.bytes, sizeof(a.bytes)));
		if (a.family == AF_INET6) {	/* "[addr]" too */
			text[0] = '[';
			strcat(text, "]");
			CHECK(!parse_addr(text, &b) && b.family == a.family &&
			      !memcmp(a.bytes, b.bytes, sizeof(a.bytes)));
		}
	}
}

static bool in_words(const char *p, const char *buf, size_t len)
{
	return p >= buf && p < buf + len && (p == buf || !p[-1]);
}

/* The options of o as a command line, then "--" and its words. */
static int reprint(const struct options *o, char **v, char *num, size_t len)
{
	int n = 0, k;

	v[n++] = (char *)"nqstat";
#define FLAG(b, s) do { if (o->set & (b)) v[n++] = (char *)(s); } while (0)
	FLAG(OPT_JSON, "-j");
	FLAG(OPT_PRETTY, "--pretty");
	FLAG(OPT_ALL_NETNS, "-a");
	FLAG(OPT_SYSCTL_CONF, "--sysctl-conf");
	FLAG(OPT_PROMETHEUS, "--prometheus");
	FLAG(OPT_NO_HEADER, "-H");
	FLAG(OPT_WIDE, "--wide");
	FLAG(OPT_PROCESSES, "--processes");
	FLAG(OPT_P, "-p");
	if (o->help)
		v[n++] = (char *)"--help";
	if (o->version)
		v[n++] = (char *)"-V";
	if (o->set & OPT_NETNS) {
		v[n++] = (char *)"--netns";
		v[n++] = (char *)o->netns;
	}
	if (o->set & OPT_COLUMNS) {
		v[n++] = (char *)"-o";
		v[n++] = (char *)o->columns;
	}
	if (o->set & OPT_OUTPUT) {
		v[n++] = (char *)"--output";
		v[n++] = (char *)o->output;
	}
	if (o->set & OPT_INTERVAL) {
		snprintf(num, len, "--interval=%u.%03u", o->interval_ms / 1000,
			 o->interval_ms % 1000);
		v[n++] = num;
		num += 32;
		len -= 32;
	}
	if (o->set & OPT_COUNT) {
		v[n++] = (char *)"-c";
		snprintf(num, len, "%u", o->count);
		v[n++] = num;
		num += 32;
		len -= 32;
	}
	if (o->set & OPT_DURATION) {
		v[n++] = (char *)"--duration";
		snprintf(num, len, "%u.%03u", o->duration_ms / 1000,
			 o->duration_ms % 1000);
		v[n++] = num;
	}
	v[n++] = (char *)"--";
	for (k = 0; k < o->argc; k++)
		v[n++] = o->argv[k];
	v[n] = NULL;
	return n;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void round_trip(const struct options *o)
{
	char *v[MAX_WORDS + 32], num[128], err[512];
	struct options r;
	int n, k;

	n = reprint(o, v, num, sizeof(num));
	CHECK(!options_parse(n, v, &r, err, sizeof(err)));
	CHECK(!options_parse_args(&r, err, sizeof(err)));
	CHECK(r.set == o->set && r.json == o->json &&
	      r.pretty == o->pretty && r.all_netns == o->all_netns &&
	      r.help == o->help && r.version == o->version &&
	      same_str(r.netns, o->netns) &&
	      r.interval_ms == o->interval_ms && r.count == o->count &&
	      r.duration_ms == o->duration_ms &&
	      r.sysctl_conf == o->sysctl_conf &&
	      r.prometheus == o->prometheus &&
	      same_str(r.columns, o->columns) &&
	      same_str(r.output, o->output) &&
	      r.no_header == o->no_header && r.wide == o->wide &&
	      r.processes == o->processes);
	CHECK(r.argc == o->argc);
	for (k = 0; k < r.argc; k++)
		CHECK(r.argv[k] == o->argv[k]);
}

/* What "show -o LIST" would print: the keys of the list, in its order. */
static void columns(const struct options *o)
{
	size_t idx[NQ_MAX_FIELDS], k, off = 0, len;
	char err[512], back[4096];
	int n;

	n = nq_fields_columns(nq_listener_fields, nq_n_listener_fields,
			      o->columns, o->wide, o->all_netns,
			      o->interval_ms != 0, idx, err, sizeof(err));
	if (n < 0) {
		CHECK(o->columns && err[0]);
		return;
	}
	CHECK((size_t)n <= nq_n_listener_fields && n <= NQ_MAX_FIELDS);
	back[0] = '\0';
	for (k = 0; k < (size_t)n; k++) {
		const struct nq_field *f = &nq_listener_fields[idx[k]];

		CHECK(idx[k] < nq_n_listener_fields && f->key && f->title);
		off += (size_t)snprintf(back + off, sizeof(back) - off, "%s%s",
					k ? "," : "", f->key);
		CHECK(off < sizeof(back));
	}
	if (!o->columns)
		return;
	/* The list, but for one trailing comma. */
	len = strlen(o->columns);
	if (len && o->columns[len - 1] == ',')
		len--;
	CHECK(strlen(back) == len && !strncmp(back, o->columns, len));
}

/* The arguments of the subcommand, by the parser it runs first. */
static void arguments(const struct subcommand *sc, const struct options *o,
		      int argc, char **argv)
{
	struct nq_filter f;
	char err[512] = "";
	uint32_t top = 0;
	struct nq_addr a;
	char port[8];
	int i;

	if (!strcmp(sc->name, "show") || !strcmp(sc->name, "reset")) {
		if (parse_filter_args(sc->name, argc, argv, &f, err,
				      sizeof(err)) < 0) {
			CHECK(err[0]);
			return;
		}
		CHECK(!(argc % 2) && argc <= 4);
		for (i = 0; i < argc; i += 2) {
			if (!strcmp(argv[i], "port")) {
				CHECK(f.has_port && f.port);
				snprintf(port, sizeof(port), "%u", f.port);
				/* The same number, maybe with leading zeros. */
				CHECK(!strcmp(argv[i + 1] +
					      strspn(argv[i + 1], "0"), port));
			} else {
				CHECK(!strcmp(argv[i], "addr") && f.has_addr);
				CHECK(!parse_addr(argv[i + 1], &a) &&
				      !memcmp(&a, &f.addr, sizeof(a)));
			}
		}
		CHECK(f.has_port + f.has_addr == argc / 2);
		if (!strcmp(sc->name, "show"))
			columns(o);
	} else if (!strcmp(sc->name, "tw")) {
		if (parse_tw_args(argc, argv, NQ_TOP_N_DEFAULT, &top, err,
				  sizeof(err)) < 0) {
			CHECK(err[0]);
			return;
		}
		CHECK(top >= 1 && top <= NQ_TOP_N_MAX);
		CHECK(argc ? argc == 2 : top == NQ_TOP_N_DEFAULT);
	}
	/* ct, status, recommend, report, help: no argument to parse. */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_WORDS + 2], *buf, err[512];
	const struct subcommand *sc;
	struct options o;
	bool implicit;
	int argc = 0, i, ret;
	size_t off;

	if (size > 4096)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"nqstat";
	for (off = 0; off <= size && argc <= MAX_WORDS;
	     off += strlen(buf + off) + 1)
		argv[argc++] = buf + off;
	if (!size)
		argc = 1;	/* no word at all */
	argv[argc] = NULL;
	for (i = 1; i < argc; i++)
		values(argv[i]);

	memset(err, 0, sizeof(err));
	ret = parse_cmdline(argc, argv, &o, &sc, &implicit, err, sizeof(err));
	if (ret < 0) {
		CHECK(ret == -EINVAL || ret == -ENOMEM);
		CHECK(err[0] && strlen(err) < sizeof(err));
		goto out;
	}
	/* Values within range, and set exactly with their bits. */
	CHECK(o.json == !!(o.set & OPT_JSON));
	CHECK(o.pretty == !!(o.set & OPT_PRETTY));
	CHECK(o.processes == !!(o.set & OPT_PROCESSES));
	CHECK(o.all_netns == !!(o.set & OPT_ALL_NETNS));
	CHECK(o.sysctl_conf == !!(o.set & OPT_SYSCTL_CONF));
	CHECK(o.prometheus == !!(o.set & OPT_PROMETHEUS));
	CHECK(o.no_header == !!(o.set & OPT_NO_HEADER));
	CHECK(o.wide == !!(o.set & OPT_WIDE));
	CHECK(!o.netns == !(o.set & OPT_NETNS));
	CHECK(!o.output == !(o.set & OPT_OUTPUT));
	CHECK(!o.output || (o.output[0] && o.output >= buf &&
			    o.output <= buf + size));
	/* Pointers into the words ("-nNAME", "--netns=NAME" too). */
	CHECK(!o.netns || (o.netns[0] && o.netns >= buf &&
			   o.netns <= buf + size));
	CHECK(!o.columns == !(o.set & OPT_COLUMNS));
	CHECK(!o.columns || (o.columns >= buf && o.columns <= buf + size));
	CHECK(!o.interval_ms == !(o.set & OPT_INTERVAL));
	CHECK(o.interval_ms <= NQ_INTERVAL_MAX_MS);
	CHECK(!o.count == !(o.set & OPT_COUNT));
	CHECK(!(o.set & OPT_COUNT) || (o.set & OPT_INTERVAL));
	CHECK(!o.duration_ms == !(o.set & OPT_DURATION));
	CHECK(o.duration_ms <= NQ_INTERVAL_MAX_MS);
	CHECK(o.argc >= 0 && o.argc < argc);
	for (i = 0; i < o.argc; i++)
		CHECK(in_words(o.argv[i], buf, size + 1));
	round_trip(&o);
	if (!sc) {
		CHECK(o.help || o.version);
		goto out;
	}
	CHECK(!(o.set & ~sc->options));
	CHECK(implicit || (o.argc && !strcmp(o.argv[0], sc->name)));
	if (implicit)
		arguments(sc, &o, o.argc, o.argv);
	else
		arguments(sc, &o, o.argc - 1, o.argv + 1);
out:
	free(buf);
	return 0;
}
