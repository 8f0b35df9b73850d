// SPDX-License-Identifier: GPL-2.0
/*
 * Small streaming JSON writer.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out/format.h"
#include "out/json.h"

struct json_level {
	bool object;		/* object, else array */
	bool empty;		/* no member written yet */
};

struct json {
	FILE *f;
	bool pretty;
	bool have_key;		/* a key was written, its value is next */
	bool done;		/* the top-level value is complete */
	int err;
	size_t depth;
	size_t cap;
	struct json_level *levels;
};

struct json *json_new(FILE *f, bool pretty)
{
	struct json *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->f = f;
	j->pretty = pretty;
	return j;
}

int json_end(struct json *j)
{
	int err;

	if (!j)
		return -ENOMEM;
	err = j->err;
	if (!err && (j->depth || !j->done))
		err = -EINVAL;
	if (!err)
		fputc('\n', j->f);
	if (!err && ferror(j->f))
		err = -EIO;
	free(j->levels);
	free(j);
	return err;
}

static void indent(struct json *j, size_t depth)
{
	size_t i;

	fputc('\n', j->f);
	for (i = 0; i < depth; i++)
		fputs("    ", j->f);
}

/* Writes what must precede a value; false if no value may be written now. */
static bool value_begin(struct json *j)
{
	struct json_level *top;

	if (j->err)
		return false;
	if (j->done) {
		j->err = -EINVAL;
		return false;
	}
	if (!j->depth)
		return true;
	top = &j->levels[j->depth - 1];
	if (top->object) {
		if (!j->have_key) {
			j->err = -EINVAL;
			return false;
		}
		j->have_key = false;
		return true;
	}
	if (!top->empty)
		fputc(',', j->f);
	if (j->pretty)
		indent(j, j->depth);
	top->empty = false;
	return true;
}

static void value_end(struct json *j)
{
	if (!j->depth)
		j->done = true;
}

static void level_open(struct json *j, bool object)
{
	struct json_level *levels;

	if (!value_begin(j))
		return;
	if (j->depth == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 8;

		levels = realloc(j->levels, cap * sizeof(*levels));
		if (!levels) {
			j->err = -ENOMEM;
			return;
		}
		j->levels = levels;
		j->cap = cap;
	}
	j->levels[j->depth].object = object;
	j->levels[j->depth].empty = true;
	j->depth++;
	fputc(object ? '{' : '[', j->f);
}

static void level_close(struct json *j, bool object)
{
	struct json_level *top;

	if (j->err)
		return;
	if (!j->depth || j->have_key) {
		j->err = -EINVAL;
		return;
	}
	top = &j->levels[j->depth - 1];
	if (top->object != object) {
		j->err = -EINVAL;
		return;
	}
	j->depth--;
	if (j->pretty && !top->empty)
		indent(j, j->depth);
	fputc(object ? '}' : ']', j->f);
	value_end(j);
}

void json_obj_begin(struct json *j)
{
	level_open(j, true);
}

void json_obj_end(struct json *j)
{
	level_close(j, true);
}

void json_arr_begin(struct json *j)
{
	level_open(j, false);
}

void json_arr_end(struct json *j)
{
	level_close(j, false);
}

/* Length of the valid UTF-8 sequence at s (lead byte >= 0x80), 0 if none. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing above U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

static void write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
			} else if (*s < 0x80) {
				fputc(*s, f);
			} else {
				n = utf8_len(s);
				if (!n) {
					fputs("\\ufffd", f);
				} else {
					fwrite(s, 1, n, f);
					s += n - 1;
				}
			}
		}
		s++;
	}
	fputc('"', f);
}

void json_key(struct json *j, const char *key)
{
	struct json_level *top;

	if (j->err)
		return;
	if (!j->depth || j->have_key || !key) {
		j->err = -EINVAL;
		return;
	}
	top = &j->levels[j->depth - 1];
	if (!top->object) {
		j->err = -EINVAL;
		return;
	}
	if (!top->empty)
		fputc(',', j->f);
	if (j->pretty)
		indent(j, j->depth);
	top->empty = false;
	write_string(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->have_key = true;
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	if (!value_begin(j))
		return;
	write_string(j->f, s);
	value_end(j);
}

void json_u64(struct json *j, uint64_t v)
{
	char buf[24];

	if (!value_begin(j))
		return;
	fwrite(buf, 1, format_u64(buf, sizeof(buf), v), j->f);
	value_end(j);
}

void json_double(struct json *j, double v, int decimals)
{
	if (!isfinite(v)) {
		json_null(j);
		return;
	}
	if (!value_begin(j))
		return;
	if (decimals < 0)
		decimals = 0;
	fprintf(j->f, "%.*f", decimals, v);
	value_end(j);
}

void json_null(struct json *j)
{
	if (!value_begin(j))
		return;
	fputs("null", j->f);
	value_end(j);
}

void json_bool(struct json *j, bool v)
{
	if (!value_begin(j))
		return;
	fputs(v ? "true" : "false", j->f);
	value_end(j);
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kv_u64_opt(struct json *j, const char *key, bool present, uint64_t v)
{
	json_key(j, key);
	if (present)
		json_u64(j, v);
	else
		json_null(j);
}

void json_kv_double_opt(struct json *j, const char *key, bool present,
			double v, int decimals)
{
	json_key(j, key);
	if (present)
		json_double(j, v, decimals);
	else
		json_null(j);
}
