/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer targets of the tool (tool/fuzz/): the check
 * macro (a failed invariant is a crash, with its reason) and a strict
 * JSON syntax checker for what the writers print.
 */
#ifndef NQSTAT_FUZZ_FUZZ_H
#define NQSTAT_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the parser's result: abort, so libFuzzer keeps the input. */
#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant failed: %s\n",\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Whether v fits a wire field of width bytes, or is NQ_UNKNOWN. */
#define FITS(v, width)							\
	((v) == UINT64_MAX || (width) >= 8 ||				\
	 (v) < (UINT64_C(1) << (8 * (width))))

/*
 * Whether s[0..len) is exactly one JSON value (RFC 8259), optionally
 * followed by whitespace: strings with valid escapes and no control
 * characters, numbers of the grammar, no trailing comma.
 */
bool json_valid(const char *s, size_t len);

#endif /* NQSTAT_FUZZ_FUZZ_H */
