// SPDX-License-Identifier: GPL-2.0
/*
 * Text table with columns sized to their widest cell. The cells live in
 * one growing buffer (one allocation per doubling, not one per cell).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "out/format.h"
#include "out/table.h"

struct table {
	const struct table_col *cols;
	size_t ncols;
	char *buf;		/* the cells, NUL-terminated, row-major */
	size_t len, size;
	size_t *off;		/* offset of each cell in buf */
	size_t ncells;
	size_t cap;
};

struct table *table_new(const struct table_col *cols, size_t ncols)
{
	struct table *t;

	if (!ncols)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->cols = cols;
	t->ncols = ncols;
	return t;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	free(t->buf);
	free(t->off);
	free(t);
}

/* Room for n more bytes of cells; 0 or -ENOMEM. */
static int reserve(struct table *t, size_t n)
{
	size_t size = t->size ? t->size : 4096;
	char *buf;

	if (n > SIZE_MAX / 2 - t->len)
		return -ENOMEM;
	while (size < t->len + n)
		size *= 2;
	if (size == t->size)
		return 0;
	buf = realloc(t->buf, size);
	if (!buf)
		return -ENOMEM;
	t->buf = buf;
	t->size = size;
	return 0;
}

int table_add(struct table *t, const char *cell)
{
	size_t n;

	if (!cell)
		cell = "";
	if (t->ncells == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		size_t *off;

		if (cap > SIZE_MAX / sizeof(*off))
			return -ENOMEM;
		off = realloc(t->off, cap * sizeof(*off));
		if (!off)
			return -ENOMEM;
		t->off = off;
		t->cap = cap;
	}
	/* Every cell reaches a terminal: control bytes escaped. */
	n = strlen(cell);
	if (format_needs_escape(cell)) {
		if (n > SIZE_MAX / 4 - 1 || reserve(t, 4 * n + 1) < 0)
			return -ENOMEM;
		format_escape(t->buf + t->len, 4 * n + 1, cell);
		n = strlen(t->buf + t->len);
	} else {
		if (reserve(t, n + 1) < 0)
			return -ENOMEM;
		memcpy(t->buf + t->len, cell, n + 1);
	}
	t->off[t->ncells++] = t->len;
	t->len += n + 1;
	return 0;
}

static void pad(FILE *f, size_t n)
{
	static const char spaces[] = "                                ";

	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		fwrite(spaces, 1, k, f);
		n -= k;
	}
}

static void print_row(const struct table *t, FILE *f, const char *indent,
		      const char *const *row, const size_t *width)
{
	size_t c, n = t->ncols;

	/* Trailing empty cells are left out, so no line ends in blanks. */
	while (n && !row[n - 1][0])
		n--;
	if (n)
		fputs(indent, f);
	for (c = 0; c < n; c++) {
		size_t len = strlen(row[c]);

		if (c)
			fwrite("  ", 1, 2, f);
		if (t->cols[c].align == TABLE_RIGHT)
			pad(f, width[c] - len);
		fwrite(row[c], 1, len, f);
		if (t->cols[c].align == TABLE_LEFT && c + 1 < n)
			pad(f, width[c] - len);
	}
	fputc('\n', f);
}

int table_print(const struct table *t, FILE *f, const char *indent,
		bool header)
{
	const char **titles, **row;
	size_t *width;
	size_t r, c;

	if (t->ncells % t->ncols)
		return -EINVAL;
	width = calloc(t->ncols, sizeof(*width));
	titles = calloc(t->ncols, sizeof(*titles));
	row = calloc(t->ncols, sizeof(*row));
	if (!width || !titles || !row) {
		free(width);
		free(titles);
		free(row);
		return -ENOMEM;
	}
	for (c = 0; c < t->ncols; c++) {
		titles[c] = t->cols[c].title ? t->cols[c].title : "";
		if (header)
			width[c] = strlen(titles[c]);
	}
	for (r = 0; r < t->ncells; r++) {
		size_t len = strlen(t->buf + t->off[r]);

		if (len > width[r % t->ncols])
			width[r % t->ncols] = len;
	}
	if (header)
		print_row(t, f, indent, titles, width);
	for (r = 0; r < t->ncells; r += t->ncols) {
		for (c = 0; c < t->ncols; c++)
			row[c] = t->buf + t->off[r + c];
		print_row(t, f, indent, row, width);
	}
	free(width);
	free(titles);
	free(row);
	return 0;
}
