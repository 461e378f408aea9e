// SPDX-License-Identifier: MIT
/*
 * counter, limit, quota, connlimit ("ct count") and last: the stateful
 * statements, shared by rules, set elements, dynamic sets and stateful
 * objects.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

static struct stmt *parse_counter(P *p)
{
	bool ref;
	struct stmt *s = ps_stateful_start(p, ST_COUNTER, NFT_OBJECT_COUNTER, &ref);

	if (!s || ref)
		return s;
	if (ps_accept(p, "packets")) {
		if (!ps_number(p, &s->counter.packets))
			return NULL;
		if (!ps_accept(p, "bytes")) {
			ps_unexpected(p, "bytes");
			return NULL;
		}
		if (!ps_number(p, &s->counter.bytes))
			return NULL;
	}
	return s;
}

static const struct { const char *w; uint64_t secs; } rate_units[] = {
	{ "second", 1 }, { "minute", 60 }, { "hour", 3600 }, { "day", 86400 },
	{ "week", 604800 },
};

static bool ps_rate_unit(P *p, const char *w, uint64_t *unit)
{
	(void)p;
	for (size_t i = 0; i < sizeof(rate_units) / sizeof(rate_units[0]); i++)
		if (!strcmp(w, rate_units[i].w)) {
			*unit = rate_units[i].secs;
			return true;
		}
	return false;
}

static const struct { const char *w; uint64_t mult; } byte_units[] = {
	{ "bytes", 1 }, { "kbytes", 1024 }, { "mbytes", 1024 * 1024 },
};

bool ps_byte_unit(const struct nfk_tok *t, uint64_t *mult)
{
	for (size_t i = 0; i < sizeof(byte_units) / sizeof(byte_units[0]); i++)
		if (nfk_tok_is(t, byte_units[i].w)) {
			*mult = byte_units[i].mult;
			return true;
		}
	return false;
}

/* After "rate": [over] N [bytes-unit]/unit [burst N [unit]] (statements
 * and limit objects alike). */
bool ps_limit_args(P *p, struct st_limit *l)
{
	uint64_t mult;
	char w[32];

	if (ps_accept(p, "over"))
		l->inv = true;
	if (!ps_number(p, &l->rate))
		return false;
	if (ps_byte_unit(&p->tok, &mult)) {
		l->rate *= mult;
		l->type = NFT_LIMIT_PKT_BYTES;
		ps_next(p);
	}
	if (!ps_expect(p, '/', "'/'"))
		return false;
	nfk_tok_copy(w, sizeof(w), &p->tok);
	if (p->tok.kind != T_WORD || !ps_rate_unit(p, w, &l->unit)) {
		ps_unexpected(p, NULL);
		return false;
	}
	ps_next(p);
	l->burst = l->type == NFT_LIMIT_PKT_BYTES ? 0 : 5;
	if (ps_accept(p, "burst")) {
		if (!ps_number(p, &l->burst))
			return false;
		if (ps_byte_unit(&p->tok, &mult)) {
			l->burst *= mult;
			ps_next(p);
		} else {
			ps_accept(p, "packets");
		}
	}
	return true;
}

/* limit rate ... */
static struct stmt *parse_limit(P *p)
{
	bool ref;
	struct stmt *s = ps_stateful_start(p, ST_LIMIT, NFT_OBJECT_LIMIT, &ref);

	if (!s || ref)
		return s;
	if (!ps_accept(p, "rate")) {
		ps_unexpected(p, "rate");
		return NULL;
	}
	return ps_limit_args(p, &s->limit) ? s : NULL;
}

/* [over|until] N unit [used N unit] (statements and quota objects). */
bool ps_quota_args(P *p, struct st_quota *q)
{
	uint64_t mult;

	if (ps_accept(p, "over"))
		q->inv = true;
	else
		ps_accept(p, "until");
	if (!ps_number(p, &q->bytes))
		return false;
	if (!ps_byte_unit(&p->tok, &mult))
		return ps_unexpected(p, NULL), false;
	ps_next(p);
	q->bytes *= mult;
	if (ps_accept(p, "used")) {
		if (!ps_number(p, &q->used))
			return false;
		if (!ps_byte_unit(&p->tok, &mult))
			return ps_unexpected(p, NULL), false;
		ps_next(p);
		q->used *= mult;
	}
	return true;
}

/* limit rate [over] N [bytes-unit]/unit [burst N [unit]] */
static struct stmt *parse_quota(P *p)
{
	bool ref;
	struct stmt *s = ps_stateful_start(p, ST_QUOTA, NFT_OBJECT_QUOTA, &ref);

	if (!s || ref)
		return s;
	return ps_quota_args(p, &s->quota) ? s : NULL;
}

/* ct count [over] N: a connection limit (the ct family reads "ct" only as
 * a selector; this word declines anything but "ct count") */
static struct stmt *parse_connlimit(P *p)
{
	struct stmt *s;
	uint64_t n;

	if (ps_peek(p)->kind != T_WORD || !nfk_tok_is(&p->la, "count"))
		return NULL;
	s = ps_st(p, ST_CONNLIMIT, &p->tok.loc);
	ps_next(p);
	ps_next(p);
	if (!s)
		return NULL;
	if (ps_accept(p, "over"))
		s->connlimit.inv = true;
	if (!ps_number(p, &n))
		return NULL;
	s->connlimit.count = (uint32_t)n;
	return s;
}

/* ---- compile ------------------------------------------------------------- */

static bool stateful_compile(struct rctx *r, const struct stmt *st)
{
	struct nfk_buf *b = r->b;
	struct ebuf e;

	switch (st->kind) {
	case ST_COUNTER:
		return cc_expr_begin(b, &e, "counter") &&
		       nfk_schema_put_uint(b, nfk_expr_counter.schema, NFTA_COUNTER_BYTES, st->counter.bytes) &&
		       nfk_schema_put_uint(b, nfk_expr_counter.schema, NFTA_COUNTER_PACKETS, st->counter.packets) &&
		       cc_expr_end(b, &e);
	case ST_LIMIT:
		return cc_expr_begin(b, &e, "limit") &&
		       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_RATE, st->limit.rate) &&
		       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_UNIT, st->limit.unit) &&
		       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_BURST, st->limit.burst) &&
		       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_TYPE, st->limit.type) &&
		       nfk_schema_put_uint(b, nfk_expr_limit.schema, NFTA_LIMIT_FLAGS,
					   st->limit.inv ? NFT_LIMIT_F_INV : 0) &&
		       cc_expr_end(b, &e);
	case ST_QUOTA:
		return cc_expr_begin(b, &e, "quota") &&
		       nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_BYTES, st->quota.bytes) &&
		       nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_CONSUMED, st->quota.used) &&
		       nfk_schema_put_uint(b, nfk_expr_quota.schema, NFTA_QUOTA_FLAGS,
					   st->quota.inv ? NFT_QUOTA_F_INV : 0) &&
		       cc_expr_end(b, &e);
	case ST_CONNLIMIT:
		return cc_expr_begin(b, &e, "connlimit") &&
		       nfk_schema_put_uint(b, nfk_expr_connlimit.schema, NFTA_CONNLIMIT_COUNT, st->connlimit.count) &&
		       nfk_schema_put_uint(b, nfk_expr_connlimit.schema, NFTA_CONNLIMIT_FLAGS,
					   st->connlimit.inv ? NFT_CONNLIMIT_F_INV : 0) &&
		       cc_expr_end(b, &e);
	default:
		return false;
	}
}

/* ---- list -------------------------------------------------------------- */

static void print_bytes(FILE *f, uint64_t b)
{
	static const char *const units[] = { "bytes", "kbytes", "mbytes", "gbytes" };
	unsigned u = 0;

	while (b && b % 1024 == 0 && u < 3) {
		b /= 1024;
		u++;
	}
	fprintf(f, "%" PRIu64 " %s", b, units[u]);
}

static const char *time_unit(uint64_t secs)
{
	switch (secs) {
	case 1: return "second";
	case 60: return "minute";
	case 3600: return "hour";
	case 86400: return "day";
	case 604800: return "week";
	default: return "error";
	}
}

void dc_print_counter(FILE *f, const struct nlattr *const *tb, const struct nfk_list_opts *o,
			  const char *sep)
{
	if (o->stateless)
		return;
	fprintf(f, "%spackets %" PRIu64 "%sbytes %" PRIu64, sep, nfk_tb_uint(nfk_expr_counter.schema, tb, NFTA_COUNTER_PACKETS, 0),
		" ", nfk_tb_uint(nfk_expr_counter.schema, tb, NFTA_COUNTER_BYTES, 0));
}

void dc_print_limit(FILE *f, const struct nlattr *const *tb)
{
	uint64_t rate = nfk_tb_uint(nfk_expr_limit.schema, tb, NFTA_LIMIT_RATE, 0);
	uint64_t unit = nfk_tb_uint(nfk_expr_limit.schema, tb, NFTA_LIMIT_UNIT, 1);
	uint32_t burst = nfk_tb_uint(nfk_expr_limit.schema, tb, NFTA_LIMIT_BURST, 0);
	uint32_t type = nfk_tb_uint(nfk_expr_limit.schema, tb, NFTA_LIMIT_TYPE, NFT_LIMIT_PKTS);
	uint32_t flags = nfk_tb_uint(nfk_expr_limit.schema, tb, NFTA_LIMIT_FLAGS, 0);

	fprintf(f, "rate %s", flags & NFT_LIMIT_F_INV ? "over " : "");
	if (type == NFT_LIMIT_PKT_BYTES) {
		print_bytes(f, rate);
		fprintf(f, "/%s", time_unit(unit));
		if (burst) {
			fputs(" burst ", f);
			print_bytes(f, burst);
		}
	} else {
		fprintf(f, "%" PRIu64 "/%s", rate, time_unit(unit));
		if (burst && burst != 5)
			fprintf(f, " burst %u packets", burst);
	}
}

void dc_print_quota(FILE *f, const struct nlattr *const *tb, const struct nfk_list_opts *o)
{
	uint64_t used = nfk_tb_uint(nfk_expr_quota.schema, tb, NFTA_QUOTA_CONSUMED, 0);

	if (nfk_tb_uint(nfk_expr_quota.schema, tb, NFTA_QUOTA_FLAGS, 0) & NFT_QUOTA_F_INV)
		fputs("over ", f);
	print_bytes(f, nfk_tb_uint(nfk_expr_quota.schema, tb, NFTA_QUOTA_BYTES, 0));
	if (used && !o->stateless) {
		fputs(" used ", f);
		print_bytes(f, used);
	}
}

static void stmt_counter(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	fputs("counter", f);
	dc_print_counter(f, e->tb, r->o, " ");
}

static void stmt_limit(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	(void)r;
	fputs("limit ", f);
	dc_print_limit(f, e->tb);
}

static void stmt_quota(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	fputs("quota ", f);
	dc_print_quota(f, e->tb, r->o);
}

static void stmt_connlimit(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	(void)r;
	fprintf(f, "ct count %s%u", dc_u32(e, NFTA_CONNLIMIT_FLAGS, 0) & NFT_CONNLIMIT_F_INV ?
		"over " : "", dc_u32(e, NFTA_CONNLIMIT_COUNT, 0));
}

static void stmt_last(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	fputs("last", f);
	if (r->o->stateless)
		return;
	if (!dc_u32(e, NFTA_LAST_SET, 0)) {
		fputs(" used never", f);
		return;
	}
	fputs(" used ", f);
	ks_print_time(f, dc_u64(e, NFTA_LAST_MSECS, 0));
}

/* ---- registration ----------------------------------------------------------- */

/* a counter at its keyword, the others whole */
static struct nfk_loc stateful_err_loc(const struct stmt *st)
{
	return st->kind == ST_COUNTER ? cc_stmt_keyword(st) : cc_stmt_whole(st);
}

const struct lang_family nfk_lang_stateful = {
	.name = "stateful",
	.words = (const struct lang_word[]){
		{ "counter", parse_counter }, { "limit", parse_limit }, { "quota", parse_quota },
		{ "ct", parse_connlimit }, { NULL, NULL },
	},
	.st_kinds = (const enum st_kind[]){ ST_COUNTER, ST_LIMIT, ST_QUOTA, ST_CONNLIMIT, ST_NONE },
	.compile = stateful_compile,
	.err_loc = stateful_err_loc,
	.dc = (const struct lang_dc[]){
		{ "counter", NULL, stmt_counter }, { "limit", NULL, stmt_limit },
		{ "quota", NULL, stmt_quota }, { "connlimit", NULL, stmt_connlimit },
		{ "last", NULL, stmt_last }, { NULL, NULL, NULL },
	},
};
