// SPDX-License-Identifier: GPL-2.0
/*
 * The field tables (out/f_*.c): per row kind (listener, namespace,
 * conntrack, hook, TIME_WAIT destination), text, JSON and Prometheus
 * written from one entry agree on every value, known or unknown; and a
 * table test of each table (keys, names, sources) standing for the
 * schema of the documents built from them.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "out/field.h"

static char *mbuf;
static size_t mlen;

/* The JSON text of one field: {"key":value}. */
static char *json_of(const struct nq_field *f, const void *row)
{
	FILE *m = open_memstream(&mbuf, &mlen);
	struct json *j = json_new(m, false);

	json_obj_begin(j);
	nq_field_json(j, f, row);
	json_obj_end(j);
	json_end(j);
	fclose(m);
	return mbuf;
}

/* The Prometheus sample of one field, or NULL when none was written. */
static char *prom_of(const struct nq_field *f, const void *row)
{
	FILE *m = open_memstream(&mbuf, &mlen);
	bool wrote = nq_field_prom(m, f, row, "netns=\"1\"");

	fclose(m);
	if (!wrote) {
		free(mbuf);
		return NULL;
	}
	return mbuf;
}

/*
 * The three outputs of every field of table for row agree: a known
 * value is the same number (to each output's precision) or the same
 * string; an unknown one is "-", null and no sample. Returns the number
 * of known values.
 */
static int agree(struct __test_metadata *_metadata,
		 const struct nq_field *table, size_t n, const void *row)
{
	char text[FORMAT_DROPPED_BY_LEN];
	int known = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct nq_field *f = &table[i];
		char *json, *prom, *v, *end;
		double t, jv, pv;

		if (!f->key || (f->flags & (NQ_FF_TEXT | NQ_FF_PROM)))
			continue;
		nq_field_text(f, row, text, sizeof(text));
		json = json_of(f, row);
		prom = prom_of(f, row);
		v = strchr(json, ':') + 1;
		v[strlen(v) - 2] = '\0';	/* "}\n" */
		if (!strcmp(text, "-")) {
			EXPECT_STREQ("null", v) TH_LOG("%s", f->key);
			EXPECT_NULL(prom) TH_LOG("%s", f->key);
		} else if (f->type == NQ_FT_STR) {
			known++;
			EXPECT_EQ('"', v[0]) TH_LOG("%s", f->key);
			v[strlen(v) - 1] = '\0';
			EXPECT_STREQ(text, v + 1) TH_LOG("%s", f->key);
			EXPECT_NULL(prom) TH_LOG("%s", f->key);
		} else {
			known++;
			t = strtod(text, &end);
			if (f->type == NQ_FT_RATIO) {
				EXPECT_EQ('%', *end) TH_LOG("%s", f->key);
				t /= 100;
			}
			jv = strtod(v, NULL);
			/* Text: 1 decimal (ratios: 0.1%); JSON: 3. */
			EXPECT_TRUE(fabs(t - jv) <= (f->type == NQ_FT_U64 ? 0 :
					f->type == NQ_FT_RATIO ? 0.0005001 :
					0.05001))
				TH_LOG("%s: text %s, JSON %s", f->key, text, v);
			/* Text may follow the value with words. */
			if (f->type == NQ_FT_U64)
				EXPECT_TRUE(!strncmp(text, v, strlen(v)) &&
					    (!text[strlen(v)] ||
					     text[strlen(v)] == ' '))
					TH_LOG("%s: text %s, JSON %s", f->key,
					       text, v);
			if (f->prom) {
				ASSERT_NE(NULL, prom) TH_LOG("%s", f->key);
				EXPECT_EQ(0, strncmp(prom, "nqstat_", 7));
				/* The family, then its fixed labels. */
				EXPECT_EQ(0, strncmp(prom + 7, f->prom,
						     nq_prom_name_len(f->prom)));
				if (f->prom[nq_prom_name_len(f->prom)])
					EXPECT_NE(NULL, strstr(prom,
						f->prom + nq_prom_name_len(f->prom) + 1))
						TH_LOG("%s", prom);
				pv = strtod(strrchr(prom, ' ') + 1, NULL);
				EXPECT_TRUE(fabs(pv - jv) <= 0.0005001)
					TH_LOG("%s: JSON %s, Prometheus %s",
					       f->key, v, prom);
			} else {
				EXPECT_NULL(prom) TH_LOG("%s", f->key);
			}
		}
		free(json);
		free(prom);
	}
	return known;
}

static struct nq_listener full_listener(void)
{
	struct nq_listener l;
	unsigned int c;

	nq_listener_init(&l);
	l.cookie = 77;
	l.netns_inode = 4026531840U;
	l.netns_cookie = 1;
	l.family = AF_INET6;
	l.addr_len = 16;
	l.addr[15] = 1;
	l.port = 8080;
	l.ifindex = 0;
	l.state = NQSTAT_LISTENER_LISTENING;
	l.backlog = 127;
	l.backlog_source = NQSTAT_BACKLOG_SOMAXCONN;
	l.acceptq_len = 3;
	l.synq_len = 4;
	l.acceptq_peak = 128;
	l.synq_peak = 64;
	l.acceptq_peak_reset = 100;
	l.synq_peak_reset = 60;
	l.kernel_drops = 9;
	l.reset_ms = 4294967300ULL;	/* past 32 bits */
	l.closed_ms = 12;
	for (c = NQSTAT_CTR_PAD + 1; c <= NQSTAT_CTR_MAX; c++)
		l.counters[c] = 1000 + c;
	return l;
}

TEST(listener_outputs_agree)
{
	struct nq_listener l = full_listener(), u;
	struct nq_rates r;
	struct nq_lrow row = { .l = &l, .r = &r, .dev = "eth0" };
	unsigned int c;

	nq_rates_init(&r);
	r.drops_total = 12.345;
	for (c = NQSTAT_CTR_PAD + 1; c <= NQSTAT_CTR_MAX; c++)
		r.v[c] = c / 3.0;
	EXPECT_LT(40, agree(_metadata, nq_listener_fields,
			    nq_n_listener_fields, &row));
	/* Every value unknown: "-", null, no sample, everywhere. */
	nq_listener_init(&u);
	nq_rates_init(&r);
	row = (struct nq_lrow){ .l = &u, .r = &r };
	EXPECT_EQ(0, agree(_metadata, nq_listener_fields,
			   nq_n_listener_fields, &row));
}

static struct nq_netns full_ns(struct nq_tw_dest *d)
{
	struct nq_netns ns;

	nq_netns_init(&ns);
	ns.inode = 4026531840U;
	ns.cookie = 1;
	ns.tw_count = 500;
	ns.tw_peak = 800;
	ns.tw_created = 3000;
	ns.tw_overflows = 2;
	ns.connect_port_exhausted = 1;
	ns.max_tw_buckets = 1000;
	ns.port_range_low = 32768;
	ns.port_range_high = 60999;
	ns.tw_reuse = 2;
	ns.timestamps = 1;
	ns.fin_timeout_s = 60;
	ns.dests_known = true;
	ns.dests = d;
	ns.n_dests = 1;
	ns.ct.state = NQSTAT_CT_LOADED;
	ns.ct.count = 100;
	ns.ct.peak = 300;
	ns.ct.max = 600;
	ns.ct.buckets = 512;
	ns.ct.table_full_drops = 5;
	ns.ct.early_drops = 6;
	ns.ct.insert_failed = 7;
	ns.ct.drops = 8;
	return ns;
}

static void full_rates(struct nq_netns_rates *r)
{
	nq_netns_rates_init(r);
	r->v[NQSTAT_A_NETNS_TW_CREATED] = 1000.25;
	r->v[NQSTAT_A_NETNS_TW_OVERFLOWS] = 0.5;
	r->v[NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED] = 2;
	r->ct[NQSTAT_A_CT_TABLE_FULL_DROPS] = 1.5;
	r->ct[NQSTAT_A_CT_EARLY_DROPS] = 0;
}

TEST(netns_outputs_agree)
{
	struct nq_tw_dest d = { AF_INET, { 10, 0, 0, 1 }, 80, 7000, 4 };
	struct nq_netns ns = full_ns(&d), u;
	struct nq_netns_rates r;
	struct nq_nsrow row = { &ns, &r };

	full_rates(&r);
	EXPECT_LT(18, agree(_metadata, nq_netns_fields, nq_n_netns_fields,
			    &row));
	/* Values with words in text ("2 (loopback only)") still agree. */
	ns.tw_reuse = 1;
	ns.timestamps = 0;
	EXPECT_LT(18, agree(_metadata, nq_netns_fields, nq_n_netns_fields,
			    &row));
	nq_netns_init(&u);
	row = (struct nq_nsrow){ &u, NULL };
	EXPECT_EQ(0, agree(_metadata, nq_netns_fields, nq_n_netns_fields,
			   &row));
}

TEST(ct_outputs_agree)
{
	struct nq_tw_dest d = { AF_INET, { 10, 0, 0, 1 }, 80, 7000, 4 };
	struct nq_netns ns = full_ns(&d), u;
	struct nq_netns_rates r;
	struct nq_nsrow row = { &ns, &r };

	full_rates(&r);
	EXPECT_LT(10, agree(_metadata, nq_ct_fields, nq_n_ct_fields, &row));
	/* At the limit, and without one (0 before Linux 7.3). */
	ns.ct.count = ns.ct.peak = ns.ct.max;
	EXPECT_LT(10, agree(_metadata, nq_ct_fields, nq_n_ct_fields, &row));
	ns.ct.max = 0;
	EXPECT_LT(9, agree(_metadata, nq_ct_fields, nq_n_ct_fields, &row));
	/* nf_conntrack not loaded: the state only. */
	ns.ct.state = NQSTAT_CT_NOT_LOADED;
	row.r = NULL;
	EXPECT_EQ(1, agree(_metadata, nq_ct_fields, nq_n_ct_fields, &row));
	nq_netns_init(&u);
	row = (struct nq_nsrow){ &u, NULL };
	EXPECT_EQ(0, agree(_metadata, nq_ct_fields, nq_n_ct_fields, &row));
}

/* tw's destinations: the columns of the text table and JSON's members. */
TEST(dest_outputs_agree)
{
	struct nq_tw_dest d[2] = {
		{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, 443, 22586,
		  16 },
		{ NQ_UNKNOWN, { 0 }, NQ_UNKNOWN, NQ_UNKNOWN, 0 },
	};
	struct nq_netns ns = full_ns(d);
	struct nq_drow row = { &ns, &d[0] };
	char text[FORMAT_DROPPED_BY_LEN];

	EXPECT_EQ(5, agree(_metadata, nq_dest_fields, nq_n_dest_fields,
			   &row));
	/* The text-only columns: ss's endpoint, and the mark. */
	EXPECT_STREQ("[2001:db8::1]:443",
		     nq_field_text(nq_field_find(nq_dest_fields,
						 nq_n_dest_fields, "endpoint"),
				   &row, text, sizeof(text)));
	EXPECT_STREQ("! near exhaustion",
		     nq_field_text(nq_field_find(nq_dest_fields,
						 nq_n_dest_fields, "mark"),
				   &row, text, sizeof(text)));
	row.d = &d[1];
	EXPECT_EQ(0, agree(_metadata, nq_dest_fields, nq_n_dest_fields,
			   &row));
}

static bool name_ok(const char *s, const char *extra)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_' && !strchr(extra, *s))
			return false;
	return true;
}

static bool ends_with_n(const char *s, size_t n, const char *end)
{
	size_t e = strlen(end);

	return n >= e && !strncmp(s + n - e, end, e);
}

/*
 * A prom name: a snake_case family, then optionally fixed labels
 * {name="value",...} of snake_case names and values.
 */
static bool prom_ok(const char *p)
{
	size_t n = nq_prom_name_len(p);
	char name[64];

	if (!n || n >= sizeof(name))
		return false;
	memcpy(name, p, n);
	name[n] = '\0';
	if (!name_ok(name, ":"))
		return false;
	p += n;
	if (!*p)
		return true;
	if (*p++ != '{')
		return false;
	for (;;) {
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
		if (!n || p[n] != '=' || p[n + 1] != '"')
			return false;
		p += n + 2;
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
		if (!n || p[n] != '"')
			return false;
		p += n + 1;
		if (*p == '}')
			return !p[1];
		if (*p++ != ',')
			return false;
	}
}

/*
 * The schema of every document built from a table: unique snake_case
 * keys, unique valid Prometheus names with a type and help, a unit, and
 * a source "<object>.<field>" of the object the table describes.
 */
static void check_table(struct __test_metadata *_metadata,
			const struct nq_field *t, size_t n,
			const char *object)
{
	size_t i, k;

	ASSERT_GE((size_t)NQ_MAX_FIELDS, n);
	for (i = 0; i < n; i++) {
		EXPECT_TRUE(name_ok(t[i].key, "")) TH_LOG("%zu", i);
		EXPECT_NE(NULL, t[i].help) TH_LOG("%s", t[i].key);
		EXPECT_NE(NULL, t[i].unit) TH_LOG("%s", t[i].key);
		EXPECT_NE(NULL, t[i].get) TH_LOG("%s", t[i].key);
		if (t[i].prom) {
			EXPECT_TRUE(prom_ok(t[i].prom)) TH_LOG("%s", t[i].key);
			EXPECT_TRUE(!strcmp(t[i].prom_type, "gauge") ||
				    !strcmp(t[i].prom_type, "counter"));
			/* The naming guide: counters, and only they, _total. */
			EXPECT_EQ(!strcmp(t[i].prom_type, "counter"),
				  ends_with_n(t[i].prom,
					      nq_prom_name_len(t[i].prom),
					      "_total"))
				TH_LOG("%s", t[i].prom);
			/* No rate gauge: PromQL's rate() of the counter. */
			EXPECT_EQ(0U, t[i].flags & NQ_FF_RATE)
				TH_LOG("%s", t[i].prom);
			EXPECT_TRUE(t[i].type != NQ_FT_STR) TH_LOG("%s", t[i].key);
		}
		if (t[i].source) {
			EXPECT_EQ(0, strncmp(t[i].source, object,
					     strlen(object)))
				TH_LOG("%s: %s", t[i].key, t[i].source);
			EXPECT_EQ('.', t[i].source[strlen(object)]);
			EXPECT_TRUE(name_ok(t[i].source + strlen(object) + 1,
					    ""));
		}
		if (t[i].flags & NQ_FF_RATE)
			EXPECT_TRUE(t[i].type != NQ_FT_U64) TH_LOG("%s", t[i].key);
		for (k = 0; k < i; k++) {
			EXPECT_STRNE(t[k].key, t[i].key);
			if (!t[i].prom || !t[k].prom)
				continue;
			EXPECT_STRNE(t[k].prom, t[i].prom);
			/* One family: one type; members with labels only. */
			if (nq_prom_same_family(t[k].prom, t[i].prom)) {
				EXPECT_STREQ(t[k].prom_type, t[i].prom_type);
				EXPECT_NE('\0',
					  t[i].prom[nq_prom_name_len(t[i].prom)]);
				EXPECT_NE('\0',
					  t[k].prom[nq_prom_name_len(t[k].prom)]);
			}
		}
	}
}

TEST(tables)
{
	check_table(_metadata, nq_listener_fields, nq_n_listener_fields,
		    "listener");
	check_table(_metadata, nq_netns_fields, nq_n_netns_fields, "netns");
	check_table(_metadata, nq_ct_fields, nq_n_ct_fields, "ct");
	check_table(_metadata, nq_hook_fields, nq_n_hook_fields, "hook");
	check_table(_metadata, nq_dest_fields, nq_n_dest_fields, "dest");
	check_table(_metadata, nq_status_fields, nq_n_status_fields, "status");
}

TEST(hook_outputs_agree)
{
	struct nq_hook h, u;

	nq_hook_init(&h);
	h.name = (char *)"tcp_peer_is_proven";
	h.kind = NQSTAT_HOOK_KRETPROBE;
	h.state = NQSTAT_HOOK_UNAVAILABLE;
	h.err = 2;
	h.reason = (char *)"not found";
	h.missed = 3;
	EXPECT_EQ(6, agree(_metadata, nq_hook_fields, nq_n_hook_fields, &h));
	nq_hook_init(&u);
	EXPECT_EQ(0, agree(_metadata, nq_hook_fields, nq_n_hook_fields, &u));
}

/* -o: keys in order; unknown keys refused; defaults fit 120 columns. */
TEST(columns)
{
	size_t idx[NQ_MAX_FIELDS], i, width = 0;
	char err[256];
	int n;

	n = nq_fields_columns(nq_listener_fields, nq_n_listener_fields,
			      "port,drops_total", false, false, false, idx,
			      err, sizeof(err));
	ASSERT_EQ(2, n);
	EXPECT_STREQ("port", nq_listener_fields[idx[0]].key);
	EXPECT_STREQ("drops_total", nq_listener_fields[idx[1]].key);
	EXPECT_EQ(-EINVAL, nq_fields_columns(nq_listener_fields,
					     nq_n_listener_fields, "port,nope",
					     false, false, false, idx, err,
					     sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "\"nope\""));
	/* The default titles, and room for values, in 120 columns. */
	n = nq_fields_columns(nq_listener_fields, nq_n_listener_fields, NULL,
			      false, false, false, idx, err, sizeof(err));
	ASSERT_LT(0, n);
	for (i = 0; i < (size_t)n; i++)
		width += strlen(nq_listener_fields[idx[i]].title) + 2;
	EXPECT_GE(100U, width) TH_LOG("titles take %zu", width);
	/* Wide: every titled field. */
	EXPECT_LT(n, nq_fields_columns(nq_listener_fields,
				       nq_n_listener_fields, NULL, true, false,
				       false, idx, err, sizeof(err)));
}

TEST_HARNESS_MAIN
