/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Field tables: one per row kind (listener, namespace, conntrack, hook).
 * An entry holds everything the outputs need to know of one value: its
 * JSON key, its column title, its Prometheus name, type, unit and help,
 * the uapi field it comes from, and a getter. Text, JSON and Prometheus
 * are all written from the entry (nq_field_text(), nq_field_json(),
 * nq_field_prom()), in the spirit of iproute2's print_*(PRINT_ANY, ...):
 * the three cannot drift apart.
 */
#ifndef NQSTAT_OUT_FIELD_H
#define NQSTAT_OUT_FIELD_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/counters.h"
#include "model/listeners.h"
#include "model/model.h"
#include "model/netns.h"
#include "model/procs.h"
#include "out/format.h"
#include "out/json.h"
#include "out/table.h"

/* Every JSON document carries it; raised when a key changes meaning. */
#define NQ_SCHEMA_VERSION 2

enum nq_ftype {
	NQ_FT_U64,		/* an integer: JSON number, text decimal */
	NQ_FT_RATE,		/* per second: 3 decimals in JSON, 1 in text */
	NQ_FT_RATIO,		/* 0 to 1: 3 decimals; text: a percentage */
	NQ_FT_STR,		/* a name; never exported to Prometheus */
};

/* Bits of struct nq_field.flags. */
enum {
	NQ_FF_DEFAULT	= 1U << 0,	/* a column of the default table */
	NQ_FF_RATE	= 1U << 1,	/* only with rates (watch, window) */
	NQ_FF_ALL_NETNS	= 1U << 2,	/* a default column with -a only */
	NQ_FF_TEXT	= 1U << 3,	/* a column only: not in JSON */
	NQ_FF_ID	= 1U << 4,	/* names the row: a block's header */
	NQ_FF_OMIT	= 1U << 5,	/* JSON: no member when unknown */
	NQ_FF_PROM	= 1U << 6,	/* Prometheus only: no column, no JSON */
};

/* A value, as a getter leaves it. */
struct nq_val {
	bool known;
	uint64_t u;			/* NQ_FT_U64 */
	double d;			/* NQ_FT_RATE, NQ_FT_RATIO */
	const char *s;			/* NQ_FT_STR; may point into buf */
	/*
	 * Text only, when the getter sets it: the value with its meaning in
	 * words ("2 (loopback only)"), in buf. NULL: the value alone.
	 */
	const char *text;
	int decimals;			/* JSON, rate or ratio; 0: 3 */
	/* JSON, when the getter sets it: writes the value (an array). */
	void (*json)(struct json *j, const void *row);
	char buf[FORMAT_DROPPED_BY_LEN];
};

/* What a getter sets: a counter (unknown: nq_known()) or a number (NaN). */
static inline void nq_val_u(struct nq_val *v, uint64_t u)
{
	v->known = nq_known(u);
	v->u = u;
}

static inline void nq_val_d(struct nq_val *v, double d)
{
	v->known = !isnan(d);
	v->d = d;
}

/* A getter of one counter of the row: get_NAME(). */
#define NQ_GET_U(name, expr) \
static void get_##name(const void *row, struct nq_val *v) \
{ \
	nq_val_u(v, (expr)); \
}

struct nq_field {
	const char *key;	/* JSON key and -o name, one across commands */
	const char *title;	/* column title; NULL: not a column */
	const char *prom;	/* after "nqstat_"; NULL: not exported */
	const char *prom_type;	/* "gauge" or "counter" */
	const char *unit;	/* "", "s", "ms", "1/s", "ratio", "bytes" */
	const char *help;
	/* The uapi field it is read from, "<object>.<field>"; NULL derived. */
	const char *source;
	enum nq_ftype type;
	enum table_align align;
	unsigned int flags;
	void (*get)(const void *row, struct nq_val *v);
};

/*
 * A prom name may end with fixed labels of its samples, already escaped:
 * "listener_drops_total{queue=\"accept\",reason=\"final_ack\"}". Fields
 * whose prom names share the part before '{' are one family (a counter by
 * reason), whose HELP is nq_prom_family_help() of that name.
 */
struct nq_prom_family {
	const char *name;
	const char *help;
};

extern const struct nq_prom_family nq_prom_families[];
extern const size_t nq_n_prom_families;

/* Length of the family name of a prom name (up to '{'). */
size_t nq_prom_name_len(const char *prom);

/* Whether two prom names are of the same family. */
bool nq_prom_same_family(const char *a, const char *b);

/* A listener row: the record, its rates (NULL: none), its device name. */
struct nq_lrow {
	const struct nq_listener *l;
	const struct nq_rates *r;
	const char *dev;		/* NULL: none or not resolved */
	/* -p: the processes holding the socket, n_procs of them. */
	bool procs_wanted;
	const struct nq_proc *procs;
	size_t n_procs;
};

/* A namespace row (namespace and conntrack fields). */
struct nq_nsrow {
	const struct nq_netns *ns;
	const struct nq_netns_rates *r;	/* NULL: none */
};

/* A TIME_WAIT destination row of tw. */
struct nq_drow {
	const struct nq_netns *ns;
	const struct nq_tw_dest *d;
};

/* The most entries of a table (checked in each table's file). */
#define NQ_MAX_FIELDS 96

extern const struct nq_field nq_listener_fields[];
extern const size_t nq_n_listener_fields;
extern const struct nq_field nq_netns_fields[];
extern const size_t nq_n_netns_fields;
extern const struct nq_field nq_ct_fields[];
extern const size_t nq_n_ct_fields;
extern const struct nq_field nq_hook_fields[];	/* row: struct nq_hook */
extern const size_t nq_n_hook_fields;
extern const struct nq_field nq_status_fields[]; /* row: struct nq_status */
extern const size_t nq_n_status_fields;
extern const struct nq_field nq_dest_fields[];	/* row: struct nq_drow */
extern const size_t nq_n_dest_fields;

/*
 * The time of the report, milliseconds since the epoch (UTC); 0: the
 * clock's (CLOCK_REALTIME). Tests set it.
 */
extern uint64_t nq_report_time_ms;

/* "2026-12-03T20:30:00.123Z" of nq_report_time_ms (at least 25 bytes). */
const char *nq_report_time(char *buf, size_t len);

/*
 * The members every JSON document opens with: "schema_version", the
 * "timestamp" of nq_report_time(), and "window_s", the interval of the
 * rates, when window_ns is not 0.
 */
void nq_json_header(struct json *j, uint64_t window_ns);

/* The entry of table whose key is key, or NULL. */
const struct nq_field *nq_field_find(const struct nq_field *table, size_t n,
				     const char *key);

/* The field's value as a table cell ("-" when unknown) in buf. */
const char *nq_field_text(const struct nq_field *f, const void *row,
			  char *buf, size_t len);

/*
 * A block of text, one line "key: value" per field of table (those of
 * JSON: no NQ_FF_TEXT or NQ_FF_ID field, rate fields with rates only),
 * values aligned, each line prefixed by indent. Returns 0, -ENOMEM or
 * -EIO.
 */
int nq_fields_print_block(FILE *f, const struct nq_field *table, size_t n,
			  const void *row, bool rates, const char *indent);

/* "key": value (null when unknown). */
void nq_field_json(struct json *j, const struct nq_field *f, const void *row);

/* The JSON object of a row: every keyed field (rate fields with rates). */
void nq_fields_json(struct json *j, const struct nq_field *table, size_t n,
		    const void *row, bool rates);

/*
 * One Prometheus sample: "nqstat_NAME{labels,fixed labels} value\n".
 * labels is the text between the braces, already escaped. False when the
 * field is unknown or not exported (nothing written).
 */
bool nq_field_prom(FILE *out, const struct nq_field *f, const void *row,
		   const char *labels);

/* "# HELP" and "# TYPE" of a field, once per family. */
void nq_field_prom_help(FILE *out, const struct nq_field *f);

/*
 * Columns: the fields of table to show, by index into cols[] (at most
 * n). list: "-o key,key,..." or NULL for the default ones (NQ_FF_DEFAULT,
 * NQ_FF_ALL_NETNS with all_netns), or every titled one with wide. Rate
 * fields only with rates. Returns the count, or -EINVAL with the unknown
 * key described in err.
 */
int nq_fields_columns(const struct nq_field *table, size_t n,
		      const char *list, bool wide, bool all_netns,
		      bool rates, size_t *cols, char *err, size_t errlen);

/* "key, key, ..." of the fields of table with a title: for --help. */
int nq_fields_keys(char *buf, size_t len, const struct nq_field *table,
		   size_t n);

#endif /* NQSTAT_OUT_FIELD_H */
