// SPDX-License-Identifier: GPL-2.0
/*
 * Text table with columns sized to their widest cell.
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
	char **cells;		/* row-major */
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
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

int table_add(struct table *t, const char *cell)
{
	char *copy;

	if (t->ncells == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **cells;

		if (cap > SIZE_MAX / sizeof(*cells))
			return -ENOMEM;
		cells = realloc(t->cells, cap * sizeof(*cells));
		if (!cells)
			return -ENOMEM;
		t->cells = cells;
		t->cap = cap;
	}
	/* Every cell reaches a terminal: control bytes escaped. */
	if (cell && format_needs_escape(cell)) {
		size_t len = 4 * strlen(cell) + 1;

		copy = malloc(len);
		if (copy)
			format_escape(copy, len, cell);
	} else {
		copy = strdup(cell ? cell : "");
	}
	if (!copy)
		return -ENOMEM;
	t->cells[t->ncells++] = copy;
	return 0;
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
		size_t pad = width[c] - strlen(row[c]);

		if (c)
			fputs("  ", f);
		if (t->cols[c].align == TABLE_RIGHT)
			fprintf(f, "%*s", (int)pad, "");
		fputs(row[c], f);
		if (t->cols[c].align == TABLE_LEFT && c + 1 < n)
			fprintf(f, "%*s", (int)pad, "");
	}
	fputc('\n', f);
}

int table_print(const struct table *t, FILE *f, const char *indent,
		bool header)
{
	const char **titles;
	size_t *width;
	size_t r, c;

	if (t->ncells % t->ncols)
		return -EINVAL;
	width = calloc(t->ncols, sizeof(*width));
	titles = calloc(t->ncols, sizeof(*titles));
	if (!width || !titles) {
		free(width);
		free(titles);
		return -ENOMEM;
	}
	for (c = 0; c < t->ncols; c++) {
		titles[c] = t->cols[c].title ? t->cols[c].title : "";
		if (header)
			width[c] = strlen(titles[c]);
	}
	for (r = 0; r < t->ncells; r++) {
		size_t len = strlen(t->cells[r]);

		if (len > width[r % t->ncols])
			width[r % t->ncols] = len;
	}
	for (c = 0; c < t->ncols; c++) {
		if (width[c] > INT32_MAX) {
			free(width);
			free(titles);
			return -EOVERFLOW;
		}
	}
	if (header)
		print_row(t, f, indent, titles, width);
	for (r = 0; r < t->ncells; r += t->ncols)
		print_row(t, f, indent, (const char *const *)&t->cells[r],
			  width);
	free(width);
	free(titles);
	return 0;
}
