/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text table with columns sized to their widest cell.
 */
#ifndef NQSTAT_TABLE_H
#define NQSTAT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum table_align {
	TABLE_LEFT,
	TABLE_RIGHT,
};

struct table_col {
	const char *title;
	enum table_align align;
};

struct table;

/* cols must outlive the table. NULL if out of memory. */
struct table *table_new(const struct table_col *cols, size_t ncols);
void table_free(struct table *t);

/* Appends a copy of cell to the current row; rows fill left to right. */
int table_add(struct table *t, const char *cell);

/*
 * Prints the rows (after a line of titles if header), every line prefixed
 * by indent, columns two spaces apart, no trailing blanks. Returns 0, or
 * -EINVAL if the last row is incomplete.
 */
int table_print(const struct table *t, FILE *f, const char *indent,
		bool header);

#endif /* NQSTAT_TABLE_H */
