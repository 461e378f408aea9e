// SPDX-License-Identifier: MIT
/*
 * The last check before the kernel: every message of a batch against its
 * schema (nfk_msg_validate), so that nfkit never sends one its own schemas
 * reject.  What fails is what nft sends and the kernel refuses (a name,
 * a chain to jump to, a device, a log prefix longer than the kernel
 * holds): such a message is answered here as the kernel answers it, with
 * its error and the attribute it marks, and the rest of the batch is sent
 * without it so that the kernel still answers for every other message.
 * A message the kernel refuses changes nothing in the transaction, so the
 * others get the answers they would have got.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "obj/objects.h"

/* The top-level attribute of attrs holding byte off (from the message
 * start), and within it the element of a list holding off. */
static const struct nlattr *holder(const void *attrs, size_t len, size_t base, size_t off)
{
	nfk_attr_for_each(a, rem, attrs, len) {
		size_t at = base + (size_t)((const uint8_t *)a - (const uint8_t *)attrs);

		if (off >= at && off < at + NFK_ALIGN(a->nla_len))
			return a;
	}
	return NULL;
}

static size_t offset_of(const struct nlmsghdr *nlh, const void *p)
{
	return (size_t)((const uint8_t *)p - (const uint8_t *)nlh);
}

/*
 * The kernel's answer to a message whose attribute at v->offset is too
 * long, where its parsing finds it:
 *  - a top-level attribute: its policy, ERANGE at the attribute;
 *  - inside an expression of a rule or an element of a set: ERANGE at
 *    that expression or element (the kernel marks the one that failed);
 *  - a device of a hook's device list: E2BIG at the device (it is copied
 *    into an IFNAMSIZ buffer, not checked by a policy);
 *  - anywhere else inside a nest (a hook's single device, an object's
 *    data): ERANGE, parsed without marking an attribute.
 * Anything else wrong with a message (which the compiler never makes) is
 * refused as EINVAL, unmarked.
 */
static int kernel_answer(const struct nlmsghdr *nlh, const struct nfk_verr *v, int32_t *attr_off)
{
	uint16_t msg = nlh->nlmsg_type & 0xff;
	const struct nlattr *top, *el;
	const void *attrs;
	size_t len;

	*attr_off = -1;
	if (!v->too_long)
		return -EINVAL;
	attrs = nfk_msg_attrs(nlh, &len);
	top = attrs ? holder(attrs, len, NFK_MSG_HDRLEN, v->offset) : NULL;
	if (!top)
		return -ERANGE;
	if (offset_of(nlh, top) == v->offset) {
		*attr_off = (int32_t)v->offset;
		return -ERANGE;
	}
	if ((msg == NFT_MSG_NEWRULE && nfk_attr_type(top) == NFTA_RULE_EXPRESSIONS) ||
	    ((msg == NFT_MSG_NEWSETELEM || msg == NFT_MSG_DELSETELEM) &&
	     nfk_attr_type(top) == NFTA_SET_ELEM_LIST_ELEMENTS)) {
		el = holder(nfk_attr_data(top), nfk_attr_len(top),
			    offset_of(nlh, nfk_attr_data(top)), v->offset);
		if (el)
			*attr_off = (int32_t)offset_of(nlh, el);
		return -ERANGE;
	}
	if ((msg == NFT_MSG_NEWCHAIN && nfk_attr_type(top) == NFTA_CHAIN_HOOK) ||
	    (msg == NFT_MSG_NEWFLOWTABLE && nfk_attr_type(top) == NFTA_FLOWTABLE_HOOK)) {
		uint16_t devs = msg == NFT_MSG_NEWCHAIN ? NFTA_HOOK_DEVS : NFTA_FLOWTABLE_HOOK_DEVS;

		el = holder(nfk_attr_data(top), nfk_attr_len(top),
			    offset_of(nlh, nfk_attr_data(top)), v->offset);
		if (el && nfk_attr_type(el) == devs && offset_of(nlh, el) != v->offset) {
			*attr_off = (int32_t)v->offset;
			return -E2BIG;
		}
	}
	return -ERANGE;
}

struct verdicts {
	size_t n, cap;
	size_t *index;               /* the refused messages, ascending */
	struct nfk_batch_err *errs;  /* the kernel's answer to each */
};

static int check_one(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct verdicts *vs = arg;
	struct nfk_batch_err *e;
	struct nfk_verr v;

	if (nfk_msg_validate(nlh, &v) == 0)
		return 0;
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? 2 * vs->cap : 8;
		size_t *ix = realloc(vs->index, cap * sizeof(*ix));

		if (!ix)
			return -ENOMEM;
		vs->index = ix;
		e = realloc(vs->errs, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		vs->errs = e;
		vs->cap = cap;
	}
	e = &vs->errs[vs->n];
	memset(e, 0, sizeof(*e));
	e->seq = nlh->nlmsg_seq;
	e->index = index;
	e->cookie = cookie;
	e->error = kernel_answer(nlh, &v, &e->attr_off);
	vs->index[vs->n++] = index;
	return 0;
}

/* A copy of b without the refused messages, each with its cookie, and
 * for each message of the copy its index in b. */
struct copy {
	const struct verdicts *vs;
	struct nfk_batch *to;
	size_t *orig, n, r;
};

static int copy_one(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	const struct nfgenmsg *g = NLMSG_DATA(nlh);
	struct copy *c = arg;
	struct nlmsghdr *m;
	struct nfk_buf *buf;
	const void *attrs;
	size_t len;

	if (c->r < c->vs->n && c->vs->index[c->r] == index) {
		c->r++;
		return 0;
	}
	attrs = nfk_msg_attrs(nlh, &len);
	m = nfk_batch_msg(c->to, &buf, nlh->nlmsg_type & 0xff,
			  nlh->nlmsg_flags & ~(NLM_F_REQUEST | NLM_F_ACK), g->nfgen_family, cookie);
	if (!m)
		return -ENOMEM;
	if (!attrs || buf->cap - buf->len < len) {
		nfk_batch_cancel_msg(c->to, m);
		return -EINVAL;
	}
	memcpy(buf->data + buf->len, attrs, len);
	buf->len += len;
	nfk_batch_end_msg(c->to, m);
	c->orig[c->n++] = index;
	return 0;
}

int nfk_batch_send_checked(struct nfk_sock *s, struct nfk_batch *b, bool check)
{
	struct verdicts vs = { 0 };
	const struct nfk_batch_err *kerrs;
	struct nfk_batch_err *all = NULL;
	struct nfk_batch *rest = NULL;
	size_t *orig = NULL, nk = 0, n = 0;
	int ret;

	ret = nfk_batch_for_each(b, check_one, &vs);
	if (ret == 0 && !vs.n) {
		free(vs.index);
		free(vs.errs);
		return nfk_batch_send(s, b, check, NULL, 0, NULL);
	}
	if (ret < 0)
		goto out;
	orig = malloc((nfk_batch_count(b) - vs.n + 1) * sizeof(*orig));
	ret = orig ? nfk_batch_new(&rest) : -ENOMEM;
	if (ret < 0)
		goto out;
	struct copy c = { .vs = &vs, .to = rest, .orig = orig };
	ret = nfk_batch_for_each(b, copy_one, &c);
	if (ret < 0)
		goto out;
	/* the transaction fails whatever the kernel says: never commit it */
	if (nfk_batch_count(rest))
		ret = nfk_batch_send(s, rest, true, NULL, 0, NULL);
	kerrs = nfk_batch_errors(rest, &nk);
	if (ret < 0 && !nk)
		goto out;   /* a local failure: that is the answer */
	all = malloc((vs.n + nk) * sizeof(*all));
	ret = -ENOMEM;
	if (!all)
		goto out;
	/* in message order, as the kernel would have answered them all */
	for (size_t i = 0, j = 0; i < vs.n || j < nk;) {
		size_t ki = j < nk && kerrs[j].index != NFK_BATCH_NO_INDEX ?
				    orig[kerrs[j].index] : NFK_BATCH_NO_INDEX;

		if (j >= nk || (i < vs.n && vs.index[i] < ki)) {
			all[n++] = vs.errs[i++];
		} else {
			all[n] = kerrs[j++];
			all[n].index = ki;
			n++;
		}
	}
	ret = nfk_batch_set_errors(b, all, n);
	if (ret == 0)
		ret = all[0].error;
out:
	free(all);
	free(orig);
	free(vs.index);
	free(vs.errs);
	nfk_batch_free(rest);
	return ret;
}
