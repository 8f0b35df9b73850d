/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output captured in memory for the unit tests of the report printers:
 * capture_begin() gives a stream, capture_end() closes it and leaves the
 * text, NUL-terminated, in c.buf (freed by the test).
 */
#ifndef NQSTAT_TESTS_CAPTURE_H
#define NQSTAT_TESTS_CAPTURE_H

#include <stdio.h>

struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static inline FILE *capture_begin(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	return c->f;
}

static inline void capture_end(struct capture *c)
{
	fclose(c->f);
}

#endif /* NQSTAT_TESTS_CAPTURE_H */
