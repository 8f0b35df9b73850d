/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure formatting helpers: addresses, counters and enum names. No I/O.
 */
#ifndef NQSTAT_FORMAT_H
#define NQSTAT_FORMAT_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Enough for "[IPv6]%ifname:65535", the interface name escaped (each byte
 * at most 4 characters), and for any formatted counter or rate.
 */
#define FORMAT_ENDPOINT_LEN (INET6_ADDRSTRLEN + 2 + 1 + 4 * IF_NAMESIZE + 1 + \
			     5 + 1)
/* An interface name escaped with format_escape(). */
#define FORMAT_IFNAME_LEN (4 * IF_NAMESIZE)
#define FORMAT_NUM_LEN 32

/*
 * Bare address as text ("0.0.0.0", "::1"). Returns 0, -EAFNOSUPPORT for a
 * family other than AF_INET/AF_INET6, or -ENOSPC if buf is too small.
 */
int format_addr(char *buf, size_t len, uint8_t family, const void *addr);

/*
 * Local endpoint like ss(8): "0.0.0.0:80", "[::1]:80", "127.0.0.1%lo:80";
 * port 0 is shown as "*". dev may be NULL. Same returns as format_addr.
 */
int format_endpoint(char *buf, size_t len, uint8_t family, const void *addr,
		    uint16_t port, const char *dev);

/*
 * s made safe for a terminal: every byte below 0x20, 0x7f, every byte
 * from 0x80 and the backslash itself as "\xNN", the rest unchanged (a
 * name chosen in another namespace, an interface named with ESC
 * sequences, cannot move the cursor or change colours). Truncated to
 * len, never in the middle of an escape. Returns buf.
 */
char *format_escape(char *buf, size_t len, const char *s);

/* Whether s needs escaping (any byte format_escape() rewrites). */
bool format_needs_escape(const char *s);

/* fputs() of s escaped. */
void format_fputs_escaped(const char *s, FILE *f);

/*
 * v in decimal into buf (truncated to len - 1 digits); the length. The
 * tables and JSON print many: faster than snprintf().
 */
size_t format_u64(char *buf, size_t len, uint64_t v);

/* Counter for a table: decimal, or "-" when absent. Returns buf. */
const char *format_counter(char *buf, size_t len, bool present, uint64_t v);

/* Per-second rate for a table: one decimal, or "-" when absent. Returns buf. */
const char *format_rate(char *buf, size_t len, bool present, double rate);

/* The same with that many decimals (0 to 9). */
const char *format_rate_decimals(char *buf, size_t len, bool present,
				 double v, int decimals);

/*
 * Two values for a table, "A/B" (a queue's length and limit, two peaks),
 * each "-" when absent; "-" alone when both are. Returns buf.
 */
const char *format_pair(char *buf, size_t len, bool has_a, uint64_t a,
			bool has_b, uint64_t b);

/* Names; NULL for values this version does not know. */
const char *format_family(uint8_t family);	/* "inet", "inet6" */
const char *format_state_table(uint8_t state);	/* "LISTEN", "CLOSED" */
const char *format_state_json(uint8_t state);	/* "listening", "closed" */
/* "tracepoint", "kprobe", "kretprobe", "table" */
const char *format_hook_kind(uint8_t kind);
const char *format_hook_state(uint8_t state);	/* "attached", ... */
/* enum nqstat_backlog_source: "app", "somaxconn", "both" */
const char *format_backlog_source_table(uint8_t source);
/* "application", "somaxconn", "both" */
const char *format_backlog_source_json(uint8_t source);

#endif /* NQSTAT_FORMAT_H */
