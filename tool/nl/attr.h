/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parsers of nl/ share: the descriptor of a nest's numeric
 * attributes and the readers of a payload of a checked size. Only for
 * nl/parse_*.c.
 */
#ifndef NQSTAT_NL_ATTR_H
#define NQSTAT_NL_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

struct nlattr;

/*
 * What the parser knows of an attribute: its payload size and where its
 * value goes (a uint64_t of the record). One table per nest; the loop
 * walks the attributes once, in the message's order, without an
 * index array per nest. An attribute of a type the table does not list
 * is ignored (a newer module).
 */
enum { SZ_NONE, SZ_U8 = 1, SZ_U16 = 2, SZ_U32 = 4, SZ_U64 = 8,
       SZ_U32_U64 = 12 /* either: a field widened from u32 to u64 */ };

struct attr_desc {
	uint8_t size;
	uint16_t off;		/* offsetof() the uint64_t field */
};

#define U(sz, type, field) [type] = { sz, offsetof(type_t, field) }

/* -EBADMSG, with msg (static) in *why. */
int nq_bad(const char **why, const char *msg);

/* The value of a, of one of the sizes of d, into *v. */
int nq_get_num(const struct nlattr *a, const struct attr_desc *d, uint64_t *v);

/*
 * Attribute a of a nest described by table[0..max] into the record rec.
 * Returns 1 when the table has no such type (the caller may know it),
 * 0, or -EBADMSG for a payload of the wrong size.
 */
int nq_set_num(const struct nlattr *a, const struct attr_desc *table, int max,
	    void *rec);

/* NUL-terminated string attribute, copied into *v (the old one freed). */
int nq_get_str(const struct nlattr *a, char **v);

/* A 4- or 16-byte address; checked against the family by the caller. */
int nq_get_addr(const struct nlattr *a, uint8_t *addr, uint8_t *len);

/* Whether the address of a record agrees with its family. */
bool nq_addr_matches(uint64_t family, uint8_t len);

/*
 * A nest of numbers only, described by table, into rec: 0, -EBADMSG for a
 * payload of the wrong size, -EINVAL for a malformed nest.
 */
int nq_parse_nums(struct nlattr *nest, const struct attr_desc *table, int max,
	       void *rec);

/* The first attribute of type type of a generic netlink message, or NULL. */
struct nlattr *nq_top_attr(struct nlmsghdr *nlh, int type);

#endif /* NQSTAT_NL_ATTR_H */
