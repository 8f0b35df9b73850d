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

struct json;
struct nq_modfacts;

/*
 * "module": {"loaded": false, "reason", "message", "fix"}, of the facts of
 * a host where the module's family cannot be resolved (nqstat(8), WITHOUT
 * THE MODULE): the member of every JSON document made without it.
 */
void nq_module_json(struct json *j, const struct nq_modfacts *f);

/*
 * The JSON document of a subcommand that reports nothing without the
 * module (status, report): the header, "source": "kernel" and the
 * "module" object, so that a consumer gets a document that says why.
 * Returns 0, -ENOMEM or -EIO.
 */
int nq_module_print_json(FILE *out, const struct nq_modfacts *f,
			 bool pretty);

#endif /* NQSTAT_STATUS_H */
