// SPDX-License-Identifier: MIT
/* Attribute and message encoding/parsing.  Nothing here allocates. */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "nl.h"

struct nlmsghdr *nfk_msg_put(struct nfk_buf *b, uint16_t type, uint16_t flags,
			     uint32_t seq, uint8_t family, uint16_t res_id)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	if (b->cap - b->len < NFK_MSG_HDRLEN)
		return NULL;
	nlh = (struct nlmsghdr *)(b->data + b->len);
	memset(nlh, 0, NFK_MSG_HDRLEN);
	nlh->nlmsg_len = NFK_MSG_HDRLEN;
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nfg = (struct nfgenmsg *)((uint8_t *)nlh + NFK_ALIGN(sizeof(*nlh)));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htobe16(res_id);
	b->len += NFK_MSG_HDRLEN;
	return nlh;
}

void nfk_msg_end(struct nfk_buf *b, struct nlmsghdr *nlh)
{
	nlh->nlmsg_len = (uint32_t)(b->data + b->len - (uint8_t *)nlh);
}

void nfk_msg_cancel(struct nfk_buf *b, struct nlmsghdr *nlh)
{
	b->len = (size_t)((uint8_t *)nlh - b->data);
}

const void *nfk_msg_attrs(const struct nlmsghdr *nlh, size_t *len)
{
	if (nlh->nlmsg_len < NFK_MSG_HDRLEN) {
		*len = 0;
		return NULL;
	}
	*len = nlh->nlmsg_len - NFK_MSG_HDRLEN;
	return (const uint8_t *)nlh + NFK_MSG_HDRLEN;
}

bool nfk_attr_put(struct nfk_buf *b, uint16_t type, const void *data, size_t len)
{
	size_t total = NFK_ATTR_HDRLEN + len;
	struct nlattr *a;

	if (total > UINT16_MAX || NFK_ALIGN(total) > b->cap - b->len)
		return false;
	a = (struct nlattr *)(b->data + b->len);
	a->nla_type = type;
	a->nla_len = (uint16_t)total;
	if (len)
		memcpy(b->data + b->len + NFK_ATTR_HDRLEN, data, len);
	/* Padding is zeroed so that equal objects encode to equal bytes. */
	memset(b->data + b->len + total, 0, NFK_ALIGN(total) - total);
	b->len += NFK_ALIGN(total);
	return true;
}

bool nfk_attr_put_u8(struct nfk_buf *b, uint16_t type, uint8_t v)
{
	return nfk_attr_put(b, type, &v, sizeof(v));
}

bool nfk_attr_put_u32(struct nfk_buf *b, uint16_t type, uint32_t v)
{
	return nfk_attr_put(b, type, &v, sizeof(v));
}

bool nfk_attr_put_be16(struct nfk_buf *b, uint16_t type, uint16_t v)
{
	v = htobe16(v);
	return nfk_attr_put(b, type, &v, sizeof(v));
}

bool nfk_attr_put_be32(struct nfk_buf *b, uint16_t type, uint32_t v)
{
	v = htobe32(v);
	return nfk_attr_put(b, type, &v, sizeof(v));
}

bool nfk_attr_put_be64(struct nfk_buf *b, uint16_t type, uint64_t v)
{
	v = htobe64(v);
	return nfk_attr_put(b, type, &v, sizeof(v));
}

bool nfk_attr_put_str(struct nfk_buf *b, uint16_t type, const char *s)
{
	return nfk_attr_put(b, type, s, strlen(s) + 1);
}

struct nlattr *nfk_nest_start(struct nfk_buf *b, uint16_t type)
{
	struct nlattr *a;

	if (b->cap - b->len < NFK_ATTR_HDRLEN)
		return NULL;
	a = (struct nlattr *)(b->data + b->len);
	a->nla_type = type | NLA_F_NESTED;
	a->nla_len = NFK_ATTR_HDRLEN;
	b->len += NFK_ATTR_HDRLEN;
	return a;
}

bool nfk_nest_end(struct nfk_buf *b, struct nlattr *nest)
{
	size_t len = (size_t)(b->data + b->len - (uint8_t *)nest);

	/* A wrapped length would make the kernel misread everything after
	 * it; leave an impossible length so that nothing sends it unnoticed. */
	if (len > UINT16_MAX) {
		nest->nla_len = 0;
		return false;
	}
	nest->nla_len = (uint16_t)len;
	return true;
}

void nfk_nest_cancel(struct nfk_buf *b, struct nlattr *nest)
{
	b->len = (size_t)((uint8_t *)nest - b->data);
}

int nfk_attr_validate_stream(const void *data, size_t len)
{
	const struct nlattr *a = data;
	size_t rem = len;

	while (rem > 0) {
		if (!nfk_attr_ok(a, rem))
			return -EINVAL;
		a = nfk_attr_next(a, &rem);
	}
	return 0;
}

int nfk_attr_index(const void *data, size_t len, const struct nlattr **tb, unsigned max)
{
	memset(tb, 0, (max + 1) * sizeof(*tb));
	nfk_attr_for_each(a, rem, data, len) {
		uint16_t t = nfk_attr_type(a);

		if (t <= max)
			tb[t] = a;
	}
	return nfk_attr_validate_stream(data, len);
}

const struct nlattr *nfk_attr_find(const void *data, size_t len, uint16_t type)
{
	nfk_attr_for_each(a, rem, data, len)
		if (nfk_attr_type(a) == type)
			return a;
	return NULL;
}

static bool get_exact(const struct nlattr *a, void *v, size_t size)
{
	if (!a || nfk_attr_len(a) != size)
		return false;
	memcpy(v, nfk_attr_data(a), size);
	return true;
}

bool nfk_attr_get_u8(const struct nlattr *a, uint8_t *v)
{
	return get_exact(a, v, sizeof(*v));
}

bool nfk_attr_get_u32(const struct nlattr *a, uint32_t *v)
{
	return get_exact(a, v, sizeof(*v));
}

bool nfk_attr_get_be16(const struct nlattr *a, uint16_t *v)
{
	if (!get_exact(a, v, sizeof(*v)))
		return false;
	*v = be16toh(*v);
	return true;
}

bool nfk_attr_get_be32(const struct nlattr *a, uint32_t *v)
{
	if (!get_exact(a, v, sizeof(*v)))
		return false;
	*v = be32toh(*v);
	return true;
}

bool nfk_attr_get_be64(const struct nlattr *a, uint64_t *v)
{
	if (!get_exact(a, v, sizeof(*v)))
		return false;
	*v = be64toh(*v);
	return true;
}

const char *nfk_attr_get_str(const struct nlattr *a)
{
	size_t len;

	if (!a)
		return NULL;
	len = nfk_attr_len(a);
	if (len == 0 || memchr(nfk_attr_data(a), '\0', len) == NULL)
		return NULL;
	return nfk_attr_data(a);
}

uint32_t nfk_tb_be32(const struct nlattr *const *tb, unsigned type, uint32_t dflt)
{
	uint32_t v;

	return nfk_attr_get_be32(tb[type], &v) ? v : dflt;
}

uint64_t nfk_tb_be64(const struct nlattr *const *tb, unsigned type, uint64_t dflt)
{
	uint64_t v;

	return nfk_attr_get_be64(tb[type], &v) ? v : dflt;
}

const char *nfk_tb_str(const struct nlattr *const *tb, unsigned type, const char *dflt)
{
	const char *s = nfk_attr_get_str(tb[type]);

	return s ? s : dflt;
}
