// SPDX-License-Identifier: GPL-2.0
/*
 * The monitoring files (../monitoring: recording and alerting rules,
 * their unit tests' input series, the Grafana dashboard) name only
 * metrics the tool writes: every "nqstat_NAME" is a family of the field
 * tables or of the report's health, and every recording rule they use
 * ("level:nqstat_x:op") is recorded in the rules file.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "out/field.h"
#include "out/prometheus.h"

#define MON "../monitoring/"

static const char *const files[] = {
	MON "nqstat-rules.yml",
	MON "nqstat-alerts.yml",
	MON "tests/alerts_test.yml",
	MON "dashboards/nqstat.json",
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return buf;
}

static bool in_table(const struct nq_field *t, size_t n, const char *name,
		     size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].prom && nq_prom_name_len(t[i].prom) == len &&
		    !strncmp(t[i].prom, name, len))
			return true;
	return false;
}

/* Whether nqstat_<name> (len bytes) is a metric the tool writes. */
static bool known_metric(const char *name, size_t len)
{
	const struct {
		const struct nq_field *t;
		size_t n;
	} tables[] = {
		{ nq_listener_fields, nq_n_listener_fields },
		{ nq_netns_fields, nq_n_netns_fields },
		{ nq_ct_fields, nq_n_ct_fields },
		{ nq_dest_fields, nq_n_dest_fields },
		{ nq_hook_fields, nq_n_hook_fields },
		{ nq_status_fields, nq_n_status_fields },
	};
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (in_table(tables[i].t, tables[i].n, name, len))
			return true;
	for (i = 0; nq_prom_health_families[i]; i++)
		if (strlen(nq_prom_health_families[i]) == len &&
		    !strncmp(nq_prom_health_families[i], name, len))
			return true;
	return false;
}

static bool ident(char c)
{
	return islower((unsigned char)c) || isdigit((unsigned char)c) ||
	       c == '_' || c == ':';
}

/* The metrics of every file are the tool's; at least n of them in all. */
TEST(metrics_exist)
{
	size_t f, len;
	int found = 0;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char *text = slurp(files[f]);
		const char *p;

		ASSERT_NE(NULL, text) TH_LOG("%s", files[f]);
		for (p = text; (p = strstr(p, "nqstat_")); p += len) {
			len = 7;
			/* A word of its own: not inside level:nqstat_x:op. */
			if (p > text && ident(p[-1]))
				continue;
			while (ident(p[len]) && p[len] != ':')
				len++;
			if (p[len] == ':')
				continue;
			found++;
			EXPECT_TRUE(known_metric(p + 7, len - 7))
				TH_LOG("%s: nqstat_%.*s is not a metric of the tool",
				       files[f], (int)(len - 7), p + 7);
		}
		free(text);
	}
	EXPECT_LT(40, found);
}

/* Every recording rule used (a name with two colons) is recorded. */
TEST(recorded_rules_exist)
{
	char *rules = slurp(MON "nqstat-rules.yml");
	char rec[160];
	size_t f, len;
	int used = 0;

	ASSERT_NE(NULL, rules);
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char *text = slurp(files[f]);
		const char *p, *q;

		ASSERT_NE(NULL, text);
		for (p = text; (p = strstr(p, ":nqstat_")); p += len) {
			q = p;
			while (q > text && ident(q[-1]))
				q--;
			len = (size_t)(p - q) + 1;
			while (ident(q[len]))
				len++;
			len -= (size_t)(p - q);
			if (q > text && q[-1] == ' ' && q - text >= 8 &&
			    !strncmp(q - 8, "record: ", 8))
				continue;
			snprintf(rec, sizeof(rec), "record: %.*s\n",
				 (int)(p - q + (ptrdiff_t)len), q);
			used++;
			EXPECT_NE(NULL, strstr(rules, rec))
				TH_LOG("%s: %s not recorded", files[f], rec);
		}
		free(text);
	}
	free(rules);
	EXPECT_LT(5, used);
}

TEST_HARNESS_MAIN
