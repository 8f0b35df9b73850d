/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small streaming JSON writer: one document per json_new()/json_end() pair.
 *
 * Calls that would produce invalid JSON (a key outside an object, a value
 * without a key inside an object, unbalanced ends) or fail to allocate are
 * recorded and reported by json_end(); later calls then write nothing.
 */
#ifndef NQSTAT_JSON_H
#define NQSTAT_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json;

/* NULL if out of memory. pretty: newlines and 4-space indentation. */
struct json *json_new(FILE *f, bool pretty);

/*
 * Ends the document with a newline and frees the writer. Returns 0,
 * -EINVAL if the calls did not form one complete JSON value, -ENOMEM, or
 * -EIO if writing to the stream failed.
 */
int json_end(struct json *j);

void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);

/*
 * Strings are written as UTF-8: valid multi-byte sequences pass through,
 * quote, backslash and control characters are escaped, and bytes that are
 * not valid UTF-8 are replaced by U+FFFD. A NULL string is written as null.
 */
void json_str(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
/* With that many decimals; null if not finite. */
void json_double(struct json *j, double v, int decimals);
void json_null(struct json *j);
void json_bool(struct json *j, bool v);

/* Shorthands for a key followed by a value. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
/* The value if present, else null. */
void json_kv_u64_opt(struct json *j, const char *key, bool present, uint64_t v);
void json_kv_double_opt(struct json *j, const char *key, bool present,
			double v, int decimals);

#endif /* NQSTAT_JSON_H */
