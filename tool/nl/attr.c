// SPDX-License-Identifier: GPL-2.0
/*
 * The attribute primitives of the parsers (nl/attr.h): descriptor tables,
 * numbers of a checked size, strings, addresses.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl/attr.h"

int nq_bad(const char **why, const char *msg)
{
	*why = msg;
	return -EBADMSG;
}

/* The value of a, of one of the sizes of d, into *v. */
int nq_get_num(const struct nlattr *a, const struct attr_desc *d,
		   uint64_t *v)
{
	int len = nla_len(a);

	switch (d->size == SZ_U32_U64 ? (len == 4 ? SZ_U32 : SZ_U64) :
		d->size) {
	case SZ_U8:
		if (len != 1)
			return -EBADMSG;
		*v = nla_get_u8(a);
		return 0;
	case SZ_U16:
		if (len != 2)
			return -EBADMSG;
		*v = nla_get_u16(a);
		return 0;
	case SZ_U32:
		if (len != 4)
			return -EBADMSG;
		*v = nla_get_u32(a);
		return 0;
	case SZ_U64:
		if (len != 8)
			return -EBADMSG;
		*v = nla_get_u64(a);
		return 0;
	}
	return -EBADMSG;
}

/*
 * Attribute a of a nest described by table[0..max] into the record rec.
 * Returns 1 when the table has no such type (the caller may know it),
 * 0, or -EBADMSG for a payload of the wrong size.
 */
int nq_set_num(const struct nlattr *a, const struct attr_desc *table,
		   int max, void *rec)
{
	int type = nla_type(a);

	if (type > max || table[type].size == SZ_NONE)
		return 1;
	return nq_get_num(a, &table[type], (uint64_t *)((char *)rec +
						      table[type].off));
}

/* NUL-terminated string attribute, copied. */
int nq_get_str(const struct nlattr *a, char **v)
{
	const char *s = nla_data(a);
	int len = nla_len(a);
	char *copy;

	if (len < 1 || !memchr(s, '\0', (size_t)len))
		return -EBADMSG;
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	free(*v);
	*v = copy;
	return 0;
}

/* A 4- or 16-byte address; checked against the family by the caller. */
int nq_get_addr(const struct nlattr *a, uint8_t *addr, uint8_t *len)
{
	int n = nla_len(a);

	if (n != 4 && n != 16)
		return -EBADMSG;
	/* A repeated attribute: nothing of an earlier, longer one stays. */
	memset(addr, 0, 16);
	memcpy(addr, nla_data(a), (size_t)n);
	*len = (uint8_t)n;
	return 0;
}

/* Whether the address of a record agrees with its family. */
bool nq_addr_matches(uint64_t family, uint8_t len)
{
	return len == (family == AF_INET ? 4 : 16);
}

/* A nest of numbers only, described by table, into rec. */
int nq_parse_nums(struct nlattr *nest, const struct attr_desc *table,
		      int max, void *rec)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nq_set_num(a, table, max, rec) < 0)
			return -EBADMSG;
	return rem > 0 ? -EINVAL : 0;
}

/* The first attribute of type type of a generic netlink message, or NULL. */
struct nlattr *nq_top_attr(struct nlmsghdr *nlh, int type)
{
	if (!genlmsg_valid_hdr(nlh, 0))
		return NULL;
	return nla_find(genlmsg_attrdata(NLMSG_DATA(nlh), 0),
			genlmsg_attrlen(NLMSG_DATA(nlh), 0), type);
}
