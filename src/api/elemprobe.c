// SPDX-License-Identifier: MIT
/*
 * What `add element` needs to know about an interval set already in the
 * kernel, asked without dumping it (struct nfk_elem_probe):
 *
 *  - the interval holding a key (auto-merge neighbours): a GETSETELEM of
 *    the key gives the interval's start; one with NFT_SET_ELEM_INTERVAL_END
 *    just above that start gives its end (none: open to the maximum);
 *  - whether the set holds any element at all (nft's leading end element
 *    at zero goes to an empty set only).  Lookups cannot tell: that end
 *    element belongs to no interval.  A dump can, from its first message:
 *    the kernel fills one buffer per message and stops walking the set
 *    there, so a dump abandoned after one message costs a few dozen
 *    elements, whatever the set's size.  It runs on its own socket, closed
 *    right after, so the session's socket never holds a half-read dump.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api.h"
#include "obj/objects.h"

#define PROBE_KEY_MAX 64

struct probe_answer {
	uint8_t *key;
	size_t klen;
	bool got;      /* an element came back */
	bool keyed;    /* with a key of the right length */
};

static int answer_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct probe_answer *a = arg;
	const struct nlattr *list, *k, *v;
	const void *attrs;
	size_t len;

	if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWSETELEM || !(attrs = nfk_msg_attrs(nlh, &len)) ||
	    nfk_attr_validate_stream(attrs, len) < 0 ||
	    !(list = nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_ELEMENTS)))
		return 0;
	nfk_attr_for_each(e, rem, nfk_attr_data(list), nfk_attr_len(list)) {
		a->got = true;
		k = nfk_attr_find(nfk_attr_data(e), nfk_attr_len(e), NFTA_SET_ELEM_KEY);
		v = k ? nfk_attr_find(nfk_attr_data(k), nfk_attr_len(k), NFTA_DATA_VALUE) : NULL;
		if (v && nfk_attr_len(v) == a->klen) {
			memcpy(a->key, nfk_attr_data(v), a->klen);
			a->keyed = true;
		}
		break;
	}
	return 0;
}

/* The GETSETELEM request itself; dump: the whole set instead of a key. */
static struct nlmsghdr *put_request(struct nfk_buf *b, uint32_t seq, int family,
				    const char *table, const char *set, const uint8_t *key,
				    unsigned klen, uint32_t flags, bool dump)
{
	struct nlattr *list, *el, *kn;
	struct nlmsghdr *nlh;

	nlh = nfk_msg_put(b, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETSETELEM,
			  NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK), seq, family, 0);
	if (!nlh || !nfk_attr_put_str(b, NFTA_SET_ELEM_LIST_TABLE, table) ||
	    !nfk_attr_put_str(b, NFTA_SET_ELEM_LIST_SET, set))
		return NULL;
	if (!dump && (!(list = nfk_nest_start(b, NFTA_SET_ELEM_LIST_ELEMENTS)) ||
		      !(el = nfk_nest_start(b, NFTA_LIST_ELEM)) ||
		      !(kn = nfk_nest_start(b, NFTA_SET_ELEM_KEY)) ||
		      !nfk_attr_put(b, NFTA_DATA_VALUE, key, klen) || !nfk_nest_end(b, kn) ||
		      (flags && !nfk_schema_put_uint(b, &nfk_setelem_schema, NFTA_SET_ELEM_FLAGS, flags)) ||
		      !nfk_nest_end(b, el) || !nfk_nest_end(b, list)))
		return NULL;
	nfk_msg_end(b, nlh);
	return nlh;
}

/* One lookup: 1 and the element's key (if it has one) in a, 0 when the
 * kernel has none, or -errno. */
static int lookup(struct nfk_sock *sock, int family, const char *table, const char *set,
		  const uint8_t *key, unsigned klen, uint32_t flags, struct probe_answer *a)
{
	uint8_t mem[512];
	struct nlmsghdr *nlh;
	struct nfk_buf b;
	int ret;

	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = put_request(&b, nfk_sock_seq(sock), family, table, set, key, klen, flags, false);
	if (!nlh)
		return -ENOBUFS;
	a->got = a->keyed = false;
	ret = nfk_sock_request(sock, nlh, answer_cb, a);
	if (ret == -ENOENT)
		return 0;
	return ret < 0 ? ret : a->got;
}

int nfk_elem_lookup(struct nfk_sock *sock, int family, const char *table, const char *set,
		    const uint8_t *key, unsigned klen, uint32_t flags, uint8_t *out)
{
	struct probe_answer a = { .key = out, .klen = klen };
	int ret = lookup(sock, family, table, set, key, klen, flags, &a);

	return ret < 0 ? ret : ret && a.keyed ? 0 : -ENOENT;
}

static bool key_inc(uint8_t *k, size_t len)
{
	for (size_t i = len; i-- > 0;)
		if (++k[i] != 0)
			return true;
	return false;
}

static int probe_interval_at(void *arg, int family, const char *table, const char *set,
			     const uint8_t *key, unsigned klen, uint8_t *lo, uint8_t *hi)
{
	struct nfk_sock *sock = arg;
	uint8_t above[PROBE_KEY_MAX];
	struct probe_answer a = { .key = lo, .klen = klen };
	int ret;

	if (klen > PROBE_KEY_MAX)
		return -EINVAL;
	ret = lookup(sock, family, table, set, key, klen, 0, &a);
	if (ret <= 0 || !a.keyed)
		return ret < 0 ? ret : 0;
	memset(hi, 0xff, klen);
	memcpy(above, lo, klen);
	if (!key_inc(above, klen))    /* the maximum alone */
		return 1;
	a.key = hi;
	ret = lookup(sock, family, table, set, above, klen, NFT_SET_ELEM_INTERVAL_END, &a);
	if (ret < 0)
		return ret;
	/* no end element: the interval runs to the maximum */
	if (!ret || !a.keyed || memcmp(hi, lo, klen) <= 0) {
		memset(hi, 0xff, klen);
		return 1;
	}
	/* the end element is the first value after the interval */
	for (size_t i = klen; i-- > 0;)
		if (hi[i]-- != 0)
			break;
	return 1;
}

static int probe_is_empty(void *arg, int family, const char *table, const char *set)
{
	struct nfk_sock *sock = arg;
	uint8_t req[256], rx[16384];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct probe_answer a = { .klen = 0 };
	struct nlmsghdr *nlh;
	struct nfk_buf b;
	ssize_t n;
	int fd, ret = 0;

	(void)sock;
	nfk_buf_init(&b, req, sizeof(req));
	nlh = put_request(&b, 1, family, table, set, NULL, 0, 0, true);
	if (!nlh)
		return -ENOBUFS;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		return -errno;
	if (sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	do
		n = recv(fd, rx, sizeof(rx), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		ret = -errno;
		goto out;
	}
	/* the first message: elements, the end of an empty dump, or an error */
	for (const struct nlmsghdr *m = (const void *)rx; ret == 0 && n >= NLMSG_HDRLEN &&
	     m->nlmsg_len >= NLMSG_HDRLEN && m->nlmsg_len <= (size_t)n;) {
		if (m->nlmsg_type == NLMSG_DONE) {
			ret = 1;
			break;
		}
		if (m->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(m);
			ret = m->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error < 0 ? e->error : -EBADMSG;
			break;
		}
		answer_cb(m, &a);
		if (a.got)
			break;
		n -= NLMSG_ALIGN(m->nlmsg_len);
		m = (const void *)((const uint8_t *)m + NLMSG_ALIGN(m->nlmsg_len));
	}
	if (ret == 0 && !a.got)
		ret = -EBADMSG;
out:
	close(fd);
	return ret;
}

void nfk_elem_probe_init(struct nfk_elem_probe *p, struct nfk_sock *sock)
{
	p->interval_at = probe_interval_at;
	p->is_empty = probe_is_empty;
	p->arg = sock;
}

/* nft keeps "auto-merge" in the set's user data (TLV type 2). */
static bool set_automerge(const struct nfk_set_info *si)
{
	const uint8_t *u = si->udata;

	for (size_t o = 0; u && o + 2 <= si->udata_len; o += 2 + u[o + 1])
		if (u[o] == 2)
			return true;
	return false;
}

bool nfk_elem_err_wants_dump(const struct nfk_batch *b, const struct nfk_batch_err *errs,
			     size_t nerrs, const struct nfk_kstate *ks)
{
	for (size_t i = 0; b && ks && i < nerrs; i++) {
		const struct nfk_set_info *si;
		const struct nlattr *t, *n;
		const void *attrs;
		size_t len;

		if ((errs[i].error != -EEXIST && errs[i].error != -ENOTEMPTY) ||
		    errs[i].index == NFK_BATCH_NO_INDEX)
			continue;
		const struct nlmsghdr *nlh = nfk_batch_msg_at(b, errs[i].index);
		if (!nlh || (nlh->nlmsg_type & 0xff) != NFT_MSG_NEWSETELEM ||
		    !(attrs = nfk_msg_attrs(nlh, &len)))
			continue;
		t = nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_TABLE);
		n = nfk_attr_find(attrs, len, NFTA_SET_ELEM_LIST_SET);
		si = t && n ? nfk_kstate_set(ks, ((const struct nfgenmsg *)NLMSG_DATA(nlh))->nfgen_family,
					     nfk_attr_get_str(t), nfk_attr_get_str(n)) : NULL;
		if (si && (si->flags & NFT_SET_INTERVAL) && set_automerge(si))
			return true;
	}
	return false;
}
