/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by main.c and the subcommands.
 */
#ifndef NQSTAT_NQSTAT_H
#define NQSTAT_NQSTAT_H

#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "nl/nl.h"
#include "cmd/options.h"

/* Exit status of any error; 1 is reserved for "changes recommended". */
#define EXIT_ERROR 2

#define PROG_NAME "nqstat"

/* Prints "nqstat: <message>" to stderr. */
void nq_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a usage error and a pointer to --help; returns EXIT_ERROR. */
int nq_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Prints "nqstat: <op>: <error>[: <kernel's extack message>][; <hint>]"
 * for a failed netlink request that returned err. hint may be NULL.
 */
void nq_nl_perror(const struct nq_nl *nl, int err, const char *op,
		  const char *hint);

/*
 * Enters the namespace of -n, if any, and connects to the module. Prints
 * the error and returns EXIT_ERROR on failure, else 0.
 */
int nq_connect(const struct options *o, struct nq_nl **nl);

struct nq_modfacts;

/*
 * nq_connect(), or, when the module's family cannot be resolved and
 * facts is not NULL, the facts of why (nothing printed) and 1: the
 * caller goes on with what the kernel alone gives.
 */
int nq_connect_kernel(const struct options *o, struct nq_nl **nl,
		      struct nq_modfacts *facts);

/* The facts of the running kernel (nq_modstate_read() of the host). */
void nq_modstate_get(struct nq_modfacts *f);

/*
 * "nqstat: the nqstat module is not loaded: <why>", "nqstat: to fix:
 * <command>" and, with fallback, what is shown instead; on stderr.
 */
void nq_modstate_print(const struct nq_modfacts *f, bool fallback);

struct nq_snapshot;

/*
 * A snapshot of the current namespace: the module's dumps, then /proc and
 * /etc. Prints the error and returns -errno on failure (nothing to free).
 */
int nq_snapshot_take(struct nq_nl *nl, struct nq_snapshot *s);

/*
 * Connects (nq_connect()) and takes one snapshot into *cur, or, with
 * --duration, one into *prev and one into *cur that long after it
 * (*have_prev). Prints the error and returns -errno on failure, leaving
 * nothing to free.
 */
int nq_snapshot_pair(const struct options *o, struct nq_snapshot *prev,
		     struct nq_snapshot *cur, bool *have_prev);

/*
 * nq_snapshot_pair(), and, without the module, snapshots of what the
 * kernel alone gives (no module part: has_netns false, no listeners),
 * with *kernel_only set and the reason in *facts (printed).
 */
int nq_snapshot_pair_kernel(const struct options *o, struct nq_snapshot *prev,
			    struct nq_snapshot *cur, bool *have_prev,
			    bool *kernel_only, struct nq_modfacts *facts);

/*
 * Waits until deadline_ns (CLOCK_MONOTONIC) for --duration, with a
 * countdown on stderr when it is a terminal. 0, 1 on a signal of set,
 * -errno.
 */
int nq_duration_wait(uint64_t deadline_ns, const sigset_t *set);

/* Subcommands: arguments after the subcommand name; return the exit status. */
int cmd_show(const struct options *o, int argc, char *argv[]);
int cmd_reset(const struct options *o, int argc, char *argv[]);
int cmd_tw(const struct options *o, int argc, char *argv[]);
int cmd_ct(const struct options *o, int argc, char *argv[]);
int cmd_status(const struct options *o, int argc, char *argv[]);
int cmd_recommend(const struct options *o, int argc, char *argv[]);
int cmd_report(const struct options *o, int argc, char *argv[]);

#endif /* NQSTAT_NQSTAT_H */
