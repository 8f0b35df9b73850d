// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a field of a field table as a table cell, a JSON member or a
 * Prometheus sample. No knowledge of any particular field.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "out/field.h"

uint64_t nq_report_time_ms;

const char *nq_report_time(char *buf, size_t len)
{
	uint64_t ms = nq_report_time_ms;
	struct timespec ts;
	struct tm tm;
	time_t t;

	if (!ms && !clock_gettime(CLOCK_REALTIME, &ts))
		ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	t = (time_t)(ms / 1000);
	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, len, "-");
		return buf;
	}
	snprintf(buf + strlen(buf), len - strlen(buf), ".%03uZ",
		 (unsigned int)(ms % 1000));
	return buf;
}

void nq_json_header(struct json *j, uint64_t window_ns)
{
	char buf[32];

	json_kv_u64(j, "schema_version", NQ_SCHEMA_VERSION);
	json_kv_str(j, "timestamp", nq_report_time(buf, sizeof(buf)));
	if (window_ns)
		json_kv_double_opt(j, "window_s", true,
				   (double)window_ns / 1e9, 3);
}

static void value(const struct nq_field *f, const void *row, struct nq_val *v)
{
	v->known = false;
	v->u = 0;
	v->d = 0;
	v->s = NULL;
	v->text = NULL;
	v->decimals = 0;
	v->json = NULL;
	v->buf[0] = '\0';
	f->get(row, v);
	/* A rate or ratio that is not a number is unknown. */
	if (v->known && (f->type == NQ_FT_RATE || f->type == NQ_FT_RATIO) &&
	    !isfinite(v->d))
		v->known = false;
	if (v->known && f->type == NQ_FT_STR && !v->s)
		v->known = false;
}

const struct nq_field *nq_field_find(const struct nq_field *table, size_t n,
				     const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i].key && !strcmp(table[i].key, key))
			return &table[i];
	return NULL;
}

const char *nq_field_text(const struct nq_field *f, const void *row,
			  char *buf, size_t len)
{
	struct nq_val v;

	value(f, row, &v);
	if (!v.known) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (v.text) {
		snprintf(buf, len, "%s", v.text);
		return buf;
	}
	switch (f->type) {
	case NQ_FT_U64:
		format_u64(buf, len, v.u);
		break;
	case NQ_FT_RATE:
		snprintf(buf, len, "%.1f", v.d);
		break;
	case NQ_FT_RATIO:
		snprintf(buf, len, "%.1f%%", v.d * 100);
		break;
	case NQ_FT_STR:
		snprintf(buf, len, "%s", v.s);
		break;
	}
	return buf;
}

void nq_field_json(struct json *j, const struct nq_field *f, const void *row)
{
	struct nq_val v;

	value(f, row, &v);
	json_key(j, f->key);
	if (!v.known) {
		json_null(j);
		return;
	}
	if (v.json) {
		v.json(j, row);
		return;
	}
	switch (f->type) {
	case NQ_FT_U64:
		json_u64(j, v.u);
		break;
	case NQ_FT_RATE:
	case NQ_FT_RATIO:
		json_double(j, v.d, v.decimals ? v.decimals : 3);
		break;
	case NQ_FT_STR:
		json_str(j, v.s);
		break;
	}
}

/* Whether a field is a member of its row's JSON object. */
static bool in_json(const struct nq_field *f, bool rates)
{
	return f->key && !(f->flags & (NQ_FF_TEXT | NQ_FF_PROM)) &&
	       (rates || !(f->flags & NQ_FF_RATE));
}

void nq_fields_json(struct json *j, const struct nq_field *table, size_t n,
		    const void *row, bool rates)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!in_json(&table[i], rates))
			continue;
		if (table[i].flags & NQ_FF_OMIT) {
			struct nq_val v;

			value(&table[i], row, &v);
			if (!v.known)
				continue;
		}
		nq_field_json(j, &table[i], row);
	}
}

int nq_fields_print_block(FILE *f, const struct nq_field *table, size_t n,
			  const void *row, bool rates, const char *indent)
{
	static const struct table_col cols[] = {
		{ NULL, TABLE_LEFT },
		{ NULL, TABLE_LEFT },
	};
	char label[72], buf[FORMAT_DROPPED_BY_LEN];
	struct table *t = table_new(cols, 2);
	size_t i;
	int ret = 0;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < n && !ret; i++) {
		if (!in_json(&table[i], rates) || (table[i].flags & NQ_FF_ID))
			continue;
		snprintf(label, sizeof(label), "%s:", table[i].key);
		ret = table_add(t, label);
		if (!ret)
			ret = table_add(t, nq_field_text(&table[i], row, buf,
							 sizeof(buf)));
	}
	if (!ret)
		ret = table_print(t, f, indent, false);
	table_free(t);
	if (!ret && ferror(f))
		ret = -EIO;
	return ret;
}

bool nq_field_prom(FILE *out, const struct nq_field *f, const void *row,
		   const char *labels)
{
	size_t n, fixed_len;
	const char *fixed;
	struct nq_val v;
	double d;

	if (!f->prom || f->type == NQ_FT_STR)
		return false;
	value(f, row, &v);
	if (!v.known)
		return false;
	d = f->type == NQ_FT_U64 ? (double)v.u : v.d;
	n = nq_prom_name_len(f->prom);
	fixed = f->prom + n + (f->prom[n] == '{');
	fixed_len = f->prom[n] ? strlen(fixed) - 1 : 0;
	if (!*labels && !fixed_len)
		fprintf(out, "nqstat_%.*s %.17g\n", (int)n, f->prom, d);
	else
		fprintf(out, "nqstat_%.*s{%s%s%.*s} %.17g\n", (int)n, f->prom,
			labels, fixed_len && *labels ? "," : "",
			(int)fixed_len, fixed, d);
	return true;
}

size_t nq_prom_name_len(const char *prom)
{
	return strcspn(prom, "{");
}

bool nq_prom_same_family(const char *a, const char *b)
{
	size_t n = nq_prom_name_len(a);

	return n == nq_prom_name_len(b) && !strncmp(a, b, n);
}

void nq_field_prom_help(FILE *out, const struct nq_field *f)
{
	size_t n = nq_prom_name_len(f->prom), i;
	const char *help = f->help;

	for (i = 0; i < nq_n_prom_families; i++)
		if (nq_prom_same_family(nq_prom_families[i].name, f->prom))
			help = nq_prom_families[i].help;
	fprintf(out, "# HELP nqstat_%.*s %s\n# TYPE nqstat_%.*s %s\n", (int)n,
		f->prom, help, (int)n, f->prom, f->prom_type);
}

static bool shown(const struct nq_field *f, bool wide, bool all_netns,
		  bool rates)
{
	if (!f->title || ((f->flags & NQ_FF_RATE) && !rates))
		return false;
	if (wide)
		return true;
	if (f->flags & NQ_FF_ALL_NETNS)
		return all_netns;
	return f->flags & NQ_FF_DEFAULT;
}

int nq_fields_columns(const struct nq_field *table, size_t n,
		      const char *list, bool wide, bool all_netns,
		      bool rates, size_t *cols, char *err, size_t errlen)
{
	char key[64];
	size_t k = 0, i, len;
	const char *p, *end;

	if (!list) {
		for (i = 0; i < n; i++)
			if (shown(&table[i], wide, all_netns, rates))
				cols[k++] = i;
		return (int)k;
	}
	for (p = list; *p; p = *end ? end + 1 : end) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (!len || len >= sizeof(key))
			goto bad;
		memcpy(key, p, len);
		key[len] = '\0';
		for (i = 0; i < n; i++)
			if (table[i].key && table[i].title &&
			    !strcmp(table[i].key, key))
				break;
		if (i == n)
			goto bad;
		if (k == n) {
			snprintf(err, errlen, "too many columns in \"%s\"",
				 list);
			return -EINVAL;
		}
		cols[k++] = i;
		continue;
bad:
		snprintf(err, errlen,
			 "unknown column \"%.*s\"",
			 (int)len, p);
		return -EINVAL;
	}
	return (int)k;
}

int nq_fields_keys(char *buf, size_t len, const struct nq_field *table,
		   size_t n)
{
	size_t i, off = 0;
	int w;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!table[i].key || !table[i].title)
			continue;
		w = snprintf(buf + off, len - off, "%s%s", off ? "," : "",
			     table[i].key);
		if (w < 0 || (size_t)w >= len - off)
			return -ENOSPC;
		off += (size_t)w;
	}
	return 0;
}
