/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure parsing helpers for command line values: no I/O, no global state.
 */
#ifndef NQSTAT_PARSE_H
#define NQSTAT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* Longest accepted --interval, in milliseconds (one day). */
#define NQ_INTERVAL_MAX_MS (86400U * 1000U)

/*
 * The whole rule of each value, as every usage error states it. The four
 * classes of usage error, one wording each:
 *   unknown argument "W" for CMD; expected: ARGS
 *   extra argument "W": CMD takes no arguments | KEY given twice
 *   missing value for NAME: expected RULE
 *   bad value "V" for NAME: expected RULE
 */
#define NQ_RULE_SECONDS \
	"seconds from 0.001 to 86400, at most three decimals (1, 0.5, 2.125)"
#define NQ_RULE_COUNT "a whole number from 1 to 4294967295"
#define NQ_RULE_PORT "a whole number from 1 to 65535"
#define NQ_RULE_ADDR "an IPv4 or IPv6 address (192.0.2.1, 2001:db8::1, [::1])"
#define NQ_RULE_TOP "a whole number from 1 to 100"
#define NQ_RULE_NETNS \
	"a network namespace name (ip netns list) or a path with a '/'"
#define NQ_RULE_COLUMNS \
	"column keys separated by commas (nqstat --help, under \"show:\")"


/*
 * Each returns 0 on success, -EINVAL if the text is not of the expected
 * form and -ERANGE if it is but the value is out of range. On failure the
 * output is left untouched.
 */

/* Decimal port, 1 to 65535, digits only. */
int parse_port(const char *s, uint16_t *port);

/* IPv4 (dotted quad) or IPv6 literal, IPv6 optionally in brackets. */
int parse_addr(const char *s, struct nq_addr *addr);

/* Seconds, "N" or "N.F" with up to 3 decimals, from 0.001 to 86400. */
int parse_interval(const char *s, unsigned int *ms);

/* Decimal count, 1 to UINT_MAX, digits only. */
int parse_count(const char *s, unsigned int *count);

/* Rows of "tw top N": decimal, 1 to 100 (the module's limit). */
int parse_top_n(const char *s, uint32_t *n);

/*
 * Arguments of "tw": [top N], at most once. *top_n is set to N, or to
 * default_n without it. On failure returns -EINVAL and describes the
 * problem in err.
 */
int parse_tw_args(int argc, char *const argv[], uint32_t default_n,
		  uint32_t *top_n, char *err, size_t errlen);

/*
 * Filter arguments of subcommand cmd ("show", "reset"): [port PORT]
 * [addr ADDR], in any order, each at most once. On failure returns -EINVAL
 * and describes the problem in err.
 */
int parse_filter_args(const char *cmd, int argc, char *const argv[],
		      struct nq_filter *f, char *err, size_t errlen);

/* parse_filter_args() for "show". */
int parse_show_args(int argc, char *const argv[], struct nq_filter *f,
		    char *err, size_t errlen);

#endif /* NQSTAT_PARSE_H */
