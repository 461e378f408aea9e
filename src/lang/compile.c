// SPDX-License-Identifier: MIT
/*
 * The compiler core: parsed commands -> nf_tables messages in a batch, in
 * the order nft 1.0.6 emits them.  Selectors and statements are compiled
 * by their families (family.h); this file holds what they share: errors,
 * registers, values typed by the selector they are compared with, rules
 * and their error maps, and the commands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "family.h"

/* Newer than some installed UAPI headers (kernel 6.3). */
#ifndef NFT_MSG_DESTROYTABLE
#define NFT_MSG_DESTROYTABLE 26
#define NFT_MSG_DESTROYCHAIN 27
#define NFT_MSG_DESTROYRULE 28
#define NFT_MSG_DESTROYSET 29
#define NFT_MSG_DESTROYSETELEM 30
#define NFT_MSG_DESTROYOBJ 31
#endif

/* ---- errors ------------------------------------------------------------- */

void cc_err(struct cctx *c, const struct nfk_loc *loc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->failed) {
		nfk_diag_add(c->ds, loc, "%s", msg);
		nfk_diag_tag_eval(c->ds, (unsigned)c->cmd_i + 1);
	}
	c->failed = true;
	c->any_failed = true;
}

/* After one rule or object: an error in it was reported, and nft goes on
 * to report the errors of the others.  false: out of memory, stop. */
bool cc_go_on(struct cctx *c, bool ok)
{
	if (ok)
		return true;
	if (!c->failed)
		return false;
	c->failed = false;
	return true;
}

/* As cc_err, with a second location nft underlines with '~'. */
void cc_err_ctx(struct cctx *c, const struct nfk_loc *loc, const struct nfk_loc *ctx,
		     const char *msg)
{
	bool first = !c->failed;

	cc_err(c, loc, "%s", msg);
	if (first)
		nfk_diag_set_ctx(c->ds, ctx);
}


/* ---- kernel error locations --------------------------------------------------- */

bool cc_errmap_add(struct nfk_arena *ar, struct errmap *em, uint32_t off,
		   const struct nfk_loc *loc)
{
	if (em->n == em->cap) {
		size_t cap = em->cap ? 2 * em->cap : 16;
		uint32_t *o = nfk_arena_alloc(ar, cap * sizeof(*o));
		struct nfk_loc *l = nfk_arena_alloc(ar, cap * sizeof(*l));

		if (!o || !l)
			return false;
		if (em->n) {
			memcpy(o, em->off, em->n * sizeof(*o));
			memcpy(l, em->loc, em->n * sizeof(*l));
		}
		em->off = o;
		em->loc = l;
		em->cap = cap;
	}
	em->off[em->n] = off;
	em->loc[em->n++] = *loc;
	return true;
}

/* Marks, in ascending offsets: what the buffer lost since (a load taken
 * back) is forgotten, and a mark where the last one is replaces it. */
void cc_loc_mark(struct rctx *r, const struct nfk_loc *loc)
{
	struct errmap *em = r->em;

	if (!loc || !loc->line)
		return;
	r->loc = *loc;
	if (!em || r->b != r->pm_buf)
		return;
	uint32_t off = (uint32_t)r->b->len;
	while (em->n && em->off[em->n - 1] > off)
		em->n--;
	if (em->n && em->off[em->n - 1] == off)
		em->loc[em->n - 1] = *loc;
	else
		cc_errmap_add(&r->c->sc->arena, em, off, loc);
}

struct nfk_loc cc_loc_enter(struct rctx *r, const struct nfk_loc *loc)
{
	struct nfk_loc prev = r->loc;

	cc_loc_mark(r, loc);
	return prev;
}

void cc_loc_leave(struct rctx *r, const struct nfk_loc *prev)
{
	cc_loc_mark(r, prev);
}

/* ---- registers and selectors ------------------------------------------------ */

/* nft's register for the w-th 32-bit word: a 128-bit register when it
 * starts one, a 32-bit register otherwise. */
unsigned cc_reg_of_word(unsigned w)
{
	return w % 4 == 0 ? NFT_REG_1 + w / 4 : NFT_REG32_00 + w;
}


void cc_sel_type(struct sel *s, const struct nfk_dtype *t, unsigned bits, enum nfk_byteorder bo)
{
	s->dtype = t;
	s->bits = bits;
	s->len = (bits + 7) / 8;
	s->bo = bo;
}

/* A field of bits at bit offset off (from the header start): the bytes a
 * load covers, and for a field not byte aligned the mask and shift. */
void cc_sel_bits(struct sel *s, unsigned off, unsigned bits)
{
	unsigned first = off % 8;

	s->bits = bits;
	s->offset = off / 8;
	s->len = (first + bits + 7) / 8;
	if (first || bits % 8) {
		s->masked = true;
		s->shift = s->len * 8 - first - bits;
		/* mask bits [first, first+bits) of the big-endian window (a
		 * typeof key may be wider than a load: its mask is never used) */
		for (unsigned i = 0; i < s->len * 8 && i / 8 < sizeof(s->mask); i++)
			if (i >= first && i < first + bits)
				s->mask[i / 8] |= 0x80 >> (i % 8);
	}
}

/* Resolves a selector to what it loads, emitting its dependencies. */
bool cc_resolve(struct rctx *r, const struct ex *e, struct sel *s)
{
	const struct lang_family *f = nfk_lang_by_ex(e->kind);

	memset(s, 0, sizeof(*s));
	s->kind = e->kind;
	s->dir = -1;
	s->fx = e;
	if (!f || !f->resolve) {
		cc_err(r->c, &e->loc, "unsupported selector");
		return false;
	}
	/* its dependencies are nft's at its location too */
	struct nfk_loc prev = cc_loc_enter(r, &e->loc);
	bool ok = f->resolve(r, e, s);
	cc_loc_leave(r, &prev);
	return ok;
}

bool cc_load(struct rctx *r, const struct sel *s, unsigned dreg)
{
	const struct lang_family *f = nfk_lang_by_ex(s->kind);

	r->last_load = r->b->len;
	struct nfk_loc prev = cc_loc_enter(r, s->fx ? &s->fx->loc : NULL);
	bool ok = f && f->load && f->load(r, s, dreg);
	cc_loc_leave(r, &prev);
	return ok;
}

bool cc_is_selector(const struct ex *e)
{
	const struct lang_family *f = nfk_lang_by_ex(e->kind);

	return f && f->resolve;
}


/* Loads a selector, or a selector combined with constants ("ct mark or
 * 0x1", "(meta mark | 0x10) << 8"), into dreg; s describes the result. */
static bool load_expr(struct rctx *r, const struct ex *e, struct sel *s, unsigned dreg);

bool cc_load_expr(struct rctx *r, const struct ex *e, struct sel *s, unsigned dreg)
{
	if (cc_is_selector(e))
		return cc_resolve(r, e, s) && cc_load(r, s, dreg);
	/* a map's lookup, a binop's bitwise or shift: theirs */
	struct nfk_loc prev = cc_loc_enter(r, &e->loc);
	bool ok = load_expr(r, e, s, dreg);
	cc_loc_leave(r, &prev);
	return ok;
}

static bool load_expr(struct rctx *r, const struct ex *e, struct sel *s, unsigned dreg)
{
	if (e->kind == EX_MAP && r->map_data) {
		/* key map { k : v }: the lookup writes the value to dreg */
		struct sel ks[NFK_CONCAT_MAX];
		unsigned n;
		const struct kset *m;
		struct kset tmp;
		const struct sel *target = r->map_data;
		*s = *target;
		/* the key goes where the value will: a nat address already
		 * loaded into an earlier register stays intact */
		unsigned base = dreg >= NFT_REG_1 && dreg <= NFT_REG_4 ? (dreg - NFT_REG_1) * 4 : 0;
		unsigned sreg = cc_reg_of_word(base);
		if (e->a->kind == EX_BINOP) {
			n = 1;
			if (!cc_load_expr(r, e->a, &ks[0], sreg))
				return false;
		} else {
			r->key_ctx = true;
			r->key_word = base;
			r->concat_hton = cc_concat_wants_hton(r, e->a, e->b);
			bool ok = cc_load_concat(r, e->a, ks, &n);
			r->concat_hton = false;
			r->key_word = 0;
			r->key_ctx = false;
			if (!ok)
				return false;
			/* interval keys compare in network order */
			if (n == 1 && e->b->kind == EX_SET && cc_set_has_intervals(e->b) &&
			    !cc_hton(r, &ks[0], sreg))
				return false;
		}
		if (e->b->kind == EX_SETREF) {
			m = cc_find_set(r->c, r->family, r->table, e->b->s, &tmp);
			if (!m) {
				cc_set_missing(r->c, &e->b->loc, r->family, r->table, e->b->s);
				return false;
			}
			if (!cc_map_types_check(r, e, m, ks, n, target))
				return false;
		} else if (e->b->kind == EX_SET) {
			m = cc_anon_set(r, e->b, e->a, ks, n, target->dtype, true, &e->loc);
			if (!m)
				return false;
		} else {
			cc_err(r->c, &e->b->loc, "Expression is not a map");
			return false;
		}
		return cc_emit_lookup(r->b, m->name, m->id, sreg, dreg, false);
	}
	if (e->kind != EX_BINOP) {
		cc_err(r->c, &e->loc, "expression is not a selector");
		return false;
	}
	if (!cc_load_expr(r, e->a, s, dreg))
		return false;
	if (e->binop == T_SHL || e->binop == T_SHR) {
		uint8_t v[NFK_REGS_LEN];
		unsigned l = 4;
		if (!cc_value(r->c, e->b, NFK_DTYPE(INTEGER), NFK_BO_HOST, 32, v, &l))
			return false;
		uint32_t n;
		memcpy(&n, v, 4);
		return cc_emit_shift(r->b, dreg, e->binop, n, s->len);
	}
	uint8_t m[NFK_REGS_LEN], x[NFK_REGS_LEN] = { 0 };
	unsigned ml = s->len;
	if (!cc_sel_value(r->c, s, e->b, m, &ml))
		return false;
	if (e->binop == '|') {
		memcpy(x, m, ml);
		for (unsigned i = 0; i < ml; i++)
			m[i] = ~m[i];
	} else if (e->binop == '^') {
		memcpy(x, m, ml);
		memset(m, 0xff, ml);
	}
	return cc_emit_bitwise(r->b, dreg, m, x, s->len);
}

/* ---- values ----------------------------------------------------------- */

/* A plain dotted quad ("10.1.2.3"), the bulk of huge element lists;
 * anything else takes the general path. */
static bool ip4_fast(const char *s, uint8_t *out)
{
	for (int i = 0; i < 4; i++) {
		const char *start = s;
		unsigned v = 0, d = 0;
		while (*s >= '0' && *s <= '9' && d < 3)
			v = v * 10 + (unsigned)(*s++ - '0'), d++;
		/* a leading zero means octal to inet_aton: leave it to the parser */
		if (!d || v > 255 || (d > 1 && *start == '0') || *s != (i < 3 ? '.' : 0))
			return false;
		out[i] = (uint8_t)v;
		s++;
	}
	return true;
}

/* Words nft's grammar reads as Internet protocol constants wherever a
 * value is expected. */
static bool proto_keyword(const char *w)
{
	static const char *const kw[] = {
		"tcp", "udp", "udplite", "esp", "ah", "icmp", "icmpv6", "igmp", "comp",
		"dccp", "sctp",
	};
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (!strcmp(w, kw[i]))
			return true;
	return false;
}

bool cc_value(struct cctx *c, const struct ex *e, const struct nfk_dtype *t,
		       enum nfk_byteorder bo, unsigned bits, uint8_t *out, unsigned *len)
{
	char err[160] = "";
	unsigned l = (bits + 7) / 8;

	/* every value fits the register file (out holds NFK_REGS_LEN bytes);
	 * selectors wider than that are refused where they are resolved */
	if (l > NFK_REGS_LEN) {
		cc_err(c, &e->loc, "value of %u bits exceeds the register file", bits);
		return false;
	}
	if (e->kind == EX_BINOP && e->binop != T_SHL && e->binop != T_SHR) {
		/* constant expressions: "0x11 xor 0x1331", "syn | ack" */
		uint8_t b[NFK_REGS_LEN];
		unsigned lb = l;
		if (!cc_value(c, e->a, t, bo, bits, out, len) ||
		    !cc_value(c, e->b, t, bo, bits, b, &lb))
			return false;
		for (unsigned i = 0; i < *len; i++)
			out[i] = e->binop == '&' ? out[i] & b[i] : e->binop == '|' ? out[i] | b[i] : out[i] ^ b[i];
		return true;
	}
	if (e->kind == EX_LIST && t->bitmask) {
		uint8_t b[NFK_REGS_LEN];
		unsigned lb = l;
		if (!cc_value(c, e->v[0], t, bo, bits, out, len))
			return false;
		for (size_t j = 1; j < e->n; j++) {
			if (!cc_value(c, e->v[j], t, bo, bits, b, &lb))
				return false;
			for (unsigned i = 0; i < *len; i++)
				out[i] |= b[i];
		}
		return true;
	}
	if (e->kind != EX_SYM && e->kind != EX_STR) {
		cc_err(c, &e->loc, "syntax error, expecting a value");
		return false;
	}
	memset(out, 0, NFK_REGS_LEN);
	if (e->kind == EX_STR && !e->s[0]) {
		cc_err(c, &e->loc, "Empty string is not allowed");
		return false;
	}
	if (t->id == NFK_TYPE_IPADDR && e->kind == EX_SYM && bits == 32 && ip4_fast(e->s, out)) {
		*len = 4;
		return true;
	}
	if (t->id == NFK_TYPE_IFINDEX && e->kind == EX_SYM && e->s[0] >= '0' && e->s[0] <= '9') {
		/* interface indexes may be given as numbers */
		char *end;
		unsigned long v = strtoul(e->s, &end, 0);
		if (!*end && v <= UINT32_MAX) {
			uint32_t x = v;
			memcpy(out, &x, 4);
			*len = 4;
			return true;
		}
	}
	if (nfk_value_parse(t, bo, bits, e->s, out, &l, err, sizeof(err))) {
		if (e->kind == EX_SYM && c->match_lhs && proto_keyword(e->s) &&
		    !nfk_dtype_is(t, NFK_DTYPE(INET_PROTOCOL))) {
			/* nft's grammar makes these words protocol constants */
			char msg[256];
			snprintf(msg, sizeof(msg), "datatype mismatch, expected %s, expression has type %s",
				 t->desc, NFK_DTYPE(INET_PROTOCOL)->desc);
			cc_err_ctx(c, &e->loc, c->match_lhs, msg);
			return false;
		}
		cc_err(c, &e->loc, "%s", err[0] ? err : "Could not parse value");
		return false;
	}
	*len = l;
	return true;
}

/* Sub-byte fields compare shifted values: vlan id 4094 -> 0x0ffe in the
 * 2-byte window. */
/* A value of a field that is not byte-aligned, moved to where the field
 * sits in its loaded bytes: right-aligned there, then shifted left by the
 * bits after it (big-endian, any width up to the register file). */
static void shift_value(const struct sel *s, uint8_t *v, unsigned *len)
{
	uint8_t t[NFK_REGS_LEN] = { 0 };
	unsigned n = *len < s->len ? *len : s->len, bytes = s->shift / 8, bits = s->shift % 8;

	if (!s->masked || s->len > NFK_REGS_LEN)
		return;
	memcpy(t + s->len - n, v + *len - n, n);
	for (unsigned i = 0; i < s->len; i++) {
		unsigned from = i + bytes;
		uint8_t hi = from < s->len ? t[from] : 0, lo = from + 1 < s->len ? t[from + 1] : 0;

		v[i] = bits ? (uint8_t)(hi << bits | lo >> (8 - bits)) : hi;
	}
	*len = s->len;
}

bool cc_sel_value(struct cctx *c, const struct sel *s, const struct ex *e, uint8_t *out,
		      unsigned *len)
{
	if (!cc_value(c, e, s->dtype, s->bo, s->bits, out, len))
		return false;
	shift_value(s, out, len);
	return true;
}

bool cc_hton(struct rctx *r, struct sel *s, unsigned reg)
{
	if (s->bo != NFK_BO_HOST || s->len < 2 || nfk_dtype_is(s->dtype, NFK_DTYPE(STRING)))
		return true;
	if (!cc_emit_byteorder(r->b, reg, s->len))
		return false;
	s->bo = NFK_BO_BIG;
	s->hton = true;
	return true;
}

/* Big-endian increment; false on overflow. */
bool cc_be_inc(uint8_t *v, unsigned len)
{
	for (unsigned i = len; i-- > 0;)
		if (++v[i])
			return true;
	return false;
}

void cc_prefix_mask(uint8_t *mask, unsigned len, unsigned plen)
{
	memset(mask, 0, len);
	for (unsigned i = 0; i < plen && i < len * 8; i++)
		mask[i / 8] |= 0x80 >> (i % 8);
}

/* A prefix mask of a value in byte order bo: host-order integers get
 * their top bits set, as the integer reads. */
void cc_prefix_mask_bo(uint8_t *mask, unsigned len, unsigned plen, enum nfk_byteorder bo)
{
	cc_prefix_mask(mask, len, plen);
	if (bo == NFK_BO_HOST && len <= 8) {
		uint64_t m = nfk_value_get_uint(mask, len, NFK_BO_BIG);
		nfk_value_put_uint(mask, len, NFK_BO_HOST, m);
	}
}

/* Which attribute of each kind of message names what: the table, the
 * object (chain, set, object, flowtable) and the handle (a rule's position
 * too).  A kernel error whose extended ACK points at one of them is shown
 * under that name, as nft shows it. */
static const struct {
	uint16_t msgs[3];             /* NEW, DEL, DESTROY */
	uint16_t table, name, handle, position;
	bool name_is_chain;
} name_attrs[] = {
	{ { NFT_MSG_NEWTABLE, NFT_MSG_DELTABLE, NFT_MSG_DESTROYTABLE },
	  NFTA_TABLE_NAME, 0, NFTA_TABLE_HANDLE, 0, false },
	{ { NFT_MSG_NEWCHAIN, NFT_MSG_DELCHAIN, NFT_MSG_DESTROYCHAIN },
	  NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME, NFTA_CHAIN_HANDLE, 0, true },
	{ { NFT_MSG_NEWRULE, NFT_MSG_DELRULE, NFT_MSG_DESTROYRULE },
	  NFTA_RULE_TABLE, NFTA_RULE_CHAIN, NFTA_RULE_HANDLE, NFTA_RULE_POSITION, true },
	{ { NFT_MSG_NEWSET, NFT_MSG_DELSET, NFT_MSG_DESTROYSET },
	  NFTA_SET_TABLE, NFTA_SET_NAME, NFTA_SET_HANDLE, 0, false },
	{ { NFT_MSG_NEWSETELEM, NFT_MSG_DELSETELEM, NFT_MSG_DESTROYSETELEM },
	  NFTA_SET_ELEM_LIST_TABLE, NFTA_SET_ELEM_LIST_SET, 0, 0, false },
	{ { NFT_MSG_NEWOBJ, NFT_MSG_DELOBJ, NFT_MSG_DESTROYOBJ },
	  NFTA_OBJ_TABLE, NFTA_OBJ_NAME, NFTA_OBJ_HANDLE, 0, false },
	{ { NFT_MSG_NEWFLOWTABLE, NFT_MSG_DELFLOWTABLE, 0 },
	  NFTA_FLOWTABLE_TABLE, NFTA_FLOWTABLE_NAME, NFTA_FLOWTABLE_HANDLE, 0, false },
};

/* Records where the names of a command's message were written. */
static void errmap_names(struct cctx *c, const struct nlmsghdr *nlh, const void *cookie,
			 const struct nfk_handle *h)
{
	unsigned type = nlh->nlmsg_type & 0xff;
	size_t k = 0, nk = sizeof(name_attrs) / sizeof(name_attrs[0]);

	while (k < nk && name_attrs[k].msgs[0] != type && name_attrs[k].msgs[1] != type &&
	       name_attrs[k].msgs[2] != type)
		k++;
	if (k == nk)
		return;
	struct errmap *em = nfk_arena_alloc(&c->sc->arena, sizeof(*em));
	if (!em)
		return;
	const struct nfk_loc *name = name_attrs[k].name_is_chain ? &h->chain_loc : &h->set_loc;
	if (!name_attrs[k].name)
		name = &h->table_loc;
	const uint8_t *base = (const uint8_t *)nlh;
	nfk_attr_for_each(a, rem, base + NFK_MSG_HDRLEN, nlh->nlmsg_len - NFK_MSG_HDRLEN) {
		unsigned at = a->nla_type & NLA_TYPE_MASK;
		const struct nfk_loc *l = at == name_attrs[k].table ? &h->table_loc :
					  at == name_attrs[k].name ? name :
					  at == name_attrs[k].handle ||
					  (name_attrs[k].position && at == name_attrs[k].position) ?
						&h->handle_loc : NULL;
		if (l && l->line && em->nnames < 3) {
			em->name_off[em->nnames] = (uint32_t)((const uint8_t *)a - base);
			em->name_loc[em->nnames++] = l;
		}
	}
	em->cookie = cookie;
	em->next = c->sc->errmaps;
	c->sc->errmaps = em;
}

/* Ends a message of the command being compiled, noting its names. */
void cc_end_msg(struct cctx *c, struct nlmsghdr *nlh, const void *cookie)
{
	nfk_batch_end_msg(c->b, nlh);
	if (c->cur_h)
		errmap_names(c, nlh, cookie, c->cur_h);
}

/* ---- sets: anonymous and named -------------------------------------- */




/* ---- matches ------------------------------------------------------------ */

/* A concatenation's members, each padded to a 32-bit word: nft's size
 * check (the register file, in bits) at the member that crosses it, then
 * the room left from where the key starts (r->key_word). */
static bool concat_member(struct rctx *r, const struct ex *lhs, size_t i, unsigned *bits,
			  struct sel *sel)
{
	unsigned max = NFK_REGS_LEN * 8, room = (NFK_REGS_LEN - r->key_word * 4) * 8;

	if (!cc_resolve(r, lhs->v[i], sel))
		return false;
	*bits += cc_round4(sel->len) * 8;
	if (*bits > max || i >= NFK_CONCAT_MAX) {
		cc_err(r->c, &lhs->v[i]->loc, "Concatenation of size %u exceeds maximum size of %u",
		       *bits, max);
		return false;
	}
	if (i + 1 == lhs->n && *bits > room) {
		cc_err(r->c, &lhs->loc, "Concatenation of size %u exceeds maximum size of %u",
		       *bits, room);
		return false;
	}
	return true;
}

bool cc_load_concat(struct rctx *r, const struct ex *lhs, struct sel *sels, unsigned *nsel)
{
	unsigned bits = 0;

	if (lhs->kind != EX_CONCAT) {
		*nsel = 1;
		if (!cc_resolve(r, lhs, &sels[0]))
			return false;
		return cc_load(r, &sels[0], cc_reg_of_word(r->key_word));
	}
	/* resolve everything first: nft puts all dependencies ahead; the
	 * size check stops at the 17th member at the latest (each takes a
	 * word at least), so sels[NFK_CONCAT_MAX] suffices */
	r->key_ctx = true;
	for (size_t i = 0; i < lhs->n; i++) {
		struct sel one;

		if (!concat_member(r, lhs, i, &bits, &one)) {
			r->key_ctx = false;
			return false;
		}
		sels[i] = one;
	}
	r->key_ctx = false;
	unsigned word = r->key_word;
	for (size_t i = 0; i < lhs->n; i++) {
		unsigned reg = cc_reg_of_word(word);
		if (!cc_load(r, &sels[i], reg))
			return false;
		/* intervals of a concatenation compare in network order: nft
		 * turns host-order members around right after loading them */
		if (r->concat_hton && !cc_hton(r, &sels[i], reg))
			return false;
		word += cc_round4(sels[i].len) / 4;
	}
	*nsel = lhs->n;
	return true;
}

/* Whether a concatenation looked up in set (anonymous, or a reference)
 * has its host-order members turned to network order: sets with
 * intervals compare whole keys byte by byte. */
bool cc_concat_wants_hton(struct rctx *r, const struct ex *lhs, const struct ex *set)
{
	struct kset tmp;
	const struct kset *ks;

	if (lhs->kind != EX_CONCAT)
		return false;
	if (set->kind == EX_SET)
		return cc_set_has_intervals(set);
	if (set->kind != EX_SETREF)
		return false;
	ks = cc_find_set(r->c, r->family, r->table, set->s, &tmp);
	return ks && (ks->flags & NFT_SET_INTERVAL);
}

/* ---- statements ---------------------------------------------------------- */

bool cc_is_const(const struct ex *e)
{
	switch (e->kind) {
	case EX_SYM: case EX_STR: case EX_LIST:
		return true;
	case EX_BINOP:
		return cc_is_const(e->a) && cc_is_const(e->b);
	default:
		return false;
	}
}

bool cc_set_source(struct rctx *r, const struct stmt *st, const struct sel *s, struct sel *src)
{
	uint8_t v[NFK_REGS_LEN];
	unsigned len = s->len;
	bool ok;

	memset(src, 0, sizeof(*src));
	if (cc_is_const(st->set.right))
		return cc_sel_value(r->c, s, st->set.right, v, &len) &&
		       cc_emit_immediate(r->b, NFT_REG_1, v, len);
	r->map_data = s;
	r->map_ctx = &st->span;
	ok = cc_load_expr(r, st->set.right, src, NFT_REG_1);
	r->map_data = NULL;
	r->map_ctx = NULL;
	return ok;
}

/* Where the expression starting at or after from that comes last starts. */
static size_t last_expr(const struct nfk_buf *b, size_t from)
{
	size_t at = from;

	nfk_attr_for_each(a, rem, b->data + from, b->len - from)
		at = (size_t)((const uint8_t *)a - b->data);
	return at;
}

bool cc_stmt(struct rctx *r, const struct stmt *st)
{
	const struct lang_family *f;

	if (st->kind == ST_SET) {
		f = nfk_lang_by_ex(st->set.left->kind);
		size_t start = r->b->len;
		struct nfk_loc own = r->loc;
		/* a constant's immediate is the value's (a selector's load is
		 * its own anyway) */
		if (cc_is_const(st->set.right))
			cc_loc_mark(r, &st->set.right->loc);
		if (!f || !f->store || !f->store(r, st))
			return false;
		/* the value went first; the write is the statement's */
		if (r->b->len > start) {
			size_t len = r->b->len;
			r->b->len = last_expr(r->b, start);
			cc_loc_mark(r, &own);
			r->b->len = len;
		}
		return true;
	}
	f = nfk_lang_by_st(st->kind);
	return f && f->compile && f->compile(r, st);
}

struct nfk_loc cc_stmt_keyword(const struct stmt *st)
{
	return st->loc;
}

struct nfk_loc cc_stmt_whole(const struct stmt *st)
{
	return st->span.line ? st->span : st->loc;
}

/* nft's location of a statement's own kernel expression: its family's
 * say (the keyword, a verdict's expression, an object's name...), else
 * the whole statement. */
static struct nfk_loc stmt_loc(const struct stmt *st)
{
	const struct lang_family *f = nfk_lang_by_st(st->kind);

	return f && f->err_loc ? f->err_loc(st) : cc_stmt_whole(st);
}

/* ---- commands ----------------------------------------------------------- */

bool cc_put_comment(struct nfk_buf *b, uint16_t attr, uint8_t type, const char *s)
{
	uint8_t ud[260];
	size_t l = strlen(s) + 1;

	if (l > 255)
		l = 255;
	ud[0] = type;
	ud[1] = l;
	memcpy(ud + 2, s, l - 1);
	ud[1 + l] = 0;
	return nfk_attr_put(b, attr, ud, l + 2);
}

/* A rule's expressions, however many: the kernel decides. */
#define RULE_BUF_MAX ((size_t)1 << 20)
/* The kernel takes this many expressions in a rule (NFT_RULE_MAXEXPRS). */
#define RULE_MAXEXPRS 128

/* Expressions whose list does not fit a netlink attribute (64 KiB): nft
 * sends them with the list's length wrapped, and the kernel refuses the
 * rule, having found more expressions than a rule holds (EINVAL, at no
 * attribute).  Only the expressions up to that one go, for the kernel to
 * say so; false when there are not that many (which no statement makes). */
static bool fit_rule(struct nfk_buf *eb)
{
	size_t n = 0;

	if (eb->len + NFK_ATTR_HDRLEN <= UINT16_MAX)
		return true;
	nfk_attr_for_each(a, rem, eb->data, eb->len) {
		if (++n > RULE_MAXEXPRS) {
			eb->len = (size_t)((const uint8_t *)a - eb->data) + NFK_ALIGN(a->nla_len);
			return true;
		}
	}
	return false;
}

bool cc_rule(struct cctx *c, const struct nfk_cmd *cmd, int family,
			 const char *table, const char *chain, const struct rule *ru)
{
	struct nfk_buf eb;
	bool ok = false;

	/* every rule nft would send fits; one buffer for the whole script */
	if (!c->rule_mem && !(c->rule_mem = malloc(RULE_BUF_MAX)))
		return false;
	nfk_buf_init(&eb, c->rule_mem, RULE_BUF_MAX);
	struct rctx r = { .c = c, .b = &eb, .family = family, .table = table, .l4 = -1 };
	if (family == NFPROTO_IPV4 || family == NFPROTO_IPV6)
		r.l3 = family;
	bool terminal = false;
	struct errmap *em = nfk_arena_alloc(&c->sc->arena, sizeof(*em));
	r.em = em;
	r.pm_buf = &eb;
	for (const struct stmt *st = ru->stmts; st; st = st->next) {
		/* nft merges payload matches only within a run of matches */
		if (st->kind != ST_MATCH && !cc_pm_flush(&r, em))
			goto too_large;
		struct nfk_loc sl = stmt_loc(st);
		cc_loc_mark(&r, &sl);
		if (terminal) {
			cc_err(c, &st->loc, "Statement after terminal statement has no effect");
			goto out;
		}
		terminal = nfk_lang_terminal(st->kind);
		if (!cc_stmt(&r, st) || (st->kind != ST_MATCH && !cc_pm_flush(&r, em))) {
too_large:
			if (!c->failed)
				cc_err(c, &st->loc, "rule is too large");
			goto out;
		}
	}
	if (!cc_pm_flush(&r, em) || !fit_rule(&eb)) {
		cc_err(c, &ru->loc, "rule is too large");
		goto out;
	}
	uint16_t flags = NLM_F_CREATE;
	enum nfk_cmd_op op = cmd ? cmd->op : NFK_CMD_ADD;
	if (op == NFK_CMD_ADD || op == NFK_CMD_CREATE)
		flags |= NLM_F_APPEND;
	else if (op == NFK_CMD_REPLACE)
		flags = NLM_F_REPLACE;
	struct nfk_buf *b;
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWRULE, flags, family, &ru->loc);
	if (!nlh)
		goto out;
	ok = nfk_attr_put_str(b, NFTA_RULE_TABLE, table) && nfk_attr_put_str(b, NFTA_RULE_CHAIN, chain);
	if (ok && cmd && op == NFK_CMD_REPLACE && cmd->h.handle)
		ok = nfk_schema_put_uint(b, &nfk_rule_schema, NFTA_RULE_HANDLE, cmd->h.handle);
	if (ok && cmd && op != NFK_CMD_REPLACE && (cmd->h.position || cmd->h.handle))
		ok = nfk_schema_put_uint(b, &nfk_rule_schema, NFTA_RULE_POSITION,
				       cmd->h.position ? cmd->h.position : cmd->h.handle);
	if (ok) {
		struct nlattr *n = nfk_nest_start(b, NFTA_RULE_EXPRESSIONS);
		ok = n && (eb.len == 0 || nfk_attr_put(b, 0xffff, NULL, 0));
		if (ok && eb.len) {
			/* replace the placeholder header with the expression list */
			b->len -= NFK_ATTR_HDRLEN;
			if (em) {
				em->cookie = &ru->loc;
				em->base = (size_t)(b->data + b->len - (uint8_t *)nlh);
				em->end = em->base + eb.len;
				em->next = c->sc->errmaps;
				c->sc->errmaps = em;
			}
			if (b->cap - b->len < eb.len) {
				ok = false;
			} else {
				memcpy(b->data + b->len, eb.data, eb.len);
				b->len += eb.len;
			}
		}
		if (ok)
			nfk_nest_end(b, n);
	}
	if (ok && ru->comment)
		ok = cc_put_comment(b, NFTA_RULE_USERDATA, 0, ru->comment);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		cc_err(c, &ru->loc, "rule is too large");
		goto out;
	}
	cc_end_msg(c, nlh, &ru->loc);
out:
	return ok && !c->failed;
}

/* ---- stateful objects: each kind's NFTA_OBJ_DATA, as nft sends it ----- */

/* A message with just a few name attributes: deletes and flushes. */
bool cc_simple_msg(struct cctx *c, const struct nfk_cmd *cmd, uint16_t type, int family,
		       const uint16_t *attrs, const char *const *vals, unsigned n, uint64_t handle,
		       uint16_t handle_attr)
{
	struct nfk_buf *b;
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, type, 0, family < 0 ? NFPROTO_UNSPEC : family,
					     &cmd->h.loc);

	if (!nlh)
		return false;
	bool ok = true;
	for (unsigned i = 0; ok && i < n; i++)
		if (vals[i])
			ok = nfk_attr_put_str(b, attrs[i], vals[i]);
	if (ok && handle)
		ok = nfk_schema_put_uint(b, nfk_msg_schema(type), handle_attr, handle);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	cc_end_msg(c, nlh, &cmd->h.loc);
	return true;
}

static bool compile_add(struct cctx *c, const struct nfk_cmd *cmd)
{
	const struct cmd_body *body = cmd->body;
	int fam = cmd->h.family;
	const char *tbl = cmd->h.table;

	switch (cmd->obj) {
	case NFK_OBJ_TABLE: {
		const struct table_decl *t = body->table;
		if (!cc_table_msg(c, cmd, t))
			return false;
		if (!t)
			return true;
		/* nft's order: chains, objects, sets (with elements), rules */
		for (const struct chain_decl *ch = t->chains; ch; ch = ch->next)
			if (!cc_go_on(c, cc_chain_msg(c, cmd, fam, tbl, ch, ch->name)))
				return false;
		for (const struct obj_decl *o = t->objs; o; o = o->next)
			if (!cc_go_on(c, cc_obj(c, cmd, fam, tbl, o)))
				return false;
		for (const struct set_decl *s = t->sets; s; s = s->next)
			if (!cc_go_on(c, cc_set(c, cmd, fam, tbl, s)))
				return false;
		for (const struct flowtable_decl *f = t->fts; f; f = f->next)
			if (!cc_go_on(c, cc_flowtable(c, cmd, fam, tbl, f)))
				return false;
		for (const struct chain_decl *ch = t->chains; ch; ch = ch->next) {
			/* a rule's chain is the block's name: a kernel error about
			 * the chain (it was refused, say) points there, as nft's */
			const struct nfk_handle *th = c->cur_h;
			/* in the script's arena: the error map keeps pointers into it */
			struct nfk_handle *bh = nfk_arena_alloc(&c->sc->arena, sizeof(*bh));
			if (bh) {
				*bh = th ? *th : (struct nfk_handle){ 0 };
				bh->chain_loc = ch->name_loc;
				c->cur_h = bh;
			}
			for (const struct rule *r = ch->rules; r; r = r->next)
				if (!cc_go_on(c, cc_rule(c, NULL, fam, tbl, ch->name, r))) {
					c->cur_h = th;
					return false;
				}
			c->cur_h = th;
		}
		return true;
	}
	case NFK_OBJ_CHAIN:
		if (!cc_chain_msg(c, cmd, fam, tbl, body->chain, cmd->h.chain))
			return false;
		if (body->chain)
			for (const struct rule *r = body->chain->rules; r; r = r->next)
				if (!cc_go_on(c, cc_rule(c, NULL, fam, tbl, cmd->h.chain, r)))
					return false;
		return true;
	case NFK_OBJ_RULE:
		return cc_rule(c, cmd, fam, tbl, cmd->h.chain, body->rule);
	case NFK_OBJ_SET:
	case NFK_OBJ_MAP:
		if (!body->set) {
			cc_err(c, &cmd->loc, "set definition does not specify key");
			return false;
		}
		return cc_set(c, cmd, fam, tbl, body->set);
	case NFK_OBJ_ELEMENT:
		return cc_elements_cmd(c, cmd, NFT_MSG_NEWSETELEM);
	case NFK_OBJ_COUNTER:
	case NFK_OBJ_QUOTA:
	case NFK_OBJ_LIMIT:
	case NFK_OBJ_CT_HELPER:
	case NFK_OBJ_CT_TIMEOUT:
	case NFK_OBJ_CT_EXPECT:
	case NFK_OBJ_SYNPROXY:
	case NFK_OBJ_SECMARK:
		return cc_obj(c, cmd, fam, tbl, body->obj);
	case NFK_OBJ_FLOWTABLE:
		if (!body->ft) {
			cc_err(c, &cmd->loc, "flowtable definition expected");
			return false;
		}
		return cc_flowtable(c, cmd, fam, tbl, body->ft);
	default:
		cc_err(c, &cmd->loc, "unsupported command");
		return false;
	}
}

static bool compile_delete(struct cctx *c, const struct nfk_cmd *cmd, bool destroy)
{
	const struct nfk_handle *h = &cmd->h;
	static const uint16_t tattrs[] = { NFTA_TABLE_NAME };
	static const uint16_t cattrs[] = { NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME };
	static const uint16_t rattrs[] = { NFTA_RULE_TABLE, NFTA_RULE_CHAIN };
	static const uint16_t sattrs[] = { NFTA_SET_TABLE, NFTA_SET_NAME };
	const char *tv[] = { h->table };
	const char *cv[] = { h->table, h->chain };
	const char *sv[] = { h->table, h->set };

	switch (cmd->obj) {
	case NFK_OBJ_TABLE:
		return cc_simple_msg(c, cmd, destroy ? NFT_MSG_DESTROYTABLE : NFT_MSG_DELTABLE, h->family,
				  tattrs, tv, 1, h->handle, NFTA_TABLE_HANDLE);
	case NFK_OBJ_CHAIN:
		return cc_simple_msg(c, cmd, destroy ? NFT_MSG_DESTROYCHAIN : NFT_MSG_DELCHAIN, h->family,
				  cattrs, cv, 2, h->handle, NFTA_CHAIN_HANDLE);
	case NFK_OBJ_RULE:
		return cc_simple_msg(c, cmd, destroy ? NFT_MSG_DESTROYRULE : NFT_MSG_DELRULE, h->family,
				  rattrs, cv, 2, h->handle, NFTA_RULE_HANDLE);
	case NFK_OBJ_SET:
	case NFK_OBJ_MAP:
		return cc_simple_msg(c, cmd, destroy ? NFT_MSG_DESTROYSET : NFT_MSG_DELSET, h->family,
				  sattrs, sv, 2, h->handle, NFTA_SET_HANDLE);
	case NFK_OBJ_ELEMENT:
		return cc_elements_cmd(c, cmd, destroy ? NFT_MSG_DESTROYSETELEM : NFT_MSG_DELSETELEM);
	case NFK_OBJ_COUNTER:
	case NFK_OBJ_QUOTA:
	case NFK_OBJ_LIMIT:
	case NFK_OBJ_CT_HELPER:
	case NFK_OBJ_CT_TIMEOUT:
	case NFK_OBJ_CT_EXPECT:
	case NFK_OBJ_SYNPROXY:
	case NFK_OBJ_SECMARK: {
		struct nfk_buf *b;
		struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, destroy ? NFT_MSG_DESTROYOBJ : NFT_MSG_DELOBJ,
						     0, h->family, &cmd->loc);
		uint32_t type = cc_obj_type(cmd->obj);
		if (!nlh)
			return false;
		/* nft's order: the handle in the name's place, an empty data nest */
		bool ok = nfk_attr_put_str(b, NFTA_OBJ_TABLE, h->table) &&
			  (!h->set || nfk_attr_put_str(b, NFTA_OBJ_NAME, h->set)) &&
			  (!h->handle || nfk_schema_put_uint(b, &nfk_obj_schema, NFTA_OBJ_HANDLE, h->handle)) &&
			  nfk_schema_put_uint(b, &nfk_obj_schema, NFTA_OBJ_TYPE, type);
		struct nlattr *d = ok ? nfk_nest_start(b, NFTA_OBJ_DATA) : NULL;
		if (d)
			nfk_nest_end(b, d);
		if (!d) {
			nfk_batch_cancel_msg(c->b, nlh);
			return false;
		}
		cc_end_msg(c, nlh, &cmd->loc);
		return true;
	}
	default:
		cc_err(c, &cmd->loc, "unsupported command");
		return false;
	}
}

static bool compile_flush(struct cctx *c, const struct nfk_cmd *cmd)
{
	const struct nfk_handle *h = &cmd->h;
	static const uint16_t rattrs[] = { NFTA_RULE_TABLE, NFTA_RULE_CHAIN };
	static const uint16_t eattrs[] = { NFTA_SET_ELEM_LIST_TABLE, NFTA_SET_ELEM_LIST_SET };
	const char *cv[] = { h->table, h->chain };
	const char *sv[] = { h->table, h->set };

	switch (cmd->obj) {
	case NFK_OBJ_RULESET:
		return cc_simple_msg(c, cmd, NFT_MSG_DELTABLE, h->family, NULL, NULL, 0, 0, 0);
	case NFK_OBJ_TABLE:
		return cc_simple_msg(c, cmd, NFT_MSG_DELRULE, h->family, rattrs, cv, 1, 0, 0);
	case NFK_OBJ_CHAIN:
		return cc_simple_msg(c, cmd, NFT_MSG_DELRULE, h->family, rattrs, cv, 2, 0, 0);
	case NFK_OBJ_SET:
	case NFK_OBJ_MAP: {
		/* nft looks the set up in its cache first */
		struct kset tmp;
		if (c->o && c->o->ks && !cc_find_set(c, h->family, h->table, h->set, &tmp)) {
			cc_set_missing_at(c, &h->set_loc, &h->table_loc, h->family, h->table, h->set);
			return false;
		}
		return cc_simple_msg(c, cmd, NFT_MSG_DELSETELEM, h->family, eattrs, sv, 2, 0, 0);
	}
	default:
		cc_err(c, &cmd->loc, "unsupported command");
		return false;
	}
}

int nfk_script_compile(struct nfk_script *sc, const struct nfk_compile_opts *o,
		       struct nfk_batch *b, struct nfk_diags *ds)
{
	struct cctx c = { .sc = sc, .o = o, .b = b, .ds = ds };
	bool ok = true;

	/* set ids are the transaction's: go on from the caller's counter */
	if (o && o->next_set_id)
		c.next_id = *o->next_set_id;
	for (size_t i = 0; ok && i < sc->ncmds; i++) {
		const struct nfk_cmd *cmd = &sc->cmds[i];
		c.cmd_i = i;
		c.cur_h = &cmd->h;
		c.failed = false;
		switch (cmd->op) {
		case NFK_CMD_ADD:
		case NFK_CMD_CREATE:
		case NFK_CMD_INSERT:
		case NFK_CMD_REPLACE:
			ok = compile_add(&c, cmd);
			break;
		case NFK_CMD_DELETE:
		case NFK_CMD_DESTROY:
			ok = compile_delete(&c, cmd, cmd->op == NFK_CMD_DESTROY);
			break;
		case NFK_CMD_FLUSH:
			ok = compile_flush(&c, cmd);
			break;
		case NFK_CMD_RENAME:
			ok = cc_rename_chain(&c, cmd);
			break;
		default:
			break;   /* list/get/reset/monitor: run by the back end */
		}
		if (!ok && !c.failed)
			cc_err(&c, &cmd->loc, "out of memory");
		else
			ok = true;    /* report the other commands' errors too */
	}
	if (o && o->next_set_id)
		*o->next_set_id = c.next_id;
	nfk_arena_free(&c.ar);
	free(c.rule_mem);
	nfk_arena_free(&c.scratch);
	return ok && !c.any_failed ? 0 : -EINVAL;
}

const struct nfk_loc *nfk_script_err_loc(const struct nfk_script *sc, const void *cookie,
					 int32_t attr_off)
{
	if (!sc || attr_off < 0)
		return cookie;
	for (const struct errmap *em = sc->errmaps; em; em = em->next)
		for (unsigned i = 0; em->cookie == cookie && i < em->nnames; i++)
			if (em->name_off[i] == (uint32_t)attr_off)
				return em->name_loc[i];
	for (const struct errmap *em = sc->errmaps; em; em = em->next) {
		if (em->cookie != cookie || !em->n)
			continue;
		if ((size_t)attr_off < em->base || (em->end && (size_t)attr_off >= em->end))
			return cookie;
		size_t rel = (size_t)attr_off - em->base;
		const struct nfk_loc *best = cookie;
		for (size_t i = 0; i < em->n && em->off[i] <= rel; i++)
			best = &em->loc[i];
		return best;
	}
	return cookie;
}

/* `get element`: the command's elements encoded as a delete would send them
 * (interval sets: start, then the end flagged), in NFT_MSG_GETSETELEM
 * messages the caller sends as plain requests. */
int nfk_script_compile_get(struct nfk_script *sc, const struct nfk_cmd *cmd,
			   const struct nfk_compile_opts *o, struct nfk_batch *b,
			   struct nfk_diags *ds)
{
	struct cctx c = { .sc = sc, .o = o, .b = b, .ds = ds, .cur_h = &cmd->h };
	bool ok;

	c.cmd_i = (size_t)(cmd - sc->cmds);
	ok = cc_elements_cmd(&c, cmd, NFT_MSG_GETSETELEM);
	if (!ok && !c.failed)
		cc_err(&c, &cmd->loc, "out of memory");
	nfk_arena_free(&c.ar);
	free(c.rule_mem);
	nfk_arena_free(&c.scratch);
	return ok ? 0 : -EINVAL;
}
