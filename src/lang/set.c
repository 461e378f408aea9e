// SPDX-License-Identifier: MIT
/*
 * Sets and maps: declarations (type and typeof keys, flags, data
 * shapes), the kernel sets a script refers to, anonymous sets, NEWSET
 * messages, and the dynamic set and meter statements.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

/* The stateful statements an element of a dynamic set or meter carries,
 * up to the closing brace.  nft's grammar takes nothing else there. */
static bool dynset_stmts(P *p, struct stmt *s)
{
	static const char *const stateful[] = { "counter", "limit", "quota", "ct", "last" };
	struct stmt **tail = &s->dynset.stmts;

	while (p->tok.kind != '}') {
		bool ok = false;

		for (size_t i = 0; i < sizeof(stateful) / sizeof(stateful[0]); i++)
			ok |= ps_is(p, stateful[i]);
		if (!ok)
			return ps_unexpected(p, NULL), false;
		struct stmt *in = ps_stmt(p);
		if (!in)
			return false;
		*tail = in;
		tail = &in->next;
	}
	ps_next(p);
	return true;
}

/* add|update|delete @set { key [timeout T] [stateful statements] } */
static struct stmt *parse_dynset(P *p)
{
	struct stmt *s;

	if (ps_peek(p)->kind != T_SETREF)
		return NULL;    /* not this "add"/"delete" */
	if (!(s = ps_st(p, ST_DYNSET, &p->tok.loc)))
		return NULL;
	s->dynset.op = ps_is(p, "add") ? NFT_DYNSET_OP_ADD : ps_is(p, "update") ? NFT_DYNSET_OP_UPDATE :
		  NFT_DYNSET_OP_DELETE;
	ps_next(p);
	s->dynset.set_loc = p->tok.loc;
	s->dynset.set = ps_tokdup(p, &p->tok);
	ps_next(p);
	if (!ps_expect(p, '{', "'{'"))
		return NULL;
	if (!(s->dynset.key = ps_lhs(p)))
		return p->failed ? NULL : (ps_unexpected(p, NULL), NULL);
	if (ps_accept(p, "timeout") && !ps_time(p, &s->dynset.timeout))
		return NULL;
	if (ps_accept_kind(p, ':')) {
		/* the data: a value, or what the packet has ("ip daddr") */
		s->dynset.data = ps_lhs(p);
		if (!s->dynset.data && (p->failed || !(s->dynset.data = ps_concat_value(p))))
			return NULL;
	}
	if (!dynset_stmts(p, s))
		return NULL;
	return s;
}

/* meter NAME [size N] { key [timeout T] statements }: a dynset on a set
 * of its own, added with timeout, else updated */
static struct stmt *parse_meter(P *p)
{
	struct stmt *s;
	uint64_t v;

	if (ps_peek(p)->kind != T_WORD)
		return NULL;
	if (!(s = ps_st(p, ST_DYNSET, &p->tok.loc)))
		return NULL;
	ps_next(p);
	s->dynset.meter = true;
	s->dynset.set_loc = p->tok.loc;
	if (!(s->dynset.set = ps_ident(p, "string")))
		return NULL;
	if (ps_accept(p, "size")) {
		if (!ps_number(p, &v))
			return NULL;
		s->dynset.meter_size = (uint32_t)v;
	}
	if (!ps_expect(p, '{', "'{'"))
		return NULL;
	if (!(s->dynset.key = ps_lhs(p)))
		return p->failed ? NULL : (ps_unexpected(p, NULL), NULL);
	if (ps_accept(p, "timeout") && !ps_time(p, &s->dynset.timeout))
		return NULL;
	s->dynset.op = s->dynset.timeout ? NFT_DYNSET_OP_UPDATE : NFT_DYNSET_OP_ADD;
	/* one statement, which must be stateful (nft marks the meter as
	 * context) */
	struct stmt *in = ps_stmt(p);
	if (!in)
		return NULL;
	if (in->kind != ST_COUNTER && in->kind != ST_LIMIT && in->kind != ST_QUOTA &&
	    in->kind != ST_CONNLIMIT) {
		struct nfk_loc ctx = s->loc;
		ps_span(&ctx, &p->tok.loc);
		ps_err(p, &in->loc, "meter statement must be stateful");
		nfk_diag_set_ctx(p->ds, &ctx);
		return NULL;
	}
	s->dynset.stmts = in;
	if (!ps_expect(p, '}', "'}'"))
		return NULL;
	return s;
}

static const struct nfk_sym set_flag_syms[] = {
	{ "constant", NFT_SET_CONSTANT }, { "interval", NFT_SET_INTERVAL },
	{ "timeout", NFT_SET_TIMEOUT }, { "dynamic", NFT_SET_EVAL }, { NULL, 0 },
};

/* One more type name of a concatenation (nft takes any number of them). */
static bool type_name(P *p, struct set_decl *s, const char ***v, unsigned *n)
{
	struct nfk_loc at = p->tok.loc;

	if ((*n & (*n - 1)) == 0) {
		const char **nv = nfk_arena_alloc(p->ar, (*n ? 2 * *n : 1) * sizeof(*nv));
		if (!nv) {
			ps_err(p, &p->tok.loc, "out of memory");
			return false;
		}
		if (*n)
			memcpy(nv, *v, *n * sizeof(*nv));
		*v = nv;
	}
	if (!((*v)[(*n)++] = ps_ident(p, "string")))
		return false;
	/* (data may name an object type too: checked when compiled) */
	if (v == &s->key_types && !nfk_dtype_by_name((*v)[*n - 1])) {
		char msg[160];

		snprintf(msg, sizeof(msg), "unknown datatype %.100s", (*v)[*n - 1]);
		ps_err_soft(p, &at, msg);   /* nft's grammar says so, and goes on */
		s->no_key = true;
	}
	return true;
}

/* type a . b [: c] */
static bool parse_set_type(P *p, struct set_decl *s)
{
	s->key_loc = s->types_loc = p->tok.loc;
	do {
		if (!type_name(p, s, &s->key_types, &s->nkey))
			return false;
	} while (ps_accept_kind(p, '.'));
	ps_span(&s->types_loc, &p->prev);
	if (ps_accept_kind(p, ':')) {
		if (!s->is_map) {
			ps_err(p, &s->key_loc, "set definition with data type: use map");
			return false;
		}
		/* nat maps: "interval T" holds ranges, "T1 . T2" an address
		 * and a port */
		s->data_interval = ps_accept(p, "interval");
		do {
			if (!type_name(p, s, &s->data_types, &s->ndata))
				return false;
		} while (ps_accept_kind(p, '.'));
		s->data_type = s->data_types[0];
	}
	return true;
}

/* One item of a set or map block, with its separator. */
static bool set_item(P *p, struct set_decl *s)
{
	uint64_t v;
	/* what nft's parser could still take after the item, as its
	 * message lists it */
	const char *exp = NL_SEMI;
	if (ps_accept(p, "type")) {
		if (!parse_set_type(p, s))
			return false;
		/* a type may go on as a concatenation; an object map's
		 * data ("counter") may not */
		static const char *const objdata[] = { "counter", "quota", "limit",
						       "secmark", "synproxy", "ct" };
		bool obj = false;
		for (size_t i = 0; s->data_type && i < sizeof(objdata) / sizeof(objdata[0]); i++)
			obj |= !strcmp(s->data_type, objdata[i]);
		if (!obj)
			exp = NL_SEMI " or .";
	} else if (ps_is(p, "typeof")) {
		ps_next(p);
		s->key_loc = p->tok.loc;
		/* what typeof names is never loaded: nft takes any length */
		p->in_typeof = true;
		s->typeof_key = ps_lhs(p);
		p->in_typeof = false;
		if (!s->typeof_key)
			return p->failed ? false : (ps_unexpected(p, NULL), false);
		if (ps_accept_kind(p, ':')) {
			if (!s->is_map) {
				ps_err(p, &s->key_loc, "set definition with data type: use map");
				return false;
			}
			s->data_interval = ps_accept(p, "interval");
			if (ps_is(p, "verdict")) {
				if (!(s->typeof_data = ps_ex(p, EX_VERDICT, &p->tok.loc)))
					return false;
				ps_next(p);
			} else {
				p->in_typeof = true;
				s->typeof_data = ps_lhs(p);
				p->in_typeof = false;
				if (!s->typeof_data)
					return p->failed ? false : (ps_unexpected(p, NULL), false);
			}
		} else {
			exp = NL_SEMI " or .";
		}
	} else if (ps_accept(p, "flags")) {
		if (!ps_flag_list(p, set_flag_syms, &s->flags))
			return false;
		exp = NL_SEMI " or comma";
	} else if (ps_accept(p, "timeout")) {
		if (!ps_time(p, &s->timeout))
			return false;
		s->flags |= NFT_SET_TIMEOUT;
	} else if (ps_accept(p, "gc-interval")) {
		if (!ps_time(p, &s->gc_interval))
			return false;
	} else if (ps_accept(p, "size")) {
		if (!ps_number(p, &v))
			return false;
		s->size = v;
	} else if (ps_accept(p, "policy")) {
		if (ps_accept(p, "performance"))
			s->policy = NFT_SET_POL_PERFORMANCE;
		else if (ps_accept(p, "memory"))
			s->policy = NFT_SET_POL_MEMORY;
		else
			return ps_unexpected(p, NULL), false;
	} else if (ps_accept(p, "comment")) {
		if (!(s->comment = ps_comment(p)))
			return false;
	} else if (ps_accept(p, "auto-merge")) {
		s->automerge = true;
	} else if (ps_accept(p, "elements")) {
		if (!ps_expect(p, '=', "'='"))
			return false;
		if (!ps_capture_elems(p, &s->elems))
			return false;
		s->has_elems = true;
		exp = NULL;     /* the element block's '}' may end the set */
	} else {
		ps_unexpected(p, NULL);
		return false;
	}
	return exp ? ps_end_strict(p, exp) : ps_end_item(p);
}

bool ps_set_body(P *p, struct set_decl *s)
{
	int depth = p->depth;
	struct nfk_loc block = p->tok.loc;

	if (!ps_expect(p, '{', "'{'"))
		return false;
	ps_skip_seps(p);
	while (p->tok.kind != '}') {
		if (!set_item(p, s) && !ps_recover(p, depth))
			return false;
		ps_span(&block, &p->prev);   /* nft's block: '{' to its last item */
		ps_skip_seps(p);
	}
	ps_next(p);
	if (s->no_key) {
		/* a type nft does not know: the set has no key when evaluated
		 * (marked at its name in a table, at its block in a command) */
		ps_err_eval_now(p, s->in_table ? &s->loc : &block, "set definition does not specify key");
		return true;
	}
	if (!s->nkey && !s->typeof_key) {
		ps_err(p, &s->loc, "set definition does not specify key");
		return false;
	}
	return true;
}

struct set_decl *ps_set_new(P *p, const struct nfk_loc *loc, bool is_map)
{
	struct set_decl *s = nfk_arena_alloc(p->ar, sizeof(*s));

	if (!s)
		return NULL;
	s->loc = *loc;
	s->is_map = is_map;
	s->policy = -1;
	return s;
}

/* ---- compile ----------------------------------------------------------- */

/* A set or map the command names is not there: nft's error, with the
 * close name it would suggest. */
void cc_set_missing_at(struct cctx *c, const struct nfk_loc *loc,
			   const struct nfk_loc *table_loc, int family, const char *table,
			   const char *name)
{
	char hint[256];
	bool about_table;
	const char *m = nfk_script_set_hint(c->sc, c->o ? c->o->ks : NULL, family, table, name, hint,
					    sizeof(hint), &about_table);

	cc_err(c, about_table && table_loc && table_loc->line ? table_loc : loc, "%s",
	     m ? m : "No such file or directory");
}

void cc_set_missing(struct cctx *c, const struct nfk_loc *loc, int family, const char *table,
			const char *name)
{
	cc_set_missing_at(c, loc, NULL, family, table, name);
}

/* Whether the sets nft leaves out have been reported by this compile
 * (nft says it once per command); remembers si otherwise. */
static bool set_reported(struct cctx *c, const struct nfk_set_info *si)
{
	for (unsigned i = 0; i < c->nreported; i++)
		if (c->reported[i] == si)
			return true;
	if (c->nreported < sizeof(c->reported) / sizeof(c->reported[0]))
		c->reported[c->nreported++] = si;
	return false;
}

const struct kset *cc_find_set(struct cctx *c, int family, const char *table,
				   const char *name, struct kset *tmp)
{
	for (struct kset *s = c->sets; s; s = s->next)
		if (s->family == family && !strcmp(s->table, table) && !strcmp(s->name, name))
			return s;
	const struct nfk_set_info *si = NULL;
	if (c->o && c->o->set_lookup)
		si = c->o->set_lookup(c->o->set_lookup_arg, family, table, name);
	if (!si && c->o && c->o->ks)
		si = nfk_kstate_set(c->o->ks, family, table, name);
	if (!si)
		return NULL;
	memset(tmp, 0, sizeof(*tmp));
	tmp->family = family;
	tmp->table = table;
	tmp->name = si->name;
	tmp->flags = si->flags;
	tmp->key_len = si->key_len;
	tmp->id = 0;
	/* the key's members; a type nft has none for leaves the set out, as
	 * nft does (it says so once per command) */
	uint32_t bad = nfk_set_unknown_type(si->flags, si->key_type, si->data_type);
	int n = nfk_dtype_members(si->key_type, tmp->keyt, NFK_CONCAT_MAX);
	if (bad || n < 0) {
		if (!set_reported(c, si))
			nfk_diag_note(c->ds, "netlink: Error: Unknown data type in set key %u", bad);
		return NULL;
	}
	tmp->nkey = (unsigned)n;
	/* nft keeps "auto-merge" in the set's user data (TLV type 2), and
	 * whether map data are intervals in TLV type 6 */
	const uint8_t *u = si->udata;
	for (size_t o = 0; u && o + 2 <= si->udata_len; o += 2 + u[o + 1]) {
		if (u[o] == 2)
			tmp->automerge = true;
		if (u[o] == 6 && u[o + 1] == 4 && o + 6 <= si->udata_len)
			tmp->dinterval = u[o + 2] | u[o + 3] | u[o + 4] | u[o + 5];
	}
	if (si->flags & NFT_SET_MAP) {
		tmp->data_len = si->data_len;
		if (si->data_type == NFT_DATA_VERDICT) {
			tmp->datat = NFK_DTYPE(VERDICT);
			tmp->dinterval = false;
		} else {
			/* concatenated data ("ipv4_addr . inet_service"): its
			 * members; the first is what a nat statement loads */
			int nd = nfk_dtype_members(si->data_type, tmp->dtypes,
						   sizeof(tmp->dtypes) / sizeof(tmp->dtypes[0]));
			tmp->datat = tmp->dtypes[0];
			tmp->ndata = nd > 1 ? (unsigned)nd : 0;
		}
		/* without nft's user data: data twice the type's length are
		 * [lo, hi] pairs */
		unsigned half = 0;
		for (unsigned i = 0; tmp->datat && i < (tmp->ndata ? tmp->ndata : 1); i++) {
			unsigned l = nfk_dtype_len(tmp->ndata ? tmp->dtypes[i] : tmp->datat);
			half += tmp->ndata ? cc_round4(l) : l;
		}
		if (!u && half && si->data_len == 2 * half)
			tmp->dinterval = true;
	} else {
		tmp->dinterval = false;
	}
	if (si->flags & NFT_SET_OBJECT)
		tmp->objmap = true;
	return tmp;
}

/* NEWSET for a set description. */
bool cc_newset(struct cctx *c, const struct kset *ks, const struct set_decl *d,
			uint16_t flags, const void *cookie, unsigned nelems, bool anon)
{
	struct nfk_buf *b;
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWSET, flags, ks->family, cookie);

	if (!nlh)
		return false;
	bool ok = nfk_attr_put_str(b, NFTA_SET_TABLE, ks->table) &&
		  nfk_attr_put_str(b, NFTA_SET_NAME, ks->name) &&
		  nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_FLAGS, ks->flags);
	unsigned kid = ks->keyt[0]->id;
	if (ks->nkey > 1) {
		unsigned ids[16];
		for (unsigned i = 0; i < ks->nkey; i++)
			ids[i] = ks->keyt[i]->id;
		kid = nfk_dtype_concat_id(ids, ks->nkey);
	}
	if (ks->kid)
		kid = ks->kid;
	ok = ok && nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_KEY_TYPE, kid) &&
	     nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_KEY_LEN, ks->key_len);
	if (ok && ks->datat) {
		if (ks->datat == NFK_DTYPE(VERDICT)) {
			ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_DATA_TYPE, NFT_DATA_VERDICT);
		} else {
			unsigned did = ks->datat->id;
			if (ks->ndata > 1) {
				unsigned ids[4];
				for (unsigned i = 0; i < ks->ndata; i++)
					ids[i] = ks->dtypes[i]->id;
				did = nfk_dtype_concat_id(ids, ks->ndata);
			}
			if (ks->did)
				did = ks->did;
			ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_DATA_TYPE, did) &&
			     nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_DATA_LEN, ks->data_len);
		}
	}
	if (ok && ks->objmap)
		ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_OBJ_TYPE, ks->objtype);
	if (ok && d && d->policy >= 0)
		ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_POLICY, d->policy);
	bool concat = (ks->flags & NFT_SET_CONCAT) && ks->nkey > 1;
	if (ok && (anon || (d && d->size) || concat)) {
		struct nlattr *n = nfk_nest_start(b, NFTA_SET_DESC);
		ok = n != NULL;
		if (ok && (anon || (d && d->size)))
			ok = nfk_schema_put_uint(b, &nfk_set_desc_schema, NFTA_SET_DESC_SIZE, anon ? nelems : d->size);
		c->anon_size = ok && anon ? b->data + b->len - 4 : NULL;
		/* interval concatenations: the kernel needs each field's length */
		struct nlattr *cn = ok && concat ? nfk_nest_start(b, NFTA_SET_DESC_CONCAT) : NULL;
		for (unsigned i = 0; cn && ok && i < ks->nkey; i++) {
			unsigned fl = ks->klen[i] ? ks->klen[i] : nfk_dtype_len(ks->keyt[i]);
			struct nlattr *f = nfk_nest_start(b, NFTA_LIST_ELEM);
			ok = f && nfk_schema_put_uint(b, &nfk_set_field_schema, NFTA_SET_FIELD_LEN, fl ? fl : 16);
			if (ok)
				nfk_nest_end(b, f);
		}
		if (cn)
			nfk_nest_end(b, cn);
		ok = ok && (!concat || cn);
		if (ok)
			nfk_nest_end(b, n);
	}
	if (ok && d && d->timeout)
		ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_TIMEOUT, d->timeout);
	if (ok && d && d->gc_interval)
		ok = nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_GC_INTERVAL, d->gc_interval);
	ok = ok && nfk_schema_put_uint(b, &nfk_set_schema, NFTA_SET_ID, ks->id);
	if (ok) {
		/* nft's set user data: key (and data) byte order, comment */
		uint8_t ud[1024];
		struct ud_buf u = { .p = ud, .cap = sizeof(ud) };
		static const struct ex verdict_ex = { .kind = EX_VERDICT };
		bool verdict = ks->datat == NFK_DTYPE(VERDICT);
		bool map = ks->flags & NFT_SET_MAP;
		enum nfk_byteorder kbo = ks->kbo[0] ? ks->kbo[0] : nfk_dtype_bo(ks->keyt[0]);
		enum nfk_byteorder dbo = ks->dbo ? ks->dbo : ks->datat ? nfk_dtype_bo(ks->datat) : 0;
		/* an anonymous set's key keeps the byte order of what it is
		 * keyed by, even where its intervals are stored in network order;
		 * strings are host order to nft */
		if (!d && ks->nkey == 1 && ks->keyt[0])
			kbo = ks->key_bo ? ks->key_bo :
			      nfk_dtype_is(ks->keyt[0], NFK_DTYPE(STRING)) ? NFK_BO_HOST : kbo;
		/* concatenations have no single byte order */
		ok = ud_put_u32(&u, KS_UDATA_SET_KEYBYTEORDER,
				ks->nkey > 1 ? 0 : kbo == NFK_BO_HOST ? 1 : 2);
		/* concatenated data has no single byte order either */
		if (ok && ks->datat)
			ok = ud_put_u32(&u, KS_UDATA_SET_DATABYTEORDER,
					verdict || ks->ndata > 1 ? 0 : dbo == NFK_BO_HOST ? 1 : 2);
		/* an anonymous set of intervals (not a map) merges them */
		if (ok && (d ? d->automerge : (ks->flags & NFT_SET_INTERVAL) && !map && !ks->objmap))
			ok = ud_put_u32(&u, KS_UDATA_SET_MERGE_ELEMENTS, 1);
		/* an anonymous set records the expression it is keyed by, a map
		 * only a concatenated one */
		if (ok && d && !(ks->flags & NFT_SET_ANONYMOUS) && (d->typeof_key || ks->nkey > 1))
			ok = cc_put_typeof(&u, KS_UDATA_SET_KEY_TYPEOF, d->typeof_key);
		else if (ok && !d && ks->key_ex && !ks->objmap && (!map || ks->nkey > 1) &&
			 (ks->key_ex->kind == EX_CONCAT || ks->key_typeof_n)) {
			struct ex key = *ks->key_ex;

			if (key.kind == EX_CONCAT && key.n > ks->key_typeof_n)
				key.n = ks->key_typeof_n;
			ok = cc_put_typeof(&u, KS_UDATA_SET_KEY_TYPEOF, &key);
		}
		if (ok && d && d->typeof_data)
			ok = cc_put_typeof(&u, KS_UDATA_SET_DATA_TYPEOF, d->typeof_data);
		else if (ok && d && ks->ndata > 1)
			ok = cc_put_typeof(&u, KS_UDATA_SET_DATA_TYPEOF, NULL);
		else if (ok && !d && verdict)
			ok = cc_put_typeof(&u, KS_UDATA_SET_DATA_TYPEOF, &verdict_ex);
		/* whether the data are intervals: nft lists them as ranges */
		if (ok && (ks->datat || ks->objmap))
			ok = ud_put_u32(&u, KS_UDATA_SET_DATA_INTERVAL, ks->dinterval);
		if (ok && d && d->comment && strlen(d->comment) + 1 < 255)
			ok = ud_put(&u, KS_UDATA_SET_COMMENT, d->comment, strlen(d->comment) + 1);
		ok = ok && nfk_attr_put(b, NFTA_SET_USERDATA, ud, u.len);
	}
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	cc_end_msg(c, nlh, cookie);
	return true;
}

/* An anonymous set for the rule being compiled: NEWSET + NEWSETELEM, and
 * the kset a lookup then names. */
struct kset *cc_anon_set(struct rctx *r, const struct ex *set, const struct ex *key,
			 const struct sel *ks_sel, unsigned nsel, const struct nfk_dtype *datat,
			 bool map, const void *cookie)
{
	struct cctx *c = r->c;
	struct kset *ks = nfk_arena_alloc(&c->ar, sizeof(*ks));

	if (!ks)
		return NULL;
	ks->family = r->family;
	ks->table = r->table;
	ks->key_ex = key;
	ks->key_bo = nsel == 1 && ks_sel[0].hton ? NFK_BO_HOST : 0;
	/* nft records the key's expression unless it is masked; of a
	 * concatenation, the members up to the first one it had to turn
	 * around or mask (those have become other expressions) */
	while (ks->key_typeof_n < nsel && !ks_sel[ks->key_typeof_n].masked &&
	       (nsel == 1 || !ks_sel[ks->key_typeof_n].hton))
		ks->key_typeof_n++;
	ks->name = r->objmap_type ? "__objmap%d" : map ? "__map%d" : "__set%d";
	if (r->objmap_type) {
		ks->objmap = true;
		ks->objtype = r->objmap_type;
	}
	ks->id = ++c->next_id;
	ks->flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT;
	if (cc_set_has_intervals(set))
		ks->flags |= NFT_SET_INTERVAL;
	if (map)
		ks->flags |= NFT_SET_MAP;
	if (ks->objmap)
		ks->flags |= NFT_SET_OBJECT;
	ks->nkey = nsel;
	unsigned klen = 0;
	for (unsigned i = 0; i < nsel; i++) {
		ks->keyt[i] = ks_sel[i].dtype;
		ks->kbits[i] = ks_sel[i].bits;
		ks->kshift[i] = ks_sel[i].masked ? ks_sel[i].shift : 0;
		ks->kmasked[i] = ks_sel[i].masked;
		ks->klen[i] = ks_sel[i].len;
		ks->kbo[i] = ks_sel[i].bo;
		klen += nsel > 1 ? cc_round4(ks_sel[i].len) : ks_sel[i].len;
	}
	ks->key_len = klen;
	ks->datat = datat;
	if (datat && datat != NFK_DTYPE(VERDICT))
		ks->data_len = nfk_dtype_len(datat);
	if (r->map_data) {
		ks->dbits = r->map_data->bits;
		ks->dbo = r->map_data->bo;
		ks->data_len = r->map_data->len;
	}
	if (r->map_shape) {
		const struct kset *sh = r->map_shape;
		memcpy(ks->dtypes, sh->dtypes, sizeof(ks->dtypes));
		ks->ndata = sh->ndata;
		ks->dinterval = sh->dinterval;
		ks->data_len = sh->data_len;
	}
	if (nsel > 1 && (ks->flags & NFT_SET_INTERVAL))
		ks->flags |= NFT_SET_CONCAT;
	if (!cc_newset(c, ks, NULL, NLM_F_CREATE, cookie, set->n, true))
		return NULL;
	struct elw w = { .c = c, .family = r->family, .table = r->table, .set = ks->name,
			 .set_id = ks->id, .ks = ks, .msgtype = NFT_MSG_NEWSETELEM,
			 .msgflags = NLM_F_CREATE, .cookie = cookie };
	if (!cc_elements(c, &w, set, NULL))
		return NULL;
	/* an interval set's size is what it holds once its intervals are
	 * split into start and end elements: known only now */
	if ((ks->flags & NFT_SET_INTERVAL) && c->anon_size) {
		uint32_t n = htonl(w.count);
		memcpy(c->anon_size, &n, 4);
	}
	c->anon_size = NULL;
	return ks;
}

/* A map's data as nat maps declare it: "T1 . T2" (or typeof members,
 * resolved through r) become concatenated data, each member padded to 32
 * bits; "interval" doubles the data, lows then highs.  ks->datat holds the
 * first member, which is what a nat statement loads. */
static bool kset_data_shape(struct cctx *c, struct kset *ks, const struct set_decl *d,
			    struct rctx *r)
{
	const struct ex *td = d->typeof_data;
	size_t n = r ? td->n : d->ndata;

	if (n > 1) {
		if (n > sizeof(ks->dtypes) / sizeof(ks->dtypes[0])) {
			cc_err(c, r ? &td->loc : &d->key_loc, "too many concatenated types");
			return false;
		}
		ks->data_len = 0;
		for (size_t i = 0; i < n; i++) {
			const struct nfk_dtype *t;
			unsigned l;
			if (r) {
				struct sel sl;
				if (!cc_resolve(r, td->v[i], &sl))
					return false;
				t = sl.dtype;
				l = sl.len;
			} else {
				t = nfk_dtype_by_name(d->data_types[i]);
				if (!t) {
					cc_err(c, &d->key_loc, "unknown datatype %s", d->data_types[i]);
					return false;
				}
				l = nfk_dtype_len(t);
			}
			if (!l || t == NFK_DTYPE(VERDICT)) {
				cc_err(c, r ? &td->v[i]->loc : &d->key_loc,
				     "unqualified type %s specified in map definition", t->name);
				return false;
			}
			ks->dtypes[i] = t;
			ks->data_len += cc_round4(l);
		}
		ks->ndata = (unsigned)n;
		ks->datat = ks->dtypes[0];
	}
	if (d->data_interval) {
		if (ks->datat == NFK_DTYPE(VERDICT)) {
			cc_err(c, &d->key_loc, "verdict maps cannot hold intervals");
			return false;
		}
		ks->dinterval = true;
		ks->data_len *= 2;
	}
	return true;
}

/* Fills a set's key (and data) from its typeof expressions: what they
 * would load in a rule decides type, length and byte order. */
static bool kset_typeof(struct cctx *c, struct kset *ks, int family, const char *table,
			const struct set_decl *d)
{
	uint8_t mem[4096];
	struct nfk_buf scratch;
	struct rctx r = { .c = c, .b = &scratch, .family = family, .table = table, .l4 = -1 };
	const struct ex *k = d->typeof_key;
	const struct ex *const *items = &k;
	size_t n = 1;
	struct sel sl;

	nfk_buf_init(&scratch, mem, sizeof(mem));
	if (family == NFPROTO_IPV4 || family == NFPROTO_IPV6)
		r.l3 = family;
	if (k->kind == EX_CONCAT) {
		items = (const struct ex *const *)k->v;
		n = k->n;
	}
	if (n > 16) {
		cc_err(c, &k->loc, "too many concatenated expressions");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!cc_resolve(&r, items[i], &sl))
			return false;
		ks->keyt[i] = sl.bits % 8 ? NFK_DTYPE(INTEGER) : sl.dtype;
		ks->kbits[i] = sl.bits;
		ks->kbo[i] = sl.bo;
		ks->kshift[i] = sl.masked ? sl.shift : 0;
		ks->kmasked[i] = sl.masked;
		ks->klen[i] = sl.len;
		ks->key_len += n > 1 ? cc_round4(sl.len) : sl.len;
	}
	ks->nkey = n;
	if (n > 1 && (ks->flags & NFT_SET_INTERVAL))
		ks->flags |= NFT_SET_CONCAT;
	if (d->typeof_data && d->typeof_data->kind == EX_VERDICT) {
		ks->datat = NFK_DTYPE(VERDICT);
	} else if (d->typeof_data && d->typeof_data->kind == EX_CONCAT) {
		if (!kset_data_shape(c, ks, d, &r))
			return false;
	} else if (d->typeof_data) {
		if (!cc_resolve(&r, d->typeof_data, &sl))
			return false;
		ks->datat = sl.dtype;
		ks->data_len = sl.len;
		ks->dbits = sl.bits;
		ks->dbo = sl.bo;
		if (!kset_data_shape(c, ks, d, NULL))
			return false;
	} else if (d->is_map) {
		cc_err(c, &d->loc, "map definition does not specify data type");
		return false;
	}
	ks->automerge = d->automerge;
	ks->id = ++c->next_id;
	ks->next = c->sets;
	c->sets = ks;
	return true;
}

uint32_t cc_objmap_type(const char *name)
{
	static const struct { const char *w; uint32_t type; } kinds[] = {
		{ "counter", NFT_OBJECT_COUNTER }, { "quota", NFT_OBJECT_QUOTA },
		{ "limit", NFT_OBJECT_LIMIT }, { "secmark", NFT_OBJECT_SECMARK },
		{ "synproxy", NFT_OBJECT_SYNPROXY },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(name, kinds[i].w))
			return kinds[i].type;
	return 0;
}

static struct kset *kset_from_decl(struct cctx *c, int family, const char *table,
				   const struct set_decl *d)
{
	struct kset *ks = nfk_arena_alloc(&c->ar, sizeof(*ks));

	if (!ks)
		return NULL;
	ks->family = family;
	ks->table = table;
	ks->name = d->name;
	ks->types_loc = d->types_loc.line ? &d->types_loc : NULL;
	ks->flags = d->flags;
	if (d->is_map)
		ks->flags |= NFT_SET_MAP;
	if (cc_set_is_wide(d))
		return cc_kset_wide(c, ks, family, table, d) ? ks : NULL;
	if (d->typeof_key)
		return kset_typeof(c, ks, family, table, d) ? ks : NULL;
	for (unsigned i = 0; i < d->nkey; i++) {
		const struct nfk_dtype *t = nfk_dtype_by_name(d->key_types[i]);
		if (!t) {
			cc_err(c, &d->key_loc, "unknown datatype %s", d->key_types[i]);
			return NULL;
		}
		ks->keyt[i] = t;
		unsigned l = nfk_dtype_len(t);
		if (!l) {
			if (d->nkey > 1 || !(t->id == NFK_TYPE_IFNAME || t->id == NFK_TYPE_STRING)) {
				cc_err(c, &d->key_loc, "unqualified type %s specified in set definition", t->name);
				return NULL;
			}
			l = 16;
		}
		ks->key_len += d->nkey > 1 ? cc_round4(l) : l;
	}
	ks->nkey = d->nkey;
	if (d->nkey > 1 && (ks->flags & NFT_SET_INTERVAL))
		ks->flags |= NFT_SET_CONCAT;
	uint32_t objtype = d->data_type ? cc_objmap_type(d->data_type) : 0;
	if (objtype) {
		/* an object map: NFT_SET_OBJECT instead of NFT_SET_MAP, as nft */
		ks->flags = (ks->flags & ~NFT_SET_MAP) | NFT_SET_OBJECT;
		ks->objmap = true;
		ks->objtype = objtype;
	} else if (d->data_type) {
		if (!strcmp(d->data_type, "verdict")) {
			ks->datat = NFK_DTYPE(VERDICT);
		} else {
			ks->datat = nfk_dtype_by_name(d->data_type);
			if (!ks->datat) {
				cc_err(c, &d->key_loc, "unknown datatype %s", d->data_type);
				return NULL;
			}
			ks->data_len = nfk_dtype_len(ks->datat);
			if (!ks->data_len)
				ks->data_len = 16;
		}
		if (!kset_data_shape(c, ks, d, NULL))
			return NULL;
	} else if (d->is_map) {
		cc_err(c, &d->loc, "map definition does not specify data type");
		return NULL;
	}
	ks->automerge = d->automerge;
	ks->id = ++c->next_id;
	ks->next = c->sets;
	c->sets = ks;
	return ks;
}

bool cc_set(struct cctx *c, const struct nfk_cmd *cmd, int family,
			const char *table, const struct set_decl *d)
{
	if (d->no_key)
		return true;   /* refused while parsing; compiled only for other errors */
	struct kset *ks = kset_from_decl(c, family, table, d);

	if (!ks)
		return false;
	uint16_t flags = NLM_F_CREATE | (cmd->op == NFK_CMD_CREATE ? NLM_F_EXCL : 0);
	if (!cc_newset(c, ks, d, flags, &d->loc, 0, false))
		return false;
	struct elw w = { .c = c, .family = family, .table = table, .set = ks->name,
			 .set_id = ks->id, .ks = ks, .msgtype = NFT_MSG_NEWSETELEM,
			 .msgflags = NLM_F_CREATE, .cookie = &d->loc, .gather = true };
	return cc_elements(c, &w, NULL, d->has_elems ? &d->elems : NULL);
}

/* A meter's set: anonymous and evaluated, keyed like what the meter loads. */
static const struct kset *meter_set(struct rctx *r, const struct stmt *st,
				    const struct sel *sels, unsigned nsel)
{
	struct cctx *c = r->c;
	struct kset *ks = nfk_arena_alloc(&c->ar, sizeof(*ks));
	struct set_decl d = { .policy = -1, .size = st->dynset.meter_size };

	if (!ks)
		return NULL;
	ks->family = r->family;
	ks->table = r->table;
	ks->name = st->dynset.set;
	ks->flags = NFT_SET_ANONYMOUS | NFT_SET_EVAL | (st->dynset.timeout ? NFT_SET_TIMEOUT : 0);
	for (unsigned i = 0; i < nsel; i++) {
		ks->keyt[i] = sels[i].dtype;
		ks->kbits[i] = sels[i].bits;
		ks->kbo[i] = sels[i].bo;
		ks->klen[i] = sels[i].len;
		ks->key_len += nsel > 1 ? cc_round4(sels[i].len) : sels[i].len;
	}
	ks->nkey = nsel;
	ks->id = ++c->next_id;
	return cc_newset(c, ks, &d, NLM_F_CREATE, &st->loc, 0, false) ? ks : NULL;
}

/* add/update/delete @set { key ... }: a dynset expression whose stateful
 * expressions are compiled apart and nested into it. */
static bool compile_dynset(struct rctx *r, const struct stmt *st)
{
	struct cctx *c = r->c;
	struct sel sels[NFK_CONCAT_MAX];
	unsigned nsel;
	struct kset tmp;
	const struct kset *ks = st->dynset.meter ? NULL : cc_find_set(c, r->family, r->table, st->dynset.set, &tmp);
	struct ebuf e;

	if (!ks && !st->dynset.meter) {
		cc_set_missing(c, &st->dynset.set_loc, r->family, r->table, st->dynset.set);
		return false;
	}
	if (!cc_load_concat(r, st->dynset.key, sels, &nsel))
		return false;
	if (st->dynset.meter && !(ks = meter_set(r, st, sels, nsel)))
		return false;
	char want[200], have[200];
	if (!cc_key_matches(ks, sels, nsel) && sels[0].dtype && ks->keyt[0]) {
		cc_types_desc(want, sizeof(want), ks->keyt, ks->nkey);
		cc_sel_types_desc(have, sizeof(have), sels, nsel);
		cc_err(c, &st->dynset.key->loc, "datatype mismatch: expected %s, expression has type %s",
		       want, have);
		nfk_diag_set_ctx(c->ds, &st->span);
		return false;
	}
	unsigned dreg = 0;
	if (st->dynset.data) {
		struct sel d;
		uint8_t v[NFK_REGS_LEN];
		unsigned l;
		if (!ks->datat) {
			cc_err(c, &st->dynset.data->loc, "set is not a map");
			return false;
		}
		d.dtype = ks->datat;
		d.bits = ks->data_len * 8;
		d.bo = nfk_dtype_bo(ks->datat);
		d.len = ks->data_len;
		d.masked = false;
		l = d.len;
		unsigned words = 0;
		for (unsigned i = 0; i < nsel; i++)
			words += cc_round4(sels[i].len) / 4;
		dreg = cc_reg_of_word((words + 3) / 4 * 4);
		if (cc_is_selector(st->dynset.data)) {
			struct sel src;

			if (!cc_load_expr(r, st->dynset.data, &src, dreg))
				return false;
			if (!cc_dtype_compatible(ks->datat, src.dtype)) {
				cc_err(c, &st->dynset.data->loc,
				       "datatype mismatch: expected %s, expression has type %s",
				       ks->datat->desc, src.dtype->desc);
				nfk_diag_set_ctx(c->ds, &st->span);
				return false;
			}
		} else if (!cc_sel_value(c, &d, st->dynset.data, v, &l) ||
			   !cc_emit_immediate(r->b, dreg, v, l)) {
			return false;
		}
	}
	/* the stateful statements, each as one expression */
	uint8_t *mem = malloc(4096);
	struct nfk_buf inner;
	if (!mem)
		return false;
	nfk_buf_init(&inner, mem, 4096);
	struct nfk_buf *saved = r->b;
	unsigned nin = 0;
	r->b = &inner;
	for (const struct stmt *in = st->dynset.stmts; in; in = in->next, nin++)
		if (!cc_stmt(r, in)) {
			r->b = saved;
			free(mem);
			return false;
		}
	r->b = saved;
	struct nfk_buf *b = r->b;
	bool ok = cc_expr_begin(b, &e, "dynset") && nfk_attr_put_str(b, NFTA_DYNSET_SET_NAME, ks->name) &&
		  (!ks->id || nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_SET_ID, ks->id)) &&
		  nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_OP, st->dynset.op) &&
		  nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_SREG_KEY, NFT_REG_1) &&
		  (!dreg || nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_SREG_DATA, dreg)) &&
		  (!st->dynset.timeout || nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_TIMEOUT, st->dynset.timeout));
	if (ok && nin == 1) {
		/* one expression: NFTA_DYNSET_EXPR holds the list element's payload */
		const struct nlattr *el = (const struct nlattr *)inner.data;
		ok = nfk_attr_put(b, NFTA_DYNSET_EXPR, nfk_attr_data(el), nfk_attr_len(el));
	} else if (ok && nin > 1) {
		ok = nfk_schema_put_uint(b, nfk_expr_dynset.schema, NFTA_DYNSET_FLAGS, NFT_DYNSET_F_EXPR) &&
		     nfk_attr_put(b, NFTA_DYNSET_EXPRESSIONS, inner.data, inner.len);
	}
	free(mem);
	return ok && cc_expr_end(b, &e);
}

/* ---- type checks ------------------------------------------------------- */

bool cc_dtype_compatible(const struct nfk_dtype *a, const struct nfk_dtype *b)
{
	if (!a || !b || a == b || a->base == b || b->base == a)
		return true;
	/* plain integers (typeof keys, raw payload) match any type of their size */
	return (a->id == NFK_TYPE_INTEGER || b->id == NFK_TYPE_INTEGER) && a->bits == b->bits;
}

bool cc_key_matches(const struct kset *ks, const struct sel *s, unsigned nsel)
{
	bool ok = ks->nkey == nsel;

	for (unsigned i = 0; ok && i < nsel; i++)
		ok = cc_dtype_compatible(ks->keyt[i], s[i].dtype);
	return ok;
}

void cc_types_desc(char *buf, size_t size, const struct nfk_dtype *const *t, unsigned n)
{
	size_t l = 0;

	buf[0] = 0;
	if (n > 1)
		l = (size_t)snprintf(buf, size, "concatenation of (");
	for (unsigned i = 0; i < n && l < size; i++)
		l += (size_t)snprintf(buf + l, size - l, "%s%s", i ? ", " : "", t[i] ? t[i]->desc : "?");
	if (n > 1 && l < size)
		snprintf(buf + l, size - l, ")");
}

void cc_sel_types_desc(char *buf, size_t size, const struct sel *s, unsigned n)
{
	const struct nfk_dtype *t[NFK_CONCAT_MAX];

	for (unsigned i = 0; i < n && i < NFK_CONCAT_MAX; i++)
		t[i] = s[i].dtype;
	cc_types_desc(buf, size, t, n < NFK_CONCAT_MAX ? n : NFK_CONCAT_MAX);
}

/* A named map looked up by "KEY map @m" for a statement writing target:
 * nft checks the key against the map's key, then its data against what
 * the statement writes. */
bool cc_map_types_check(struct rctx *r, const struct ex *e, const struct kset *m,
			const struct sel *ks, unsigned n, const struct sel *target)
{
	char want[200], have[200], msg[512];

	if (!cc_key_matches(m, ks, n) && ks[0].dtype && m->keyt[0]) {
		cc_types_desc(want, sizeof(want), m->keyt, m->nkey);
		cc_sel_types_desc(have, sizeof(have), ks, n);
		snprintf(msg, sizeof(msg), "datatype mismatch, map expects %s, mapping expression has type %s",
			 want, have);
		cc_err_ctx(r->c, &e->b->loc, &e->a->loc, msg);
		return false;
	}
	if (m->ndata || !m->datat || !target || !target->dtype || m->datat->id == NFK_TYPE_VERDICT ||
	    cc_dtype_compatible(m->datat, target->dtype))
		return true;
	snprintf(msg, sizeof(msg), "datatype mismatch: expected %s, expression has type %s",
		 target->dtype->desc, m->datat->desc);
	cc_err_ctx(r->c, &e->loc, r->map_ctx, msg);
	return false;
}

/* ---- list -------------------------------------------------------------- */

static void stmt_dynset(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	static const char *const ops[] = { "add", "update", "delete" };
	uint32_t op = dc_u32(e, NFTA_DYNSET_OP, 0);
	const char *set = dc_str(e, NFTA_DYNSET_SET_NAME);
	const struct ks_set *st = ks_set_find(r->ks, r->family, r->table, set);
	char sel[512] = "?";
	uint64_t timeout = dc_u64(e, NFTA_DYNSET_TIMEOUT, 0);
	struct nfk_list_opts so;

	if (e->tb[NFTA_DYNSET_SREG_KEY])
		dc_key_text(r, dc_u32(e, NFTA_DYNSET_SREG_KEY, 0), st ? st->info.key_len : 4, sel,
			    sizeof(sel));
	/* a meter is a dynamic set nft made for the rule */
	if (st && (st->info.flags & NFT_SET_ANONYMOUS)) {
		fprintf(f, "meter %s ", set);
		if (st->size_desc)
			fprintf(f, "size %u ", st->size_desc);
		fprintf(f, "{ %s", sel);
	} else {
		fprintf(f, "%s @%s { %s", op < 3 ? ops[op] : "unknown", set ? set : "", sel);
	}
	if (timeout) {
		fputs(" timeout ", f);
		ks_print_time_flags(f, timeout, r->o->print);
	}
	/* the statements are templates for new elements: no counter values */
	so = *r->o;
	so.stateless = true;
	if (e->tb[NFTA_DYNSET_EXPR]) {
		fputc(' ', f);
		ks_print_expr_stmt(f, r->ks, r->family, r->table, nfk_attr_data(e->tb[NFTA_DYNSET_EXPR]),
				   nfk_attr_len(e->tb[NFTA_DYNSET_EXPR]), false, &so);
	}
	if (e->tb[NFTA_DYNSET_EXPRESSIONS]) {
		fputc(' ', f);
		ks_print_expr_stmt(f, r->ks, r->family, r->table,
				   nfk_attr_data(e->tb[NFTA_DYNSET_EXPRESSIONS]),
				   nfk_attr_len(e->tb[NFTA_DYNSET_EXPRESSIONS]), true, &so);
	}
	if (e->tb[NFTA_DYNSET_SREG_DATA]) {
		fputs(" : ", f);
		dc_print_operand(r, f, dc_operand(r, e, NFTA_DYNSET_SREG_DATA),
			      st ? nfk_dtype_by_id(st->info.data_type) : NULL, 0,
			      st ? st->info.data_len : 4);
	}
	fputs(" }", f);
}

/* ---- registration ----------------------------------------------------------- */

const struct lang_family nfk_lang_set = {
	.name = "set",
	.words = (const struct lang_word[]){
		{ "add", parse_dynset }, { "update", parse_dynset }, { "delete", parse_dynset },
		{ "meter", parse_meter }, { NULL, NULL },
	},
	.st_kinds = (const enum st_kind[]){ ST_DYNSET, ST_NONE },
	.compile = compile_dynset,
	.dc = (const struct lang_dc[]){ { "dynset", NULL, stmt_dynset }, { NULL, NULL, NULL } },
};
