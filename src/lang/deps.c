// SPDX-License-Identifier: MIT
/* Protocol dependencies as nft adds them (a network protocol match before
 * an IP header field in an inet table, a transport protocol match before a
 * port...), what a match tells about the packet's protocols, and nft's
 * merging of adjacent payload matches into one load. */
#include <stdlib.h>
#include <string.h>

#include "family.h"

/* payload load + cmp eq: recorded so that the run it belongs to can be
 * merged (pm_flush).  proto: the field names the next protocol. */
bool cc_payload_eq(struct rctx *r, unsigned base, unsigned off, unsigned len,
			    const uint8_t *v, bool proto)
{
	size_t start = r->b->len;

	if (!cc_emit_payload_load(r->b, base, off, len, NFT_REG_1))
		return false;
	r->last_plen = r->b->len - 4;
	if (!cc_emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, v, len))
		return false;
	if (r->b == r->pm_buf && r->npm < PM_MAX && len <= 16) {
		struct pm_unit *u = &r->pm[r->npm++];

		*u = (struct pm_unit){ .start = start, .end = r->b->len, .base = base, .off = off,
				       .len = len, .proto = proto };
		memcpy(u->val, v, len);
	}
	return true;
}

static bool buf_copy(struct nfk_buf *b, const void *src, size_t n)
{
	if (b->cap - b->len < n)
		return false;
	memcpy(b->data + b->len, src, n);
	b->len += n;
	return true;
}

/* Whether nft joins two adjacent payload matches into one load: the
 * kernel's fast path covers loads of up to a word above the link layer,
 * so two small network or transport fields stay apart unless one of them
 * is longer than a word anyway. */
static bool pm_can_merge(const struct pm_unit *a, const struct pm_unit *b)
{
	unsigned total = a->len + b->len;

	if (a->base != b->base || a->off + a->len != b->off || total > 16)
		return false;
	return total <= 4 || a->base == NFT_PAYLOAD_LL_HEADER || a->len > 4 || b->len > 4;
}

/* Ends a run of match statements (a statement of another kind follows, or
 * the rule ends): its payload matches are ordered by header position and
 * adjacent ones joined, each join staying where the lower field was, or
 * where a protocol field was, so that a dependency still comes before what
 * depends on it.  Then the buffer is rebuilt and the error map's offsets
 * (statement starts) moved with it. */
bool cc_pm_flush(struct rctx *r, struct errmap *em)
{
	unsigned n = r->npm, order[PM_MAX];
	bool any = false;

	r->npm = 0;
	if (n < 2 || r->b != r->pm_buf)
		return true;
	/* stable insertion sort by (base, offset), as glibc's merge sort */
	for (unsigned i = 0; i < n; i++) {
		unsigned j = i;

		while (j && (r->pm[order[j - 1]].base > r->pm[i].base ||
			     (r->pm[order[j - 1]].base == r->pm[i].base &&
			      r->pm[order[j - 1]].off > r->pm[i].off))) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	struct pm_unit *last = &r->pm[order[0]];
	for (unsigned i = 1; i < n; i++) {
		struct pm_unit *this = &r->pm[order[i]];

		if (!pm_can_merge(last, this)) {
			last = this;
			continue;
		}
		struct pm_unit *keep = this->proto ? this : last, *gone = this->proto ? last : this;
		uint8_t val[16];

		memcpy(val, last->val, last->len);
		memcpy(val + last->len, this->val, this->len);
		keep->off = last->off;
		keep->len = last->len + this->len;
		memcpy(keep->val, val, keep->len);
		keep->changed = true;
		gone->dead = true;
		last = keep;
		any = true;
	}
	if (!any)
		return true;

	/* rebuild from the first unit on */
	size_t from = r->pm[0].start, tail = r->b->len - from;
	uint8_t *old = malloc(tail);
	if (!old)
		return false;
	memcpy(old, r->b->data + from, tail);
	r->b->len = from;
	size_t at = from;               /* old offset copied up to */
	long shift[PM_MAX + 1] = { 0 };
	bool ok = true;
	for (unsigned i = 0; ok && i < n; i++) {
		struct pm_unit *u = &r->pm[i];
		size_t before;

		ok = buf_copy(r->b, old + (at - from), u->start - at);
		before = r->b->len;
		if (ok && !u->dead && u->changed)
			ok = cc_emit_payload_load(r->b, u->base, u->off, u->len, NFT_REG_1) &&
			     cc_emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, u->val, u->len);
		else if (ok && !u->dead)
			ok = buf_copy(r->b, old + (u->start - from), u->end - u->start);
		/* bytes after this unit move by the growth so far */
		shift[i + 1] = (long)r->b->len - (long)before - (long)(u->end - u->start) + shift[i];
		at = u->end;
	}
	ok = ok && buf_copy(r->b, old + (at - from), tail - (at - from));
	free(old);
	/* marks inside a unit move with it (to its start when it is gone) */
	for (size_t k = 0; ok && em && k < em->n; k++) {
		unsigned i = 0;

		while (i < n && r->pm[i].start < em->off[k])
			i++;
		if (i && em->off[k] < r->pm[i - 1].end)
			i--;
		if (i < n && r->pm[i].dead && em->off[k] > r->pm[i].start)
			em->off[k] = (uint32_t)r->pm[i].start;
		em->off[k] = (uint32_t)((long)em->off[k] + shift[i]);
	}
	return ok;
}

bool cc_dep_meta(struct rctx *r, unsigned key, const void *v, unsigned len)
{
	return cc_emit_meta_load(r->b, key, NFT_REG_1) && cc_emit_cmp(r->b, NFT_REG_1, NFT_CMP_EQ, v, len);
}

/* The network layer protocol, as nft checks it per family. */
bool cc_need_l3(struct rctx *r, const struct nfk_proto *pr, const struct nfk_loc *loc)
{
	if (r->l3 == pr->nfproto)
		return true;
	switch (r->family) {
	case NFPROTO_IPV4:
	case NFPROTO_IPV6:
	case NFPROTO_ARP:
		if ((unsigned)r->family != pr->nfproto) {
			cc_err(r->c, loc, "conflicting protocols specified: %s vs. %s",
			     nfk_family_name(r->family), pr->name);
			return false;
		}
		break;
	case NFPROTO_INET: {
		uint8_t v = pr->nfproto;
		if (pr->nfproto == NFPROTO_ARP) {
			cc_err(r->c, loc, "conflicting protocols specified: inet vs. arp");
			return false;
		}
		if (r->ll_checked) {
			/* the link layer is known to be Ethernet ("meta iiftype
			 * ether"): nft asks its type field instead */
			uint8_t et[2] = { pr->ethertype >> 8, pr->ethertype & 0xff };
			if (!cc_payload_eq(r, NFT_PAYLOAD_LL_HEADER, 12, 2, et, true))
				return false;
			r->ll_type = pr->ethertype;
			break;
		}
		if (!cc_dep_meta(r, NFT_META_NFPROTO, &v, 1))
			return false;
		break;
	}
	case NFPROTO_BRIDGE:
	case NFPROTO_NETDEV: {
		uint8_t v[2] = { pr->ethertype >> 8, pr->ethertype & 0xff };
		if (r->l3) {
			/* "meta protocol ip6 ip protocol icmp" */
			cc_err(r->c, loc, "conflicting protocols specified: %s vs. %s",
			     r->l3 == NFPROTO_IPV6 ? "ip6" : r->l3 == NFPROTO_ARP ? "arp" : "ip",
			     pr->name);
			return false;
		}
		if (r->ll_type == 0x8100 || r->ll_type == 0x88a8) {
			/* inside a vlan tag: its type field names the protocol */
			if (!cc_payload_eq(r, NFT_PAYLOAD_LL_HEADER, 16 + r->vlan_off, 2, v, true))
				return false;
			break;
		}
		if (r->family == NFPROTO_NETDEV && r->ll_checked) {
			/* Ethernet known, as in inet */
			if (!cc_payload_eq(r, NFT_PAYLOAD_LL_HEADER, 12, 2, v, true))
				return false;
			r->ll_type = pr->ethertype;
			break;
		}
		if (!cc_dep_meta(r, NFT_META_PROTOCOL, v, 2))
			return false;
		break;
	}
	}
	r->l3 = pr->nfproto;
	return true;
}

bool cc_payload_dep(struct rctx *r, const struct nfk_proto *pr, const struct nfk_loc *loc)
{
	if (!strcmp(pr->name, "raw"))
		return true;   /* raw payload: no dependency */
	switch (pr->base) {
	case NFK_BASE_LL:
		if (!r->ll_checked && r->family != NFPROTO_BRIDGE) {
			uint16_t ether = 1;    /* ARPHRD_ETHER, host order */
			if (!cc_dep_meta(r, NFT_META_IIFTYPE, &ether, 2))
				return false;
		}
		r->ll_checked = true;
		/* 802.1ad outer tags carry a vlan header too */
		bool qinq = pr->ethertype == 0x8100 && r->ll_type == 0x88a8;
		if (pr->ethertype && r->ll_type && r->ll_type != pr->ethertype && !qinq) {
			cc_err(r->c, loc, "conflicting protocols specified: ether vs. %s", pr->name);
			return false;
		}
		if (pr->ethertype && r->ll_type != pr->ethertype && !qinq) {
			/* a header inside the frame (vlan): ether type says so */
			uint8_t v[2] = { pr->ethertype >> 8, pr->ethertype & 0xff };
			if (!cc_payload_eq(r, NFT_PAYLOAD_LL_HEADER, 12, 2, v, true))
				return false;
			r->ll_type = pr->ethertype;
		}
		return true;
	case NFK_BASE_NETWORK:
		return cc_need_l3(r, pr, loc);
	case NFK_BASE_TRANSPORT: {
		if (!pr->l4num && !strcmp(pr->name, "th"))
			return true;
		if (r->l4 == (int)pr->l4num)
			return true;
		/* icmp and icmpv6 belong to one network protocol; nft asks for it
		 * only while the network protocol is unknown, even when the rule
		 * matched the other one ("meta nfproto ipv4 icmpv6 type ...") */
		if (pr->nfproto && r->family != NFPROTO_IPV4 && r->family != NFPROTO_IPV6 &&
		    !r->l3) {
			const struct nfk_proto *l3 = nfk_proto_by_name(
				pr->nfproto == NFPROTO_IPV6 ? "ip6" : "ip");
			if (l3 && !cc_need_l3(r, l3, loc))
				return false;
		}
		uint8_t v = pr->l4num;
		if (!cc_dep_meta(r, NFT_META_L4PROTO, &v, 1))
			return false;
		r->l4 = pr->l4num;
		return true;
	}
	default:
		return true;
	}
}

/* After "meta l4proto tcp", "ip protocol tcp" ... the protocol context
 * knows the layer, and later selectors need no dependency. */
void cc_ctx_update(struct rctx *r, const struct ex *lhs, const uint8_t *v, unsigned len)
{
	if (lhs->kind == EX_PAYLOAD && lhs->pl.proto->base == NFK_BASE_TRANSPORT &&
	    !strcmp(lhs->pl.field->name, "type") &&
	    (!strcmp(lhs->pl.proto->name, "icmp") || !strcmp(lhs->pl.proto->name, "icmpv6")))
		r->icmp_type_known = true;
	uint16_t ether = 1;    /* "meta iiftype ether": the link layer is known */
	if (lhs->kind == EX_META && lhs->sk.key->key == NFT_META_IIFTYPE && len == 2 &&
	    !memcmp(v, &ether, 2))
		r->ll_checked = true;
	else if (lhs->kind == EX_META && lhs->sk.key->key == NFT_META_L4PROTO && len == 1)
		r->l4 = v[0];
	else if (lhs->kind == EX_META && lhs->sk.key->key == NFT_META_NFPROTO && len == 1)
		r->l3 = v[0];
	else if (lhs->kind == EX_PAYLOAD && lhs->pl.field && len == 1 &&
		 (!strcmp(lhs->pl.field->name, "protocol") || !strcmp(lhs->pl.field->name, "nexthdr")) &&
		 lhs->pl.proto->base == NFK_BASE_NETWORK)
		r->l4 = v[0];
	else if (((lhs->kind == EX_META && lhs->sk.key->key == NFT_META_PROTOCOL) ||
		  (lhs->kind == EX_PAYLOAD && !strcmp(lhs->pl.field->name, "type") &&
		   lhs->pl.proto->base == NFK_BASE_LL)) && len == 2) {
		unsigned et = v[0] << 8 | v[1];
		if (lhs->kind == EX_PAYLOAD)
			r->ll_type = et;
		/* a vlan tag naming another tag: later vlan fields are that one's */
		if (lhs->kind == EX_PAYLOAD && !strcmp(lhs->pl.proto->name, "vlan") &&
		    (et == 0x8100 || et == 0x88a8))
			r->vlan_off += 4;
		r->l3 = et == 0x0800 ? NFPROTO_IPV4 : et == 0x86dd ? NFPROTO_IPV6 :
			et == 0x0806 ? NFPROTO_ARP : 0;
	}
}
