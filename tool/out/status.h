/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "status": the module's GET_STATUS reply as text and JSON, written to any
 * stream. No netlink.
 */
#ifndef NQSTAT_STATUS_H
#define NQSTAT_STATUS_H

#include <stdbool.h>
#include <stdio.h>

#include "model/model.h"

/*
 * The text report: one line per figure, then the hooks, then a warning or
 * note line per hook that missed calls or is unavailable. A figure the
 * module did not send is "-". Returns 0, -ENOMEM, or -EIO (write error).
 */
int nq_status_print_text(FILE *out, const struct nq_status *st);

/*
 * One JSON document (see nqstat(8), JSON OUTPUT, status), followed by a
 * newline; absent figures are null. Returns 0, -ENOMEM or -EIO.
 */
int nq_status_print_json(FILE *out, const struct nq_status *st, bool pretty);

#endif /* NQSTAT_STATUS_H */
