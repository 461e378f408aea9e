// SPDX-License-Identifier: MIT
/* Recursive-descent parser for the nft language.  Statements and
 * selectors are dispatched from tables by their leading keyword, so the
 * rest of the language slots in as table lines plus a parse function. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <unistd.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/xfrm.h>
#include <linux/netfilter/nf_log.h>
#include <linux/netfilter/nf_synproxy.h>

#include "ast.h"

struct nfk_parser {
	struct nfk_script *sc;
	struct nfk_diags *ds;
	struct nfk_arena *ar;
	struct nfk_lexer lx;
	struct nfk_tok tok;          /* current token */
	struct nfk_tok la;           /* lookahead, when has_la */
	bool has_la;
	bool failed;                 /* an error was reported: unwinding */
	bool any_failed;             /* an error was reported and recovered from */
	bool eof_said;               /* "unexpected end of file" was reported */
	int depth;                   /* braces open at the current token */
	int family;                  /* family of the enclosing table */
	struct nfk_loc prev;         /* the last token consumed */
};

typedef struct nfk_parser P;

/* ---- token plumbing ----------------------------------------------------- */

static void next(P *p)
{
	p->prev = p->tok.loc;
	if (p->tok.kind == '}')
		p->depth--;
	if (p->has_la) {
		p->tok = p->la;
		p->has_la = false;
	} else {
		nfk_lex_next(&p->lx, &p->tok);
	}
	if (p->tok.kind == '{')
		p->depth++;
}

/* nft's grammar recovers from an error at the end of the line and goes on
 * to report the next errors, up to ten of them.  Its recovery skips to the
 * next newline or ';' whatever braces come on the way: a '}' skipped does
 * not close the block, so the parse goes on at the depth of the error
 * (`depth`).  Reaching the end of input inside a block is then nft's
 * "unexpected end of file".  false: give up (too many errors, end of
 * input, or a failure that printed nothing). */
static void unexpected_eof(P *p, const char *expecting);

static bool recover(P *p, int depth)
{
	if (!p->failed || ++p->sc->nerrs >= 10)
		return false;
	p->any_failed = true;
	p->failed = false;
	while (p->tok.kind != T_NL && p->tok.kind != ';') {
		if (p->tok.kind == T_EOF) {
			/* (nft says nothing more when a file ends without a newline) */
			const struct nfk_src *src = p->tok.loc.src;
			bool nl_end = !src || !src->name || (src->len && src->text[src->len - 1] == '\n');
			if (depth > 0 && !p->eof_said && nl_end)
				unexpected_eof(p, NULL);
			p->failed = true;
			return false;
		}
		next(p);
	}
	next(p);
	p->depth = depth + (p->tok.kind == '{');
	return true;
}

static const struct nfk_tok *peek(P *p)
{
	if (!p->has_la) {
		nfk_lex_next(&p->lx, &p->la);
		p->has_la = true;
	}
	return &p->la;
}

static bool is(P *p, const char *w)
{
	return nfk_tok_is(&p->tok, w);
}

static bool accept_word(P *p, const char *w)
{
	if (!is(p, w))
		return false;
	next(p);
	return true;
}

static bool accept_kind(P *p, int k)
{
	if (p->tok.kind != k)
		return false;
	next(p);
	return true;
}

static void err_at(P *p, const struct nfk_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void err_at(P *p, const struct nfk_loc *loc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (p->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nfk_diag_add(p->ds, loc, "%s", msg);
	p->failed = true;
}

/* An interface name the kernel can take (IFNAMSIZ with its NUL); nft
 * 1.0.6 itself aborts on longer ones. */
static bool devname_ok(P *p, const char *name, const struct nfk_loc *loc)
{
	if (!name) {
		err_at(p, loc, "syntax error, expecting a device name");
		return false;
	}
	if (strlen(name) >= IFNAMSIZ) {
		err_at(p, loc, "device name too long: at most %d characters", IFNAMSIZ - 1);
		return false;
	}
	return true;
}

static void unexpected(P *p, const char *expecting)
{
	char d[64];

	nfk_tok_describe(&p->tok, d, sizeof(d));
	p->eof_said |= p->tok.kind == T_EOF;
	/* nft ends command-line input with a newline */
	if (p->tok.kind == T_EOF && p->tok.loc.src && !p->tok.loc.src->name)
		snprintf(d, sizeof(d), "newline");
	if (expecting)
		err_at(p, &p->tok.loc, "syntax error, unexpected %s, expecting %s", d, expecting);
	else
		err_at(p, &p->tok.loc, "syntax error, unexpected %s", d);
}

static char *tokdup(P *p, const struct nfk_tok *t)
{
	if (t->kind == T_STRING)
		return nfk_arena_strndup(p->ar, t->s + 1, t->len - 2);
	if (t->kind == T_VAR || t->kind == T_SETREF)
		return nfk_arena_strndup(p->ar, t->s + 1, t->len - 1);
	return nfk_arena_strndup(p->ar, t->s, t->len);
}

/* An identifier: a word or a quoted string. */
static const char *ident(P *p, const char *what)
{
	if (p->tok.kind != T_WORD && p->tok.kind != T_STRING) {
		unexpected(p, what);
		return NULL;
	}
	char *s = tokdup(p, &p->tok);
	next(p);
	return s;
}

static bool expect(P *p, int kind, const char *what)
{
	if (p->tok.kind == kind) {
		next(p);
		return true;
	}
	unexpected(p, what);
	return false;
}

static bool parse_u64(const struct nfk_tok *t, uint64_t *v)
{
	char buf[32], *end;

	if (t->kind != T_WORD || t->len >= sizeof(buf) || !isdigit((unsigned char)t->s[0]))
		return false;
	memcpy(buf, t->s, t->len);
	buf[t->len] = 0;
	errno = 0;
	*v = strtoull(buf, &end, 0);
	return !*end && !errno;
}

static bool number(P *p, uint64_t *v)
{
	if (!parse_u64(&p->tok, v)) {
		unexpected(p, "number");
		return false;
	}
	next(p);
	return true;
}

static bool at_end_of_stmt(P *p)
{
	int k = p->tok.kind;
	return k == T_NL || k == ';' || k == '}' || k == T_EOF;
}

static struct ex *ex_new(P *p, enum ex_kind kind, const struct nfk_loc *loc)
{
	struct ex *e = nfk_arena_alloc(p->ar, sizeof(*e));

	if (!e) {
		err_at(p, loc, "out of memory");
		return NULL;
	}
	e->kind = kind;
	e->loc = *loc;
	return e;
}

static void loc_span(struct nfk_loc *a, const struct nfk_loc *b)
{
	if (b->line == a->line && b->col_end > a->col_end)
		a->col_end = b->col_end;
}

/* The location of the previous token's end is not kept; spans extend to
 * the last token consumed, which callers pass explicitly. */

/* ---- time and numbers ------------------------------------------------- */

/* Continues lexing at byte offset off of the current token's line: the
 * rest of a word nft's scanner would have split ("1s" "1d"). */
static void relex_from(P *p, size_t off)
{
	p->lx.pos = p->tok.loc.offset + off;
	p->lx.col = p->tok.loc.col + (uint32_t)off;
	p->lx.line = p->tok.loc.line;
	p->lx.line_start = p->tok.loc.offset - (p->tok.loc.col - 1);
	p->has_la = false;
}

/* A time: "1d2h", "30s", "500ms", or a quoted string holding one.  As
 * nft's scanner, a word whose start is a time string ends there, and a
 * bare number is no string. */
static bool time_arg(P *p, uint64_t *ms)
{
	char buf[64], err[64];
	size_t span = p->tok.len;

	if (p->tok.kind == T_WORD) {
		span = nfk_time_span(p->tok.s, p->tok.len);
		if (!span && isdigit((unsigned char)p->tok.s[0])) {
			struct nfk_loc l = p->tok.loc;
			uint32_t d = 0;

			while (d < p->tok.len && isdigit((unsigned char)p->tok.s[d]))
				d++;
			l.col_end = l.col + d - 1;
			err_at(p, &l, "syntax error, unexpected number, expecting string");
			return false;
		}
		if (!span)
			span = p->tok.len;
	} else if (p->tok.kind != T_STRING) {
		unexpected(p, NULL);
		return false;
	}
	if (span >= sizeof(buf)) {
		err_at(p, &p->tok.loc, "value too large");
		return false;
	}
	if (p->tok.kind == T_STRING)
		nfk_tok_copy(buf, sizeof(buf), &p->tok);
	else
		memcpy(buf, p->tok.s, span), buf[span] = 0;
	if (nfk_time_parse(buf, ms, err, sizeof(err))) {
		err_at(p, &p->tok.loc, "%s", err);
		return false;
	}
	if (p->tok.kind == T_WORD && span < p->tok.len)
		relex_from(p, span);
	next(p);
	return true;
}

/* ---- expressions ---------------------------------------------------------- */

static struct ex *parse_rhs(P *p);
static struct ex *parse_set_block(P *p);
static int binop_at(P *p);
static struct ex *parse_lhs(P *p);
static struct ex *parse_selector(P *p);

static struct ex *lookup_define(P *p, const struct nfk_tok *t)
{
	for (struct define *d = p->sc->defines; d; d = d->next)
		if (strlen(d->name) == t->len - 1 && !memcmp(d->name, t->s + 1, t->len - 1))
			return d->value;
	err_at(p, &t->loc, "unknown identifier '%.*s'", (int)t->len - 1, t->s + 1);
	return NULL;
}

static const char *const verdict_words[] = {
	[NF_DROP] = "drop", [NF_ACCEPT] = "accept",
};

/* A verdict expression, or NULL (no error) when the word is none. */
static struct ex *parse_verdict_expr(P *p)
{
	static const struct { const char *w; int code; bool chain; } vt[] = {
		{ "accept", NF_ACCEPT, false }, { "drop", NF_DROP, false },
		{ "continue", NFT_CONTINUE, false }, { "return", NFT_RETURN, false },
		{ "jump", NFT_JUMP, true }, { "goto", NFT_GOTO, true },
	};
	(void)verdict_words;
	for (size_t i = 0; i < sizeof(vt) / sizeof(vt[0]); i++) {
		if (!is(p, vt[i].w))
			continue;
		struct ex *e = ex_new(p, EX_VERDICT, &p->tok.loc);
		if (!e)
			return NULL;
		e->code = vt[i].code;
		next(p);
		if (vt[i].chain) {
			/* errors about the chain point at its name, as nft does */
			e->loc = p->tok.loc;
			if (p->tok.kind == T_VAR) {
				struct ex *v = lookup_define(p, &p->tok);
				if (!v)
					return NULL;
				e->s = v->s;
				next(p);
			} else if (!(e->s = ident(p, "string"))) {
				return NULL;
			}
		}
		return e;
	}
	return NULL;
}

/* One primary value on the right-hand side or in a set. */
static struct ex *parse_value(P *p)
{
	struct nfk_tok t = p->tok;
	struct ex *e = NULL;

	switch (t.kind) {
	case '{':
		return parse_set_block(p);
	case T_SETREF:
		e = ex_new(p, EX_SETREF, &t.loc);
		if (e)
			e->s = tokdup(p, &t);
		next(p);
		return e;
	case T_VAR:
		next(p);
		return lookup_define(p, &t);
	case T_STRING:
		e = ex_new(p, EX_STR, &t.loc);
		if (e)
			e->s = tokdup(p, &t);
		next(p);
		return e;
	case '*':
		next(p);
		return ex_new(p, EX_WILDCARD, &t.loc);
	case '(': {
		struct nfk_loc open = p->tok.loc;
		next(p);
		struct ex *in = NULL;
		if (p->tok.kind == T_WORD && (in = parse_lhs(p)) == NULL && p->failed)
			return NULL;
		if (!in) {
			in = parse_value(p);
			while (in && binop_at(p)) {
				int op = binop_at(p);
				next(p);
				struct ex *rv = parse_value(p), *bx;
				if (!rv || !(bx = ex_new(p, EX_BINOP, &in->loc)))
					return NULL;
				bx->binop = op, bx->a = in, bx->b = rv;
				loc_span(&bx->loc, &rv->loc);
				in = bx;
			}
		}
		if (!in || !expect(p, ')', "')'"))
			return NULL;
		/* the parentheses belong to the expression (nft marks them too) */
		loc_span(&open, &p->prev);
		in->loc = open;
		return in;
	}
	case '[': {
		/* [ip6addr] in nat statements */
		next(p);
		if (p->tok.kind != T_WORD) {
			unexpected(p, NULL);
			return NULL;
		}
		e = ex_new(p, EX_SYM, &p->tok.loc);
		if (e)
			e->s = tokdup(p, &p->tok);
		next(p);
		if (!expect(p, ']', "']'"))
			return NULL;
		return e;
	}
	case '-':
		/* negative numbers: "priority -100" style values */
		if (peek(p)->kind == T_WORD) {
			next(p);
			e = ex_new(p, EX_SYM, &t.loc);
			if (e) {
				e->s = nfk_arena_strndup(p->ar, t.s, p->tok.s + p->tok.len - t.s);
				loc_span(&e->loc, &p->tok.loc);
			}
			next(p);
			return e;
		}
		break;
	case T_WORD:
		if ((e = parse_verdict_expr(p)) || p->failed)
			return e;
		e = ex_new(p, EX_SYM, &t.loc);
		if (e)
			e->s = tokdup(p, &t);
		next(p);
		return e;
	}
	unexpected(p, NULL);
	return NULL;
}

/* value [/ len | - value] */
static struct ex *parse_range_value(P *p)
{
	struct ex *e = parse_value(p);

	if (!e)
		return NULL;
	while (binop_at(p)) {
		int op = binop_at(p);
		next(p);
		struct ex *rv = parse_value(p), *bx;
		if (!rv || !(bx = ex_new(p, EX_BINOP, &e->loc)))
			return NULL;
		bx->binop = op, bx->a = e, bx->b = rv;
		loc_span(&bx->loc, &rv->loc);
		e = bx;
	}
	if (p->tok.kind == '/' && peek(p)->kind == T_WORD &&
	    !(p->la.len && p->la.s[0] >= '0' && p->la.s[0] <= '9'))
		return e;   /* "flags / mask": see parse_rhs */
	if (p->tok.kind == '/') {
		next(p);
		uint64_t len;
		struct nfk_tok lt = p->tok;
		if (!number(p, &len))
			return NULL;
		struct ex *pf = ex_new(p, EX_PREFIX, &e->loc);
		if (!pf)
			return NULL;
		pf->a = e;
		pf->plen = (int)len;
		loc_span(&pf->loc, &lt.loc);
		return pf;
	}
	if (p->tok.kind == '-') {
		next(p);
		struct ex *hi = parse_value(p);
		if (!hi)
			return NULL;
		struct ex *r = ex_new(p, EX_RANGE, &e->loc);
		if (!r)
			return NULL;
		r->a = e;
		r->b = hi;
		loc_span(&r->loc, &hi->loc);
		return r;
	}
	return e;
}

static bool push_item(P *p, struct ex *list, struct ex *item, size_t *cap)
{
	if (list->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		struct ex **nv = nfk_arena_alloc(p->ar, nc * sizeof(*nv));
		if (!nv)
			return false;
		if (list->n)
			memcpy(nv, list->v, list->n * sizeof(*nv));
		list->v = nv;
		*cap = nc;
	}
	list->v[list->n++] = item;
	return true;
}

/* item SEP item SEP ...: one item stands for itself; several become a
 * node of the given kind (concatenations, flag lists). */
static struct ex *parse_separated(P *p, int sep, enum ex_kind kind, struct ex *(*item)(P *))
{
	struct ex *e = item(p);

	if (!e || p->tok.kind != sep)
		return e;
	struct ex *l = ex_new(p, kind, &e->loc);
	size_t cap = 0;
	if (!l || !push_item(p, l, e, &cap))
		return NULL;
	while (accept_kind(p, sep)) {
		struct ex *x = item(p);
		if (!x || !push_item(p, l, x, &cap))
			return NULL;
		loc_span(&l->loc, &x->loc);
	}
	return l;
}

/* a . b . c */
static struct ex *parse_concat_value(P *p)
{
	return parse_separated(p, '.', EX_CONCAT, parse_range_value);
}

/* Element options: timeout, expires, comment, counter. */
static struct ex *parse_elem_opts(P *p, struct ex *e)
{
	struct ex *w = NULL;

	for (;;) {
		if (is(p, "timeout") || is(p, "expires") || is(p, "comment")) {
			if (!w) {
				w = ex_new(p, EX_ELEM, &e->loc);
				if (!w)
					return NULL;
				w->a = e;
			}
			if (accept_word(p, "timeout")) {
				if (!time_arg(p, &w->elem.timeout))
					return NULL;
			} else if (accept_word(p, "expires")) {
				if (!time_arg(p, &w->elem.expires))
					return NULL;
			} else {
				next(p);
				if (!(w->elem.comment = ident(p, "quoted string")))
					return NULL;
			}
			continue;
		}
		break;
	}
	return w ? w : e;
}

/* One set element: key [opts] [: data] */
static struct ex *parse_set_elem(P *p)
{
	struct ex *k = parse_concat_value(p);

	if (!k)
		return NULL;
	k = parse_elem_opts(p, k);
	if (!k)
		return NULL;
	if (p->tok.kind != ':')
		return k;
	next(p);
	struct ex *d = parse_concat_value(p);
	if (!d)
		return NULL;
	struct ex *m = ex_new(p, EX_MAPPING, &k->loc);
	if (!m)
		return NULL;
	m->a = k;
	m->b = d;
	return m;
}

static void skip_nl(P *p)
{
	while (p->tok.kind == T_NL)
		next(p);
}

static struct ex *parse_set_block(P *p)
{
	struct ex *s = ex_new(p, EX_SET, &p->tok.loc);
	size_t cap = 0;

	if (!s || !expect(p, '{', "'{'"))
		return NULL;
	skip_nl(p);
	while (p->tok.kind != '}') {
		struct ex *e = parse_set_elem(p);
		if (!e)
			return NULL;
		if (e->kind == EX_SET) {
			/* a variable holding a set ("{ $int_ifs, $ext_ifs }"): nft
			 * merges its elements into this one */
			for (size_t i = 0; i < e->n; i++)
				if (!push_item(p, s, e->v[i], &cap))
					return NULL;
		} else if (!push_item(p, s, e, &cap)) {
			return NULL;
		}
		skip_nl(p);
		if (accept_kind(p, ',')) {
			skip_nl(p);
			continue;
		}
		if (p->tok.kind != '}') {
			unexpected(p, "comma or '}'");
			return NULL;
		}
	}
	loc_span(&s->loc, &p->tok.loc);
	next(p);
	return s;
}

/* The right-hand side: a value, a concatenation or a flag list. */
static struct ex *parse_rhs_list(P *p)
{
	return parse_separated(p, ',', EX_LIST, parse_concat_value);
}

/* value[,value...] [/ mask[,mask...]] */
static struct ex *parse_rhs(P *p)
{
	struct ex *e = parse_rhs_list(p);

	if (!e || p->tok.kind != '/')
		return e;
	next(p);
	struct ex *m = parse_rhs_list(p), *pf;
	if (!m || !(pf = ex_new(p, EX_PREFIX, &e->loc)))
		return NULL;
	pf->a = e;
	pf->b = m;
	pf->plen = -1;
	loc_span(&pf->loc, &m->loc);
	return pf;
}

/* A binary operator at the current token ('&' or "and" ...), or 0. */
static int binop_at(P *p)
{
	int op = p->tok.kind;

	if (is(p, "and"))
		return '&';
	if (is(p, "or"))
		return '|';
	if (is(p, "xor"))
		return '^';
	if (is(p, "lshift"))
		return T_SHL;
	if (is(p, "rshift"))
		return T_SHR;
	if (op == '&' || op == '|' || op == '^' || op == T_SHL || op == T_SHR)
		return op;
	return 0;
}

/* ---- selectors (left-hand sides) ----------------------------------------- */

static struct ex *parse_payload(P *p, const struct nfk_proto *pr)
{
	struct nfk_tok t = p->tok;

	next(p);
	if (p->tok.kind != T_WORD) {
		unexpected(p, NULL);
		return NULL;
	}
	char name[64];
	nfk_tok_copy(name, sizeof(name), &p->tok);
	const struct nfk_hdr_field *f = NULL;
	if (peek(p)->kind == T_WORD) {
		char two[96];
		snprintf(two, sizeof(two), "%s %.*s", name, (int)p->la.len, p->la.s);
		if ((f = nfk_proto_field(pr, two)))
			next(p);
	}
	if (!f)
		f = nfk_proto_field(pr, name);
	if (!f) {
		unexpected(p, NULL);
		return NULL;
	}
	struct ex *e = ex_new(p, EX_PAYLOAD, &t.loc);
	if (!e)
		return NULL;
	e->pl.proto = pr;
	e->pl.field = f;
	loc_span(&e->loc, &p->tok.loc);
	next(p);
	return e;
}

static struct ex *parse_meta(P *p, bool qualified)
{
	struct nfk_tok t = p->tok;
	char name[64];

	if (qualified)
		next(p);
	if (p->tok.kind != T_WORD) {
		unexpected(p, NULL);
		return NULL;
	}
	nfk_tok_copy(name, sizeof(name), &p->tok);
	const struct nfk_key *k = nfk_meta_key_by_name(name);
	if (!k) {
		unexpected(p, NULL);
		return NULL;
	}
	struct ex *e = ex_new(p, EX_META, &t.loc);
	if (!e)
		return NULL;
	e->sk.key = k;
	loc_span(&e->loc, &p->tok.loc);
	next(p);
	e->sk.dir = -1;
	return e;
}

static struct ex *parse_ct(P *p)
{
	struct nfk_tok t = p->tok;
	char name[64];
	int dir = -1;

	next(p);
	if (accept_word(p, "original"))
		dir = 0;
	else if (accept_word(p, "reply"))
		dir = 1;
	if (p->tok.kind != T_WORD) {
		unexpected(p, NULL);
		return NULL;
	}
	nfk_tok_copy(name, sizeof(name), &p->tok);
	/* "ct original ip saddr": the address keys by protocol */
	if (dir >= 0 && (is(p, "ip") || is(p, "ip6")) && peek(p)->kind == T_WORD) {
		/* "ct original ip saddr": keys named "ip saddr", "ip6 daddr" */
		snprintf(name, sizeof(name), "%.*s %.*s", (int)p->tok.len, p->tok.s,
			 (int)p->la.len, p->la.s);
		next(p);
	}
	const struct nfk_key *k = nfk_ct_key_by_name(name);
	if (!k || (dir >= 0 && !(k->flags & NFK_KEY_DIR)) ||
	    (dir < 0 && (k->flags & NFK_KEY_DIR_ONLY))) {
		unexpected(p, NULL);
		return NULL;
	}
	struct ex *e = ex_new(p, EX_CT, &t.loc);
	if (!e)
		return NULL;
	e->sk.key = k;
	e->sk.dir = dir;
	loc_span(&e->loc, &p->tok.loc);
	next(p);
	return e;
}

static bool tokword(const struct nfk_tok *t, char *buf, size_t len)
{
	if (t->kind != T_WORD || t->len >= len)
		return false;
	memcpy(buf, t->s, t->len);
	buf[t->len] = 0;
	return true;
}

/* After "tcp option", "sctp chunk", "ip option", "exthdr", or at a bare
 * IPv6 extension header name: KIND [FIELD]. */
static struct ex *parse_exthdr(P *p, unsigned op, const struct nfk_loc *loc, bool need_field)
{
	char name[64], fname[64];
	struct ex *e = ex_new(p, EX_EXTHDR, loc);

	if (!e)
		return NULL;
	e->xt.op = op;
	if (p->tok.kind == T_SETREF && op == NFT_EXTHDR_OP_TCPOPT) {
		/* raw: @kind,offset,length (bits) */
		uint64_t k, o, l;
		struct nfk_tok t = p->tok;
		t.s++, t.len--, t.kind = T_WORD;
		if (!parse_u64(&t, &k))
			return unexpected(p, NULL), NULL;
		next(p);
		if (!expect(p, ',', "','") || !number(p, &o) || !expect(p, ',', "','") ||
		    !number(p, &l))
			return NULL;
		e->xt.type = k, e->xt.off = o, e->xt.bits = l;
		return e;
	}
	if (!tokword(&p->tok, name, sizeof(name)))
		return unexpected(p, NULL), NULL;
	uint64_t num;
	if (parse_u64(&p->tok, &num)) {
		e->xt.type = num;
		/* numbered kinds only test presence */
		if (num > 255) {
			err_at(p, &p->tok.loc, "value too large");
			return NULL;
		}
		next(p);
		return e;
	}
	e->xt.xh = nfk_exthdr_by_name(op, name);
	if (!e->xt.xh)
		return unexpected(p, NULL), NULL;
	e->xt.type = e->xt.xh->type;
	loc_span(&e->loc, &p->tok.loc);
	next(p);
	if (tokword(&p->tok, fname, sizeof(fname))) {
		for (const struct nfk_hdr_field *f = e->xt.xh->fields; f->name; f++)
			if (!strcmp(f->name, fname)) {
				e->xt.field = f;
				loc_span(&e->loc, &p->tok.loc);
				next(p);
				return e;
			}
	}
	if (need_field)
		return unexpected(p, NULL), NULL;
	return e;
}

/* Is t a field of extension header xh ("rt nexthdr" vs "rt nexthop")? */
static bool xh_has_field(const struct nfk_exthdr *xh, const struct nfk_tok *t)
{
	if (!xh || t->kind != T_WORD)
		return false;
	for (const struct nfk_hdr_field *f = xh->fields; f->name; f++)
		if (nfk_tok_is(t, f->name))
			return true;
	return false;
}

static bool word_in(P *p, const struct nfk_sym *t, unsigned *v)
{
	for (; t->name; t++)
		if (is(p, t->name)) {
			*v = t->value;
			next(p);
			return true;
		}
	return false;
}

static const struct nfk_sym fib_flag_syms[] = {
	{ "saddr", NFTA_FIB_F_SADDR }, { "daddr", NFTA_FIB_F_DADDR }, { "mark", NFTA_FIB_F_MARK },
	{ "iif", NFTA_FIB_F_IIF }, { "oif", NFTA_FIB_F_OIF }, { NULL, 0 },
};
static const struct nfk_sym fib_result_syms[] = {
	{ "oif", NFT_FIB_RESULT_OIF }, { "oifname", NFT_FIB_RESULT_OIFNAME },
	{ "type", NFT_FIB_RESULT_ADDRTYPE }, { NULL, 0 },
};
static const struct nfk_sym rt_key_syms[] = {
	{ "classid", NFT_RT_CLASSID }, { "nexthop", NFT_RT_NEXTHOP4 }, { "mtu", NFT_RT_TCPMSS },
	{ "ipsec", NFT_RT_XFRM }, { NULL, 0 },
};
static const struct nfk_sym socket_key_syms[] = {
	{ "transparent", NFT_SOCKET_TRANSPARENT }, { "mark", NFT_SOCKET_MARK },
	{ "wildcard", NFT_SOCKET_WILDCARD }, { "cgroupv2", NFT_SOCKET_CGROUPV2 }, { NULL, 0 },
};

/* fib, rt, socket, osf, ipsec, numgen, jhash, symhash; NULL without
 * error when the word is none of them. */
static struct ex *parse_func_selector(P *p)
{
	struct nfk_loc loc = p->tok.loc;
	struct ex *e;
	unsigned v;
	uint64_t n;

	if (accept_word(p, "fib")) {
		if (!(e = ex_new(p, EX_FIB, &loc)))
			return NULL;
		do {
			if (!word_in(p, fib_flag_syms, &v))
				return unexpected(p, NULL), NULL;
			e->fib.flags |= v;
		} while (accept_kind(p, '.'));
		if (!word_in(p, fib_result_syms, &e->fib.result))
			return unexpected(p, NULL), NULL;
		return e;
	}
	if (is(p, "rt") && peek(p)->kind == T_WORD &&
	    !xh_has_field(nfk_exthdr_by_name(NFT_EXTHDR_OP_IPV6, "rt"), &p->la)) {
		next(p);
		if (!(e = ex_new(p, EX_RT, &loc)))
			return NULL;
		if (accept_word(p, "ip"))
			e->rt.family = NFPROTO_IPV4;
		else if (accept_word(p, "ip6"))
			e->rt.family = NFPROTO_IPV6;
		if (!word_in(p, rt_key_syms, &e->rt.key))
			return unexpected(p, NULL), NULL;
		return e;
	}
	if (accept_word(p, "socket")) {
		if (!(e = ex_new(p, EX_SOCKET, &loc)))
			return NULL;
		if (!word_in(p, socket_key_syms, &e->sock.key))
			return unexpected(p, NULL), NULL;
		if (e->sock.key == NFT_SOCKET_CGROUPV2) {
			if (!accept_word(p, "level") || !number(p, &n))
				return p->failed ? NULL : (unexpected(p, "level"), NULL);
			e->sock.level = n;
		}
		return e;
	}
	if (accept_word(p, "osf")) {
		if (!(e = ex_new(p, EX_OSF, &loc)))
			return NULL;
		if (accept_word(p, "ttl")) {
			if (accept_word(p, "loose"))
				e->osf.ttl = 1;
			else if (accept_word(p, "skip"))
				e->osf.ttl = 2;
			else if (!accept_word(p, "global"))
				return unexpected(p, NULL), NULL;
		}
		if (accept_word(p, "version"))
			e->osf.flags = NFT_OSF_F_VERSION;
		else if (!accept_word(p, "name"))
			return unexpected(p, NULL), NULL;
		return e;
	}
	if (accept_word(p, "ipsec")) {
		if (!(e = ex_new(p, EX_XFRM, &loc)))
			return NULL;
		if (accept_word(p, "in"))
			e->xfrm.dir = XFRM_POLICY_IN;
		else if (accept_word(p, "out"))
			e->xfrm.dir = XFRM_POLICY_OUT;
		else
			return unexpected(p, NULL), NULL;
		if (accept_word(p, "spnum")) {
			if (!number(p, &n))
				return NULL;
			e->xfrm.spnum = n;
		}
		if (accept_word(p, "reqid")) {
			e->xfrm.key = NFT_XFRM_KEY_REQID;
		} else if (accept_word(p, "spi")) {
			e->xfrm.key = NFT_XFRM_KEY_SPI;
		} else if (is(p, "ip") || is(p, "ip6")) {
			bool v6 = is(p, "ip6");
			next(p);
			if (accept_word(p, "saddr"))
				e->xfrm.key = v6 ? NFT_XFRM_KEY_SADDR_IP6 : NFT_XFRM_KEY_SADDR_IP4;
			else if (accept_word(p, "daddr"))
				e->xfrm.key = v6 ? NFT_XFRM_KEY_DADDR_IP6 : NFT_XFRM_KEY_DADDR_IP4;
			else
				return unexpected(p, NULL), NULL;
		} else {
			return unexpected(p, NULL), NULL;
		}
		return e;
	}
	if (accept_word(p, "numgen")) {
		if (!(e = ex_new(p, EX_NUMGEN, &loc)))
			return NULL;
		if (accept_word(p, "inc"))
			e->ng.type = NFT_NG_INCREMENTAL;
		else if (accept_word(p, "random"))
			e->ng.type = NFT_NG_RANDOM;
		else
			return unexpected(p, NULL), NULL;
		if (!accept_word(p, "mod"))
			return unexpected(p, "mod"), NULL;
		if (!number(p, &n))
			return NULL;
		e->ng.mod = n;
		if (accept_word(p, "offset")) {
			if (!number(p, &n))
				return NULL;
			e->ng.offset = n;
		}
		return e;
	}
	if (is(p, "jhash") || is(p, "symhash")) {
		bool sym = is(p, "symhash");
		next(p);
		if (!(e = ex_new(p, EX_HASH, &loc)))
			return NULL;
		e->hash.type = sym ? NFT_HASH_SYM : NFT_HASH_JENKINS;
		if (!sym) {
			e->a = parse_lhs(p);
			if (!e->a)
				return p->failed ? NULL : (unexpected(p, NULL), NULL);
		}
		if (!accept_word(p, "mod"))
			return unexpected(p, "mod"), NULL;
		if (!number(p, &n))
			return NULL;
		e->hash.mod = n;
		for (;;) {
			if (accept_word(p, "seed")) {
				if (!number(p, &n))
					return NULL;
				e->hash.seed = n;
				e->hash.has_seed = true;
			} else if (accept_word(p, "offset")) {
				if (!number(p, &n))
					return NULL;
				e->hash.offset = n;
			} else {
				break;
			}
		}
		return e;
	}
	return NULL;
}

/* @base,offset,length: raw payload (bits) */
static struct ex *parse_raw_payload(P *p)
{
	static const struct { const char *w; enum nfk_base base; } bases[] = {
		{ "ll", NFK_BASE_LL }, { "nh", NFK_BASE_NETWORK }, { "th", NFK_BASE_TRANSPORT },
		{ "ih", NFK_BASE_INNER },
	};
	struct nfk_loc loc = p->tok.loc;
	size_t i;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (p->tok.len == strlen(bases[i].w) + 1 && !memcmp(p->tok.s + 1, bases[i].w, p->tok.len - 1))
			break;
	if (i == sizeof(bases) / sizeof(bases[0]) || peek(p)->kind != ',')
		return NULL;
	next(p);
	next(p);
	uint64_t off, len;
	if (!number(p, &off) || !expect(p, ',', "','") || !number(p, &len))
		return NULL;
	if (!len || len > 128) {
		err_at(p, &loc, "raw payload length %u is invalid", (unsigned)len);
		return NULL;
	}
	struct nfk_proto *pr = nfk_arena_alloc(p->ar, sizeof(*pr));
	struct nfk_hdr_field *f = nfk_arena_alloc(p->ar, sizeof(*f));
	struct ex *e = ex_new(p, EX_PAYLOAD, &loc);
	if (!pr || !f || !e)
		return NULL;
	pr->name = "raw";
	pr->base = bases[i].base;
	f->name = "raw";
	f->offset = off;
	f->bits = len;
	f->dtype = &nfk_dtypes[NFK_TYPE_INTEGER];
	f->bo = NFK_BO_BIG;
	e->pl.proto = pr;
	e->pl.field = f;
	loc_span(&e->loc, &p->prev);
	return e;
}

/* A selector, or NULL without error when the word starts none. */
static struct ex *parse_selector(P *p)
{
	if (p->tok.kind == T_SETREF) {
		struct ex *raw = parse_raw_payload(p);
		if (raw || p->failed)
			return raw;
	}
	{
		struct ex *fe = parse_func_selector(p);
		if (fe || p->failed)
			return fe;
	}
	char name[64];

	if (p->tok.kind != T_WORD)
		return NULL;
	nfk_tok_copy(name, sizeof(name), &p->tok);
	{
		struct nfk_loc loc = p->tok.loc;
		static const struct { const char *w, *w2; unsigned op; } xsel[] = {
			{ "tcp", "option", NFT_EXTHDR_OP_TCPOPT },
			{ "sctp", "chunk", NFT_EXTHDR_OP_SCTP },
			{ "ip", "option", NFT_EXTHDR_OP_IPV4 },
		};
		for (size_t i = 0; i < sizeof(xsel) / sizeof(xsel[0]); i++)
			if (!strcmp(name, xsel[i].w) && peek(p)->kind == T_WORD &&
			    nfk_tok_is(&p->la, xsel[i].w2)) {
				next(p);
				next(p);
				return parse_exthdr(p, xsel[i].op, &loc, false);
			}
		if (!strcmp(name, "exthdr")) {
			next(p);
			return parse_exthdr(p, NFT_EXTHDR_OP_IPV6, &loc, false);
		}
		const struct nfk_exthdr *xh = nfk_exthdr_by_name(NFT_EXTHDR_OP_IPV6, name);
		if (xh && peek(p)->kind == T_WORD) {
			char f[64];
			nfk_tok_copy(f, sizeof(f), &p->la);
			for (const struct nfk_hdr_field *fl = xh->fields; fl->name; fl++)
				if (!strcmp(fl->name, f))
					return parse_exthdr(p, NFT_EXTHDR_OP_IPV6, &loc, true);
		}
	}
	if (!strcmp(name, "meta"))
		return parse_meta(p, true);
	if (!strcmp(name, "ct"))
		return parse_ct(p);
	const struct nfk_proto *pr = nfk_proto_by_name(name);
	if (pr && peek(p)->kind == T_WORD) {
		char f[64];
		size_t fl = nfk_tok_copy(f, sizeof(f), &p->la);
		if (nfk_proto_field(pr, f))
			return parse_payload(p, pr);
		/* two-word fields: "arp saddr ip" */
		for (const struct nfk_hdr_field *hf = pr->fields; hf->name; hf++)
			if (!strncmp(hf->name, f, fl) && hf->name[fl] == ' ')
				return parse_payload(p, pr);
	}
	const struct nfk_key *k = nfk_meta_key_by_name(name);
	if (k && (k->flags & NFK_KEY_UNQUALIFIED))
		return parse_meta(p, false);
	return NULL;
}

/* selector { op value } for bitwise expressions and concatenations */
static struct ex *parse_lhs(P *p)
{
	struct ex *e = parse_selector(p);

	if (!e)
		return NULL;
	for (;;) {
		int op = binop_at(p);
		if (!op)
			break;
		next(p);
		struct ex *r = parse_value(p);
		if (!r)
			return NULL;
		struct ex *b = ex_new(p, EX_BINOP, &e->loc);
		if (!b)
			return NULL;
		b->binop = op;
		b->a = e;
		b->b = r;
		loc_span(&b->loc, &r->loc);
		e = b;
	}
	if (p->tok.kind == '.' ) {
		struct ex *c = ex_new(p, EX_CONCAT, &e->loc);
		size_t cap = 0;
		if (!c || !push_item(p, c, e, &cap))
			return NULL;
		while (accept_kind(p, '.')) {
			struct ex *x = parse_selector(p);
			if (!x) {
				unexpected(p, NULL);
				return NULL;
			}
			if (!push_item(p, c, x, &cap))
				return NULL;
			loc_span(&c->loc, &x->loc);
		}
		e = c;
	}
	return e;
}

/* ---- statements -------------------------------------------------------- */

static struct stmt *st_new(P *p, enum st_kind kind, const struct nfk_loc *loc)
{
	struct stmt *s = nfk_arena_alloc(p->ar, sizeof(*s));

	if (!s) {
		err_at(p, loc, "out of memory");
		return NULL;
	}
	s->kind = kind;
	s->loc = *loc;
	return s;
}

static const struct { const char *w; int op; } relops[] = {
	{ "eq", T_EQ }, { "ne", T_NE }, { "lt", '<' }, { "gt", '>' }, { "le", T_LE },
	{ "ge", T_GE },
};

static int parse_relop(P *p)
{
	int k = p->tok.kind;

	if (k == T_EQ || k == T_NE || k == '<' || k == '>' || k == T_LE || k == T_GE) {
		next(p);
		return k;
	}
	for (size_t i = 0; i < sizeof(relops) / sizeof(relops[0]); i++)
		if (accept_word(p, relops[i].w))
			return relops[i].op;
	if (k == '!') {   /* "tcp flags ! fin,rst": none of these flags */
		next(p);
		return '!';
	}
	return 0;
}

static struct stmt *parse_match(P *p, struct ex *lhs)
{
	struct stmt *s = st_new(p, ST_MATCH, &lhs->loc);

	if (!s)
		return NULL;
	s->match.left = lhs;
	if (is(p, "vmap") || is(p, "map")) {
		bool vmap = is(p, "vmap");
		next(p);
		struct ex *m = parse_value(p);
		if (!m)
			return NULL;
		if (vmap) {
			s->kind = ST_VMAP;
			s->match.right = m;
			return s;
		}
		/* "x map {}" as a value is for statements (nat, mark set) */
		err_at(p, &lhs->loc, "map expression unsupported here");
		return NULL;
	}
	s->match.op = parse_relop(p);
	if (at_end_of_stmt(p)) {
		unexpected(p, NULL);
		return NULL;
	}
	s->match.right = parse_rhs(p);
	if (!s->match.right)
		return NULL;
	loc_span(&s->loc, &s->match.right->loc);
	return s;
}

/* "NAME", or "SELECTOR map { key : NAME, ... }" / "SELECTOR map @m" */
static bool parse_objref_target(P *p, struct stmt *s)
{
	struct ex *key = parse_lhs(p);

	if (!key) {
		if (p->failed)
			return false;
		return (s->objref.name = ident(p, "string")) != NULL;
	}
	if (!accept_word(p, "map"))
		return unexpected(p, "map"), false;
	s->objref.key = key;
	s->objref.map = parse_value(p);
	return s->objref.map != NULL;
}

/* counter, limit, quota, synproxy: the keyword, then either "name X" (a
 * reference to a stateful object, *ref set) or the statement's own options. */
static struct stmt *stateful_start(P *p, enum st_kind kind, uint32_t objtype, bool *ref)
{
	struct stmt *s = st_new(p, kind, &p->tok.loc);

	next(p);
	*ref = false;
	if (!s)
		return NULL;
	if (accept_word(p, "name")) {
		*ref = true;
		s->kind = ST_OBJREF;
		s->objref.type = objtype;
		return parse_objref_target(p, s) ? s : NULL;
	}
	return s;
}

static struct stmt *parse_counter(P *p)
{
	bool ref;
	struct stmt *s = stateful_start(p, ST_COUNTER, NFT_OBJECT_COUNTER, &ref);

	if (!s || ref)
		return s;
	if (accept_word(p, "packets")) {
		if (!number(p, &s->counter.packets))
			return NULL;
		if (!accept_word(p, "bytes")) {
			unexpected(p, "bytes");
			return NULL;
		}
		if (!number(p, &s->counter.bytes))
			return NULL;
	}
	return s;
}

static const struct { const char *w; uint64_t secs; } rate_units[] = {
	{ "second", 1 }, { "minute", 60 }, { "hour", 3600 }, { "day", 86400 },
	{ "week", 604800 },
};

static bool parse_rate_unit(P *p, const char *w, uint64_t *unit)
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

static bool parse_byte_unit(const struct nfk_tok *t, uint64_t *mult)
{
	for (size_t i = 0; i < sizeof(byte_units) / sizeof(byte_units[0]); i++)
		if (nfk_tok_is(t, byte_units[i].w)) {
			*mult = byte_units[i].mult;
			return true;
		}
	return false;
}

/* limit rate [over] N [bytes-unit]/unit [burst N [unit]] */
/* After "rate": [over] N [bytes-unit]/unit [burst N [unit]] (statements
 * and limit objects alike). */
static bool limit_args(P *p, struct st_limit *l)
{
	uint64_t mult;
	char w[32];

	if (accept_word(p, "over"))
		l->inv = true;
	if (!number(p, &l->rate))
		return false;
	if (parse_byte_unit(&p->tok, &mult)) {
		l->rate *= mult;
		l->type = NFT_LIMIT_PKT_BYTES;
		next(p);
	}
	if (!expect(p, '/', "'/'"))
		return false;
	nfk_tok_copy(w, sizeof(w), &p->tok);
	if (p->tok.kind != T_WORD || !parse_rate_unit(p, w, &l->unit)) {
		unexpected(p, NULL);
		return false;
	}
	next(p);
	l->burst = l->type == NFT_LIMIT_PKT_BYTES ? 0 : 5;
	if (accept_word(p, "burst")) {
		if (!number(p, &l->burst))
			return false;
		if (parse_byte_unit(&p->tok, &mult)) {
			l->burst *= mult;
			next(p);
		} else {
			accept_word(p, "packets");
		}
	}
	return true;
}

/* limit rate ... */
static struct stmt *parse_limit(P *p)
{
	bool ref;
	struct stmt *s = stateful_start(p, ST_LIMIT, NFT_OBJECT_LIMIT, &ref);

	if (!s || ref)
		return s;
	if (!accept_word(p, "rate")) {
		unexpected(p, "rate");
		return NULL;
	}
	return limit_args(p, &s->limit) ? s : NULL;
}

/* [over|until] N unit [used N unit] (statements and quota objects). */
static bool quota_args(P *p, struct st_quota *q)
{
	uint64_t mult;

	if (accept_word(p, "over"))
		q->inv = true;
	else
		accept_word(p, "until");
	if (!number(p, &q->bytes))
		return false;
	if (!parse_byte_unit(&p->tok, &mult))
		return unexpected(p, NULL), false;
	next(p);
	q->bytes *= mult;
	if (accept_word(p, "used")) {
		if (!number(p, &q->used))
			return false;
		if (!parse_byte_unit(&p->tok, &mult))
			return unexpected(p, NULL), false;
		next(p);
		q->used *= mult;
	}
	return true;
}

static struct stmt *parse_quota(P *p)
{
	bool ref;
	struct stmt *s = stateful_start(p, ST_QUOTA, NFT_OBJECT_QUOTA, &ref);

	if (!s || ref)
		return s;
	return quota_args(p, &s->quota) ? s : NULL;
}

static const struct nfk_sym log_levels[] = {
	{ "emerg", 0 }, { "alert", 1 }, { "crit", 2 }, { "err", 3 }, { "warn", 4 },
	{ "notice", 5 }, { "info", 6 }, { "debug", 7 }, { "audit", 8 }, { NULL, 0 },
};

static struct stmt *parse_log(P *p)
{
	struct stmt *s = st_new(p, ST_LOG, &p->tok.loc);
	uint64_t v;

	next(p);
	if (!s)
		return NULL;
	for (;;) {
		if (accept_word(p, "prefix")) {
			if (!(s->log.prefix = ident(p, "quoted string")))
				return NULL;
		} else if (accept_word(p, "level")) {
			bool ok = false;
			for (const struct nfk_sym *l = log_levels; l->name; l++)
				if (is(p, l->name)) {
					s->log.level = l->value;
					ok = true;
				}
			if (!ok) {
				err_at(p, &p->tok.loc, "invalid log level");
				return NULL;
			}
			s->log.has_level = true;
			next(p);
		} else if (accept_word(p, "group")) {
			if (!number(p, &v))
				return NULL;
			s->log.group = v, s->log.has_group = true;
		} else if (accept_word(p, "snaplen")) {
			if (!number(p, &v))
				return NULL;
			s->log.snaplen = v, s->log.has_snaplen = true;
		} else if (accept_word(p, "queue-threshold")) {
			if (!number(p, &v))
				return NULL;
			s->log.qthreshold = v, s->log.has_qthreshold = true;
		} else if (accept_word(p, "flags")) {
			do {
				if (accept_word(p, "tcp")) {
					for (;;) {
						if (accept_word(p, "sequence"))
							s->log.flags |= NF_LOG_TCPSEQ;
						else if (accept_word(p, "options"))
							s->log.flags |= NF_LOG_TCPOPT;
						else
							return unexpected(p, NULL), NULL;
						if (p->tok.kind != ',' || peek(p)->kind != T_WORD ||
						    !(nfk_tok_is(&p->la, "sequence") ||
						      nfk_tok_is(&p->la, "options")))
							break;
						next(p);
					}
				} else if (accept_word(p, "ip")) {
					if (!accept_word(p, "options"))
						return unexpected(p, NULL), NULL;
					s->log.flags |= NF_LOG_IPOPT;
				} else if (accept_word(p, "skuid")) {
					s->log.flags |= NF_LOG_UID;
				} else if (accept_word(p, "ether")) {
					s->log.flags |= NF_LOG_MACDECODE;
				} else if (accept_word(p, "all")) {
					s->log.flags |= NF_LOG_MASK;
				} else {
					return unexpected(p, NULL), NULL;
				}
			} while (accept_kind(p, ','));
		} else {
			break;
		}
	}
	return s;
}

static struct stmt *parse_reject(P *p)
{
	struct stmt *s = st_new(p, ST_REJECT, &p->tok.loc);

	next(p);
	if (!s)
		return NULL;
	s->reject.type = -1;
	if (!accept_word(p, "with"))
		return s;
	if (accept_word(p, "tcp")) {
		if (!accept_word(p, "reset"))
			return unexpected(p, "reset"), NULL;
		s->reject.type = NFT_REJECT_TCP_RST;
		return s;
	}
	if (is(p, "icmp") || is(p, "icmpv6") || is(p, "icmpx")) {
		s->reject.type = is(p, "icmpx") ? NFT_REJECT_ICMPX_UNREACH : NFT_REJECT_ICMP_UNREACH;
		s->reject.family = is(p, "icmp") ? NFPROTO_IPV4 : is(p, "icmpv6") ? NFPROTO_IPV6 : 0;
		next(p);
		accept_word(p, "type");
		if (p->tok.kind != T_WORD)
			return unexpected(p, NULL), NULL;
		s->reject.code = ex_new(p, EX_SYM, &p->tok.loc);
		if (!s->reject.code)
			return NULL;
		s->reject.code->s = tokdup(p, &p->tok);
		next(p);
		return s;
	}
	unexpected(p, NULL);
	return NULL;
}

static const struct { const char *w; uint32_t flag; } nat_flags[] = {
	{ "random", NF_NAT_RANGE_PROTO_RANDOM }, { "fully-random", NF_NAT_RANGE_PROTO_RANDOM_FULLY },
	{ "persistent", NF_NAT_RANGE_PERSISTENT },
};

static bool parse_nat_flags(P *p, struct stmt *s)
{
	do {
		bool ok = false;
		for (size_t i = 0; i < sizeof(nat_flags) / sizeof(nat_flags[0]); i++)
			if (accept_word(p, nat_flags[i].w)) {
				s->nat.flags |= nat_flags[i].flag;
				ok = true;
				break;
			}
		if (!ok) {
			if (s->nat.flags)
				unexpected(p, NULL);
			return !s->nat.flags ? true : false;
		}
	} while (accept_kind(p, ','));
	return true;
}

/* A nat/dup operand: a value or range, or "selector map { ... }". */
static struct ex *parse_nat_operand(P *p)
{
	struct ex *key = parse_lhs(p);

	if (!key)
		return p->failed ? NULL : parse_range_value(p);
	if (!accept_word(p, "map"))
		return unexpected(p, "map"), NULL;
	struct ex *m = parse_value(p), *mx;
	if (!m || !(mx = ex_new(p, EX_MAP, &key->loc)))
		return NULL;
	mx->a = key;
	mx->b = m;
	return mx;
}

/* snat/dnat [ip|ip6] [to] addr[:port] [flags]; masquerade/redirect [to :port] */
static struct stmt *parse_nat(P *p)
{
	struct stmt *s = st_new(p, ST_NAT, &p->tok.loc);

	if (!s)
		return NULL;
	if (is(p, "masquerade"))
		s->kind = ST_MASQ;
	else if (is(p, "redirect"))
		s->kind = ST_REDIR;
	else
		s->nat.type = is(p, "snat") ? NFT_NAT_SNAT : NFT_NAT_DNAT;
	next(p);
	if (s->kind == ST_NAT) {
		/* "snat ip to ..." names the family; "snat ip saddr map ..."
		 * (no "to": nft 1.0.6 takes it) starts the operand */
		bool fam_word = (is(p, "ip") || is(p, "ip6")) &&
				(nfk_tok_is(peek(p), "to") || nfk_tok_is(peek(p), "prefix"));
		if (fam_word && accept_word(p, "ip"))
			s->nat.family = NFPROTO_IPV4;
		else if (fam_word && accept_word(p, "ip6"))
			s->nat.family = NFPROTO_IPV6;
		if (accept_word(p, "prefix"))
			s->nat.flags |= NF_NAT_RANGE_NETMAP;
		if (!accept_word(p, "to") && s->nat.family)
			return unexpected(p, "to"), NULL;
		if (p->tok.kind != ':') {
			if (!(s->nat.addr = parse_nat_operand(p)))
				return NULL;
		}
	} else {
		if (!accept_word(p, "to"))
			goto flags;
	}
	if (accept_kind(p, ':')) {
		if (!(s->nat.port = parse_nat_operand(p)))
			return NULL;
	}
flags:
	for (size_t i = 0; i < sizeof(nat_flags) / sizeof(nat_flags[0]); i++)
		if (is(p, nat_flags[i].w))
			return parse_nat_flags(p, s) ? s : NULL;
	return s;
}

static struct stmt *parse_verdict_stmt(P *p)
{
	struct nfk_loc loc = p->tok.loc;
	struct ex *v = parse_verdict_expr(p);

	if (!v)
		return NULL;
	struct stmt *s = st_new(p, ST_VERDICT, &loc);
	if (s)
		s->verdict = v;
	return s;
}

static struct stmt *parse_reset(P *p)
{
	struct stmt *s = st_new(p, ST_EXTHDR_RESET, &p->tok.loc);

	next(p);
	if (!s)
		return NULL;
	if (!accept_word(p, "tcp") || !accept_word(p, "option"))
		return unexpected(p, NULL), NULL;
	s->exthdr.opt = parse_exthdr(p, NFT_EXTHDR_OP_TCPOPT, &s->loc, false);
	return s->exthdr.opt ? s : NULL;
}

static struct stmt *parse_queue(P *p)
{
	struct stmt *s = st_new(p, ST_QUEUE, &p->tok.loc);
	uint64_t n, m;

	next(p);
	if (!s)
		return NULL;
	s->queue.total = 1;
	for (;;) {
		if (accept_word(p, "num")) {
			if (!number(p, &n))
				return NULL;
			s->queue.num = n;
			if (accept_kind(p, '-')) {
				if (!number(p, &m))
					return NULL;
				s->queue.total = m - n + 1;
			}
		} else if (accept_word(p, "flags")) {
			do {
				if (accept_word(p, "bypass"))
					s->queue.flags |= NFT_QUEUE_FLAG_BYPASS;
				else if (accept_word(p, "fanout"))
					s->queue.flags |= NFT_QUEUE_FLAG_CPU_FANOUT;
				else
					return unexpected(p, NULL), NULL;
			} while (accept_kind(p, ','));
		} else if (accept_word(p, "bypass")) {
			s->queue.flags |= NFT_QUEUE_FLAG_BYPASS;
		} else if (accept_word(p, "fanout")) {
			s->queue.flags |= NFT_QUEUE_FLAG_CPU_FANOUT;
		} else if (accept_word(p, "to")) {
			struct ex *x = parse_selector(p);
			if (p->failed)
				return NULL;
			if (x) {
				s->queue.num_expr = x;
				continue;
			}
			if (!number(p, &n))
				return NULL;
			s->queue.num = n;
			if (accept_kind(p, '-')) {
				if (!number(p, &m))
					return NULL;
				s->queue.total = m - n + 1;
			}
		} else {
			break;
		}
	}
	return s;
}

static struct stmt *parse_synproxy(P *p)
{
	bool ref;
	uint64_t n;
	struct stmt *s = stateful_start(p, ST_SYNPROXY, NFT_OBJECT_SYNPROXY, &ref);

	if (!s || ref)
		return s;
	for (;;) {
		if (accept_word(p, "mss")) {
			if (!number(p, &n))
				return NULL;
			s->synproxy.mss = (uint16_t)n;
			s->synproxy.flags |= NF_SYNPROXY_OPT_MSS;
		} else if (accept_word(p, "wscale")) {
			if (!number(p, &n))
				return NULL;
			s->synproxy.wscale = (uint8_t)n;
			s->synproxy.flags |= NF_SYNPROXY_OPT_WSCALE;
		} else if (accept_word(p, "timestamp")) {
			s->synproxy.flags |= NF_SYNPROXY_OPT_TIMESTAMP;
		} else if (accept_word(p, "sack-perm")) {
			s->synproxy.flags |= NF_SYNPROXY_OPT_SACK_PERM;
		} else {
			break;
		}
	}
	return s;
}

/* tproxy [ip|ip6] to [addr][:port] */
static struct stmt *parse_tproxy(P *p)
{
	struct stmt *s = st_new(p, ST_TPROXY, &p->tok.loc);

	next(p);
	if (!s)
		return NULL;
	if (accept_word(p, "ip"))
		s->fwd.family = NFPROTO_IPV4;
	else if (accept_word(p, "ip6"))
		s->fwd.family = NFPROTO_IPV6;
	if (!accept_word(p, "to"))
		return unexpected(p, "to"), NULL;
	if (p->tok.kind != ':' && !(s->fwd.addr = parse_value(p)))
		return NULL;
	if (accept_kind(p, ':') && !(s->fwd.port = parse_value(p)))
		return NULL;
	return s;
}

/* dup to addr [device dev]; fwd [ip|ip6] to [addr device] dev */
static struct stmt *parse_dup(P *p)
{
	bool fwd = is(p, "fwd");
	struct stmt *s = st_new(p, fwd ? ST_FWD : ST_DUP, &p->tok.loc);

	next(p);
	if (!s)
		return NULL;
	if (accept_word(p, "ip"))
		s->fwd.family = NFPROTO_IPV4;
	else if (accept_word(p, "ip6"))
		s->fwd.family = NFPROTO_IPV6;
	if (!accept_word(p, "to"))
		return unexpected(p, "to"), NULL;
	struct ex *first = parse_nat_operand(p);
	if (!first)
		return NULL;
	if (accept_word(p, "device")) {
		s->fwd.addr = first;
		if (!(s->fwd.dev = parse_value(p)))
			return NULL;
	} else if (fwd) {
		s->fwd.dev = first;
	} else {
		s->fwd.addr = first;
	}
	return s;
}

static struct stmt *parse_flow(P *p)
{
	struct stmt *s = st_new(p, ST_FLOW, &p->tok.loc);

	next(p);
	if (!s)
		return NULL;
	if (!accept_word(p, "add") && !accept_word(p, "offload"))
		return unexpected(p, "add"), NULL;
	if (p->tok.kind != T_SETREF)
		return unexpected(p, NULL), NULL;
	s->flowtable = tokdup(p, &p->tok);
	next(p);
	return s;
}

static struct stmt *parse_notrack(P *p)
{
	struct stmt *s = st_new(p, ST_NOTRACK, &p->tok.loc);

	next(p);
	return s;
}

typedef struct stmt *(*stmt_fn)(P *p);

static const struct { const char *w; stmt_fn fn; } stmt_table[] = {
	{ "counter", parse_counter }, { "limit", parse_limit }, { "log", parse_log },
	{ "reject", parse_reject }, { "snat", parse_nat }, { "dnat", parse_nat },
	{ "masquerade", parse_nat }, { "redirect", parse_nat }, { "quota", parse_quota },
	{ "notrack", parse_notrack }, { "reset", parse_reset }, { "queue", parse_queue },
	{ "synproxy", parse_synproxy }, { "tproxy", parse_tproxy }, { "dup", parse_dup },
	{ "fwd", parse_dup }, { "flow", parse_flow },
	{ "accept", parse_verdict_stmt }, { "drop", parse_verdict_stmt },
	{ "continue", parse_verdict_stmt }, { "return", parse_verdict_stmt },
	{ "jump", parse_verdict_stmt }, { "goto", parse_verdict_stmt },
};

static struct stmt *parse_stmt(P *p);

/* The stateful statements an element of a dynamic set or meter carries,
 * up to the closing brace.  nft's grammar takes nothing else there. */
static bool dynset_stmts(P *p, struct stmt *s)
{
	static const char *const stateful[] = { "counter", "limit", "quota", "ct", "last" };
	struct stmt **tail = &s->dynset.stmts;

	while (p->tok.kind != '}') {
		bool ok = false;

		for (size_t i = 0; i < sizeof(stateful) / sizeof(stateful[0]); i++)
			ok |= is(p, stateful[i]);
		if (!ok)
			return unexpected(p, NULL), false;
		struct stmt *in = parse_stmt(p);
		if (!in)
			return false;
		*tail = in;
		tail = &in->next;
	}
	next(p);
	return true;
}

/* add|update|delete @set { key [timeout T] [stateful statements] } */
static struct stmt *parse_dynset(P *p)
{
	struct stmt *s = st_new(p, ST_DYNSET, &p->tok.loc);

	if (!s)
		return NULL;
	s->dynset.op = is(p, "add") ? NFT_DYNSET_OP_ADD : is(p, "update") ? NFT_DYNSET_OP_UPDATE :
		  NFT_DYNSET_OP_DELETE;
	next(p);
	s->dynset.set_loc = p->tok.loc;
	s->dynset.set = tokdup(p, &p->tok);
	next(p);
	if (!expect(p, '{', "'{'"))
		return NULL;
	if (!(s->dynset.key = parse_lhs(p)))
		return p->failed ? NULL : (unexpected(p, NULL), NULL);
	if (accept_word(p, "timeout") && !time_arg(p, &s->dynset.timeout))
		return NULL;
	if (accept_kind(p, ':')) {
		if (!(s->dynset.data = parse_concat_value(p)))
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
	struct stmt *s = st_new(p, ST_DYNSET, &p->tok.loc);
	uint64_t v;

	if (!s)
		return NULL;
	next(p);
	s->dynset.meter = true;
	s->dynset.set_loc = p->tok.loc;
	if (!(s->dynset.set = ident(p, "string")))
		return NULL;
	if (accept_word(p, "size")) {
		if (!number(p, &v))
			return NULL;
		s->dynset.meter_size = (uint32_t)v;
	}
	if (!expect(p, '{', "'{'"))
		return NULL;
	if (!(s->dynset.key = parse_lhs(p)))
		return p->failed ? NULL : (unexpected(p, NULL), NULL);
	if (accept_word(p, "timeout") && !time_arg(p, &s->dynset.timeout))
		return NULL;
	s->dynset.op = s->dynset.timeout ? NFT_DYNSET_OP_UPDATE : NFT_DYNSET_OP_ADD;
	/* one statement, which must be stateful (nft marks the meter as
	 * context) */
	struct stmt *in = parse_stmt(p);
	if (!in)
		return NULL;
	if (in->kind != ST_COUNTER && in->kind != ST_LIMIT && in->kind != ST_QUOTA &&
	    in->kind != ST_CONNLIMIT) {
		struct nfk_loc ctx = s->loc;
		loc_span(&ctx, &p->tok.loc);
		err_at(p, &in->loc, "meter statement must be stateful");
		nfk_diag_set_ctx(p->ds, &ctx);
		return NULL;
	}
	s->dynset.stmts = in;
	if (!expect(p, '}', "'}'"))
		return NULL;
	return s;
}

/* "meta secmark set VALUE" made the objref statement nft makes of it: a
 * name, or "KEY map @m" / "KEY map { k : NAME }" through an object map. */
static bool secmark_objref(P *p, struct stmt *s)
{
	struct ex *v = s->set.right;

	s->kind = ST_OBJREF;
	s->objref = (struct st_objref){ .type = NFT_OBJECT_SECMARK };
	if (v->kind == EX_MAP) {
		s->objref.key = v->a;
		s->objref.map = v->b;
		return true;
	}
	if (v->kind == EX_SYM || v->kind == EX_STR) {
		s->objref.name = v->s;
		s->loc = v->loc;
		return true;
	}
	err_at(p, &v->loc, "unsupported secmark value");
	return false;
}

static struct stmt *parse_stmt(P *p)
{
	if ((is(p, "add") || is(p, "update") || is(p, "delete")) && peek(p)->kind == T_SETREF)
		return parse_dynset(p);
	if (is(p, "meter") && peek(p)->kind == T_WORD)
		return parse_meter(p);
	if (is(p, "ct") && peek(p)->kind == T_WORD && nfk_tok_is(&p->la, "count")) {
		struct stmt *s = st_new(p, ST_CONNLIMIT, &p->tok.loc);
		uint64_t n;
		next(p);
		next(p);
		if (!s)
			return NULL;
		if (accept_word(p, "over"))
			s->connlimit.inv = true;
		if (!number(p, &n))
			return NULL;
		s->connlimit.count = (uint32_t)n;
		return s;
	}
	if (is(p, "ct") && peek(p)->kind == T_WORD &&
	    (nfk_tok_is(&p->la, "helper") || nfk_tok_is(&p->la, "timeout") ||
	     nfk_tok_is(&p->la, "expectation"))) {
		struct nfk_loc loc = p->tok.loc;
		P saved = *p;
		next(p);
		int type = is(p, "helper") ? NFT_OBJECT_CT_HELPER :
			   is(p, "timeout") ? NFT_OBJECT_CT_TIMEOUT : NFT_OBJECT_CT_EXPECT;
		if (peek(p)->kind == T_WORD && nfk_tok_is(&p->la, "set")) {
			next(p);
			next(p);
			struct stmt *s = st_new(p, ST_OBJREF, &loc);
			if (!s)
				return NULL;
			s->objref.type = type;
			return parse_objref_target(p, s) ? s : NULL;
		}
		/* "ct helper" as a match: back to the ct selector */
		*p = saved;
	}
	for (size_t i = 0; i < sizeof(stmt_table) / sizeof(stmt_table[0]); i++)
		if (is(p, stmt_table[i].w))
			return stmt_table[i].fn(p);
	struct ex *lhs = parse_lhs(p);
	if (!lhs) {
		/* nft's grammar takes an unknown word as the start of a match
		 * and complains about what follows it */
		if (!p->failed && p->tok.kind == T_WORD) {
			const struct nfk_tok *la = peek(p);
			if (la->kind == T_NL || la->kind == ';' || la->kind == '}' ||
			    la->kind == T_EOF)
				next(p);
		}
		if (!p->failed)
			unexpected(p, NULL);
		return NULL;
	}
	/* meta mark set X, ct mark set X */
	if (accept_word(p, "set")) {
		enum st_kind k = lhs->kind == EX_CT ? ST_CT_SET :
				 lhs->kind == EX_META ? ST_META_SET : ST_PAYLOAD_SET;
		struct stmt *s = st_new(p, k, &lhs->loc);
		if (!s)
			return NULL;
		if (lhs->kind != EX_META && lhs->kind != EX_CT && lhs->kind != EX_PAYLOAD &&
		    lhs->kind != EX_EXTHDR) {
			err_at(p, &lhs->loc, "unsupported set statement");
			return NULL;
		}
		s->set.left = lhs;
		struct ex *src = parse_lhs(p);
		if (!src && p->failed)
			return NULL;
		s->set.right = src ? src : parse_rhs(p);
		if (s->set.right && (is(p, "map") || is(p, "vmap"))) {
			next(p);
			struct ex *m = parse_value(p), *mx;
			if (!m || !(mx = ex_new(p, EX_MAP, &s->set.right->loc)))
				return NULL;
			mx->a = s->set.right;
			mx->b = m;
			s->set.right = mx;
		}
		/* meta secmark set: from ct secmark a meta set, else a secmark
		 * object by name or through an object map */
		if (s->set.right && lhs->kind == EX_META && lhs->sk.key->key == NFT_META_SECMARK &&
		    s->set.right->kind != EX_CT)
			return secmark_objref(p, s) ? s : NULL;
		return s->set.right ? s : NULL;
	}
	return parse_match(p, lhs);
}

/* Statements up to the end of the rule.  The rule's text ends at a
 * newline, ';' or '}' (which is left for the caller). */
static struct rule *parse_rule(P *p)
{
	struct rule *r = nfk_arena_alloc(p->ar, sizeof(*r));
	struct stmt **tail;

	if (!r)
		return NULL;
	r->loc = p->tok.loc;
	tail = &r->stmts;
	while (!at_end_of_stmt(p)) {
		if (accept_word(p, "comment")) {
			if (!(r->comment = ident(p, "quoted string")))
				return NULL;
			continue;
		}
		struct stmt *s = parse_stmt(p);
		if (!s)
			return NULL;
		*tail = s;
		tail = &s->next;
		/* the rule's location spans its statements */
		if (s->loc.line == r->loc.line)
			loc_span(&r->loc, &s->loc);
	}
	if (!r->stmts) {
		unexpected(p, NULL);
		return NULL;
	}
	loc_span(&r->loc, &p->prev);
	return r;
}

/* ---- blocks ------------------------------------------------------------- */

static bool end_sep(P *p, const char *expecting)
{
	if (p->tok.kind == T_NL || p->tok.kind == ';') {
		next(p);
		return true;
	}
	if (p->tok.kind == '}')
		return true;
	unexpected(p, expecting);
	return false;
}

static bool end_item(P *p)
{
	return end_sep(p, "newline or semicolon");
}

/* nft's grammar ends every item of a table, chain, set or map block with a
 * newline or ';' ("chain c { accept }" is a syntax error at its '}'), and
 * its recovery throws that '}' away with the rest of the line: the block
 * stays open, and what follows is read as nft reads it.  The caller
 * recovers (recover()) at the block's depth. */
static bool end_strict(P *p, const char *expecting)
{
	if (p->tok.kind == T_NL || p->tok.kind == ';') {
		next(p);
		return true;
	}
	unexpected(p, expecting);
	if (p->tok.kind == '}') {
		next(p);
		p->depth++;
	}
	return false;
}

#define NL_SEMI "newline or semicolon"

static void skip_seps(P *p)
{
	while (p->tok.kind == T_NL || p->tok.kind == ';')
		next(p);
}

/* Records the text between '{' and the matching '}' without parsing it. */
static bool capture_block(P *p, struct elem_src *es)
{
	if (p->tok.kind != '{') {
		unexpected(p, "'{'");
		return false;
	}
	/* the lexer is positioned right after '{' unless we peeked */
	if (p->has_la) {
		err_at(p, &p->tok.loc, "internal parser error");
		return false;
	}
	es->src = p->lx.src;
	es->pos = p->lx.pos;
	es->line = p->lx.line;
	es->col = p->lx.col;
	es->line_start = p->lx.line_start;
	long close = nfk_lex_skip_block(&p->lx);
	p->depth--;   /* the block's '}' never becomes a token */
	if (close < 0) {
		nfk_lex_next(&p->lx, &p->tok);
		unexpected(p, "'}'");
		return false;
	}
	es->end = (size_t)close;
	next(p);
	return true;
}

/* An element block, or a variable holding one ("define bl = { ... }",
 * "elements = $bl"): the block is captured where the define wrote it, so
 * it is still parsed as a stream, and its errors point there. */
static bool capture_elems(P *p, struct elem_src *es)
{
	if (p->tok.kind != T_VAR)
		return capture_block(p, es);
	const struct ex *v = lookup_define(p, &p->tok);
	if (!v)
		return false;
	if (v->kind != EX_SET || !v->loc.src) {
		err_at(p, &p->tok.loc, "variable '%.*s' is not a set", (int)p->tok.len - 1,
		       p->tok.s + 1);
		return false;
	}
	struct nfk_lexer lx;
	nfk_lex_init(&lx, v->loc.src);
	lx.pos = v->loc.offset + 1;   /* after the define's '{' */
	lx.line = v->loc.line;
	lx.col = v->loc.col + 1;
	lx.line_start = v->loc.offset + 1 - v->loc.col;
	es->src = lx.src;
	es->pos = lx.pos;
	es->line = lx.line;
	es->col = lx.col;
	es->line_start = lx.line_start;
	long close = nfk_lex_skip_block(&lx);
	if (close < 0) {
		err_at(p, &p->tok.loc, "internal parser error");
		return false;
	}
	es->end = (size_t)close;
	next(p);
	return true;
}

static bool parse_flag_list(P *p, const struct nfk_sym *syms, uint32_t *flags)
{
	do {
		bool ok = false;
		for (const struct nfk_sym *s = syms; s->name; s++)
			if (accept_word(p, s->name)) {
				*flags |= s->value;
				ok = true;
				break;
			}
		if (!ok) {
			unexpected(p, NULL);
			return false;
		}
	} while (accept_kind(p, ','));
	return true;
}

static const struct nfk_sym set_flag_syms[] = {
	{ "constant", NFT_SET_CONSTANT }, { "interval", NFT_SET_INTERVAL },
	{ "timeout", NFT_SET_TIMEOUT }, { "dynamic", NFT_SET_EVAL }, { NULL, 0 },
};

/* type a . b [: c] */
static bool parse_set_type(P *p, struct set_decl *s)
{
	s->key_loc = p->tok.loc;
	do {
		if (s->nkey >= 16) {
			err_at(p, &p->tok.loc, "too many concatenated types");
			return false;
		}
		if (!(s->key_types[s->nkey++] = ident(p, "string")))
			return false;
	} while (accept_kind(p, '.'));
	if (accept_kind(p, ':')) {
		if (!s->is_map) {
			err_at(p, &s->key_loc, "set definition with data type: use map");
			return false;
		}
		/* nat maps: "interval T" holds ranges, "T1 . T2" an address
		 * and a port */
		s->data_interval = accept_word(p, "interval");
		do {
			if (s->ndata >= 4) {
				err_at(p, &p->tok.loc, "too many concatenated types");
				return false;
			}
			if (!(s->data_types[s->ndata++] = ident(p, "string")))
				return false;
		} while (accept_kind(p, '.'));
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
	if (accept_word(p, "type")) {
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
	} else if (is(p, "typeof")) {
		next(p);
		s->key_loc = p->tok.loc;
		if (!(s->typeof_key = parse_lhs(p)))
			return p->failed ? false : (unexpected(p, NULL), false);
		if (accept_kind(p, ':')) {
			if (!s->is_map) {
				err_at(p, &s->key_loc, "set definition with data type: use map");
				return false;
			}
			s->data_interval = accept_word(p, "interval");
			if (is(p, "verdict")) {
				if (!(s->typeof_data = ex_new(p, EX_VERDICT, &p->tok.loc)))
					return false;
				next(p);
			} else if (!(s->typeof_data = parse_lhs(p))) {
				return p->failed ? false : (unexpected(p, NULL), false);
			}
		} else {
			exp = NL_SEMI " or .";
		}
	} else if (accept_word(p, "flags")) {
		if (!parse_flag_list(p, set_flag_syms, &s->flags))
			return false;
		exp = NL_SEMI " or comma";
	} else if (accept_word(p, "timeout")) {
		if (!time_arg(p, &s->timeout))
			return false;
		s->flags |= NFT_SET_TIMEOUT;
	} else if (accept_word(p, "gc-interval")) {
		if (!time_arg(p, &s->gc_interval))
			return false;
	} else if (accept_word(p, "size")) {
		if (!number(p, &v))
			return false;
		s->size = v;
	} else if (accept_word(p, "policy")) {
		if (accept_word(p, "performance"))
			s->policy = NFT_SET_POL_PERFORMANCE;
		else if (accept_word(p, "memory"))
			s->policy = NFT_SET_POL_MEMORY;
		else
			return unexpected(p, NULL), false;
	} else if (accept_word(p, "comment")) {
		if (!(s->comment = ident(p, "quoted string")))
			return false;
	} else if (accept_word(p, "auto-merge")) {
		s->automerge = true;
	} else if (accept_word(p, "elements")) {
		if (!expect(p, '=', "'='"))
			return false;
		if (!capture_elems(p, &s->elems))
			return false;
		s->has_elems = true;
		exp = NULL;     /* the element block's '}' may end the set */
	} else {
		unexpected(p, NULL);
		return false;
	}
	return exp ? end_strict(p, exp) : end_item(p);
}

static bool parse_set_body(P *p, struct set_decl *s)
{
	int depth = p->depth;

	if (!expect(p, '{', "'{'"))
		return false;
	skip_seps(p);
	while (p->tok.kind != '}') {
		if (!set_item(p, s) && !recover(p, depth))
			return false;
		skip_seps(p);
	}
	next(p);
	if (!s->nkey && !s->typeof_key) {
		err_at(p, &s->loc, "set definition does not specify key");
		return false;
	}
	return true;
}

static int priority_value(const char *s, int *out);

static bool parse_chain_spec(P *p, struct chain_decl *c)
{
	c->base = true;
	if (!(c->type = ident(p, "string")))
		return false;
	if (!accept_word(p, "hook"))
		return unexpected(p, "hook"), false;
	c->hook_loc = p->tok.loc;
	if (!(c->hook = ident(p, "string")))
		return false;
	if (accept_word(p, "device")) {
		struct nfk_loc dl = p->tok.loc;
		c->ndev = 0;    /* a chain spec given again replaces the device */
		if (!(c->devices[c->ndev++] = ident(p, "string")) ||
		    !devname_ok(p, c->devices[c->ndev - 1], &dl))
			return false;
	}
	if (!accept_word(p, "priority"))
		return unexpected(p, "priority"), false;
	/* priority: number, or a standard name with an optional +/- offset */
	c->prio_loc = p->tok.loc;
	if (p->tok.kind == '-') {
		next(p);
		uint64_t v;
		if (!number(p, &v))
			return false;
		c->prio_text = nfk_arena_strndup(p->ar, "-", 1);
		c->prio_offset = -(int)v;
		c->prio_text = NULL;
		return true;
	}
	if (p->tok.kind == T_VAR) {
		struct ex *v = lookup_define(p, &p->tok);
		if (!v)
			return false;
		c->prio_text = v->s;
		next(p);
	} else if (!(c->prio_text = ident(p, "string"))) {
		return false;
	}
	if (p->tok.kind == '+' || p->tok.kind == '-') {
		int sign = p->tok.kind == '+' ? 1 : -1;
		next(p);
		uint64_t v;
		if (!number(p, &v))
			return false;
		c->prio_offset = sign * (int)v;
	}
	(void)priority_value;
	return true;
}

static int priority_value(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 0);
	if (*end)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* One item of a chain block, with its separator. */
static bool chain_item(P *p, struct chain_decl *c)
{
	if (is(p, "type") && peek(p)->kind == T_WORD) {
		next(p);
		if (!parse_chain_spec(p, c))
			return false;
	} else if (is(p, "policy") && peek(p)->kind == T_WORD) {
		next(p);
		if (accept_word(p, "accept"))
			c->policy = NF_ACCEPT;
		else if (accept_word(p, "drop"))
			c->policy = NF_DROP;
		else
			return unexpected(p, NULL), false;
	} else if (is(p, "comment") && peek(p)->kind == T_STRING) {
		next(p);
		c->comment = ident(p, "quoted string");
	} else if (is(p, "devices") && peek(p)->kind == '=') {
		next(p);
		next(p);
		struct ex *d = parse_value(p);
		if (!d)
			return false;
		c->ndev = 0;    /* "devices = ..." given again replaces the list */
		if (d->kind == EX_SET) {
			for (size_t i = 0; i < d->n && c->ndev < 16; i++)
				if (!devname_ok(p, c->devices[c->ndev++] = d->v[i]->s, &d->v[i]->loc))
					return false;
		} else if (!devname_ok(p, c->devices[c->ndev++] = d->s, &d->loc)) {
			return false;
		}
	} else {
		struct rule *r = parse_rule(p);
		if (!r)
			return false;
		*c->rules_tail = r;
		c->rules_tail = &r->next;
	}
	return end_strict(p, NL_SEMI);
}

static bool parse_chain_body(P *p, struct chain_decl *c)
{
	int depth = p->depth;

	if (!expect(p, '{', "'{'"))
		return false;
	skip_seps(p);
	while (p->tok.kind != '}') {
		/* an error in an item is nft's: recover at the end of its line */
		if (!chain_item(p, c) && !recover(p, depth))
			return false;
		skip_seps(p);
	}
	next(p);
	return true;
}

static bool parse_flowtable_body(P *p, struct flowtable_decl *f)
{
	if (!expect(p, '{', "'{'"))
		return false;
	skip_seps(p);
	while (p->tok.kind != '}') {
		if (accept_word(p, "hook")) {
			f->hook_loc = p->tok.loc;
			if (!(f->hook = ident(p, "string")))
				return false;
			if (accept_word(p, "priority")) {
				f->prio_loc = p->tok.loc;
				if (p->tok.kind == '-') {
					uint64_t v;
					next(p);
					if (!number(p, &v))
						return false;
					f->prio_offset = -(int)v;
				} else {
					if (!(f->prio_text = ident(p, "string")))
						return false;
					if (p->tok.kind == '+' || p->tok.kind == '-') {
						int sign = p->tok.kind == '+' ? 1 : -1;
						uint64_t v;
						next(p);
						if (!number(p, &v))
							return false;
						f->prio_offset = sign * (int)v;
					}
				}
			}
		} else if (accept_word(p, "devices")) {
			if (!expect(p, '=', "'='"))
				return false;
			struct ex *d = parse_value(p);
			if (!d)
				return false;
			if (d->kind == EX_SET) {
				for (size_t i = 0; i < d->n && f->ndev < 64; i++)
					if (!devname_ok(p, f->devices[f->ndev++] = d->v[i]->s,
							&d->v[i]->loc))
						return false;
			} else if (f->ndev < 64 &&
				   !devname_ok(p, f->devices[f->ndev++] = d->s, &d->loc)) {
				return false;
			}
		} else if (accept_word(p, "flags")) {
			do {
				if (accept_word(p, "offload"))
					f->flags |= NFT_FLOWTABLE_HW_OFFLOAD;
				else if (accept_word(p, "counter"))
					f->flags |= NFT_FLOWTABLE_COUNTER;
				else
					return unexpected(p, NULL), false;
			} while (accept_kind(p, ','));
		} else if (accept_word(p, "counter")) {
			f->flags |= NFT_FLOWTABLE_COUNTER;
		} else {
			return unexpected(p, NULL), false;
		}
		if (!end_item(p))
			return false;
		skip_seps(p);
	}
	next(p);
	return true;
}

static struct chain_decl *chain_new(P *p, const struct nfk_loc *loc)
{
	struct chain_decl *c = nfk_arena_alloc(p->ar, sizeof(*c));

	if (!c)
		return NULL;
	c->loc = *loc;
	c->policy = -1;
	c->rules_tail = &c->rules;
	return c;
}

static struct set_decl *set_new(P *p, const struct nfk_loc *loc, bool is_map)
{
	struct set_decl *s = nfk_arena_alloc(p->ar, sizeof(*s));

	if (!s)
		return NULL;
	s->loc = *loc;
	s->is_map = is_map;
	s->policy = -1;
	return s;
}

static bool l3proto_arg(P *p, unsigned *l3proto)
{
	char w[16];
	int f = -1;

	if (p->tok.kind == T_WORD && p->tok.len < sizeof(w)) {
		nfk_tok_copy(w, sizeof(w), &p->tok);
		f = nfk_family_by_name(w);
	}
	if (f < 0)
		return unexpected(p, NULL), false;
	*l3proto = (unsigned)f;
	next(p);
	return true;
}

static bool l4proto_arg(P *p, unsigned *l4proto)
{
	if (accept_word(p, "tcp"))
		*l4proto = IPPROTO_TCP;
	else if (accept_word(p, "udp"))
		*l4proto = IPPROTO_UDP;
	else
		return unexpected(p, "udp or tcp"), false;
	return true;
}

/* counter/quota/limit object bodies: { packets N bytes M } etc. */
/* One item of a ct helper block, with its separator ("type ... protocol
 * ...", "l3proto ..."). */
static bool helper_item(P *p, struct obj_decl *o, bool braces)
{
	if (accept_word(p, "type")) {
		struct nfk_loc hl = p->tok.loc;
		if (!(o->helper = ident(p, "quoted string")))
			return false;
		/* the kernel's helper names hold 16 bytes with the NUL;
		 * nft's message ends in a newline of its own */
		if (strlen(o->helper) >= 16) {
			err_at(p, &hl, "invalid name '%s', max length is 16\n", o->helper);
			return false;
		}
		if (!accept_word(p, "protocol"))
			return unexpected(p, "protocol"), false;
		if (!l4proto_arg(p, &o->l4proto))
			return false;
	} else if (accept_word(p, "l3proto")) {
		if (!l3proto_arg(p, &o->l3proto))
			return false;
	} else {
		return unexpected(p, NULL), false;
	}
	return !braces || end_strict(p, NL_SEMI);
}

static bool parse_obj_body(P *p, struct obj_decl *o, bool braces)
{
	int depth = p->depth;

	if (braces) {
		if (!expect(p, '{', "'{'"))
			return false;
		skip_seps(p);
	}
	while (!(braces ? p->tok.kind == '}' : at_end_of_stmt(p))) {
		if (o->kind == NFK_OBJ_COUNTER && accept_word(p, "packets")) {
			if (!number(p, &o->counter.packets) || !accept_word(p, "bytes") ||
			    !number(p, &o->counter.bytes))
				return p->failed ? false : (unexpected(p, NULL), false);
		} else if (accept_word(p, "comment")) {
			if (!(o->comment = ident(p, "quoted string")))
				return false;
		} else if (o->kind == NFK_OBJ_CT_HELPER) {
			/* the block recovers from an error as a chain does */
			if (!helper_item(p, o, braces) && !(braces && recover(p, depth)))
				return false;
		} else if (o->kind == NFK_OBJ_QUOTA) {
			if (!quota_args(p, &o->quota))
				return false;
		} else if (o->kind == NFK_OBJ_LIMIT && accept_word(p, "rate")) {
			if (!limit_args(p, &o->limit))
				return false;
		} else {
			unexpected(p, NULL);
			return false;
		}
		if (braces)
			skip_seps(p);
	}
	if (braces)
		next(p);
	return true;
}

/* ---- ct timeout, ct expectation and synproxy objects ----------------------
 * Their blocks follow nft's grammar closely: most items must end with a
 * newline or ';', a syntax error skips to the next one and the block goes
 * on, and the checks nft makes when the block is complete report their
 * errors without stopping the parse. */

/* A ct timeout policy entry, checked against the protocol at the end of
 * the block (nft allows "policy" before "protocol"). */
struct ct_pol {
	const char *state;
	struct nfk_loc loc;
	uint32_t secs;
	struct ct_pol *next;
};

struct objblk {
	struct obj_decl *o;
	struct nfk_loc kw_loc;        /* the current item's keyword */
	struct ct_pol *pol, **pol_tail;
	bool abandon;                 /* the error ends the block, not just the item */
};

/* An error nft reports from a grammar action: the parse goes on. */
static void err_soft(P *p, const struct nfk_loc *loc, const char *msg)
{
	nfk_diag_add(p->ds, loc, "%s", msg);
	p->any_failed = true;
}

/* True at the end of command-line input, which nft ends with a newline of
 * its own: that newline may still separate items there. */
static bool at_cli_end(P *p)
{
	return p->tok.kind == T_EOF && p->tok.loc.src && !p->tok.loc.src->name;
}

/* "unexpected end of file" where nft puts it: at the end of a file, or in
 * the first column of command-line input. */
static void unexpected_eof(P *p, const char *expecting)
{
	struct nfk_loc l = p->tok.loc;

	p->eof_said = true;
	if (at_cli_end(p)) {
		l.offset -= l.col - 1;
		l.col = l.col_end = 1;
	}
	if (expecting)
		err_at(p, &l, "syntax error, unexpected end of file, expecting %s", expecting);
	else
		err_at(p, &l, "syntax error, unexpected end of file");
}

/* nft's recovery inside these blocks: skip to the next newline or ';',
 * braces included (a '}' skipped on the way does not close the block). */
static bool obj_recover(P *p)
{
	if (!p->failed || ++p->sc->nerrs >= 10)
		return false;
	p->any_failed = true;
	p->failed = false;
	while (p->tok.kind != T_NL && p->tok.kind != ';') {
		if (p->tok.kind == T_EOF) {
			unexpected_eof(p, NULL);
			return false;
		}
		next(p);
	}
	next(p);
	return true;
}

static bool obj_sep(P *p)
{
	if (p->tok.kind == T_NL || p->tok.kind == ';') {
		next(p);
		return true;
	}
	if (at_cli_end(p))
		return true;
	unexpected(p, "newline or semicolon");
	return false;
}

static bool item_l3proto(P *p, struct objblk *k)
{
	return l3proto_arg(p, &k->o->l3proto);
}

static bool item_l4proto(P *p, struct objblk *k)
{
	return l4proto_arg(p, &k->o->l4proto);
}

/* policy = { state : seconds, ... } */
static bool item_policy(P *p, struct objblk *k)
{
	if (!expect(p, '=', "'='") || !expect(p, '{', "'{'"))
		return false;
	do {
		struct ct_pol *e;
		uint64_t v;

		if (p->tok.kind != T_WORD || isdigit((unsigned char)p->tok.s[0]))
			return unexpected(p, "string"), false;
		if (!(e = nfk_arena_alloc(p->ar, sizeof(*e))))
			return err_at(p, &p->tok.loc, "out of memory"), false;
		e->loc = p->tok.loc;
		e->state = tokdup(p, &p->tok);
		next(p);
		if (!expect(p, ':', "colon") || !number(p, &v))
			return false;
		e->secs = (uint32_t)v;   /* nft keeps the low 32 bits */
		*k->pol_tail = e;
		k->pol_tail = &e->next;
	} while (accept_kind(p, ','));
	return expect(p, '}', "comma or '}'");
}

static bool item_dport(P *p, struct objblk *k)
{
	uint64_t v;

	if (!number(p, &v))
		return false;
	k->o->expect.dport = (uint16_t)v;
	return true;
}

static bool item_size(P *p, struct objblk *k)
{
	uint64_t v;

	if (!number(p, &v))
		return false;
	k->o->expect.size = (uint8_t)v;
	return true;
}

/* A time string: "2m", "1h30s".  nft's scanner reads a bare number, or
 * the digits before a unit it does not know, as a number. */
static bool item_exp_timeout(P *p, struct objblk *k)
{
	char buf[64];
	uint64_t ms;
	uint32_t digits = 0;

	if (p->tok.kind != T_WORD)
		return unexpected(p, "string"), false;
	while (digits < p->tok.len && isdigit((unsigned char)p->tok.s[digits]))
		digits++;
	if (digits == p->tok.len)
		return unexpected(p, "string"), false;
	nfk_tok_copy(buf, sizeof(buf), &p->tok);
	if (p->tok.len >= sizeof(buf) || nfk_time_parse(buf, &ms, NULL, 0)) {
		if (!digits)
			return err_at(p, &p->tok.loc, "wrong time format"), false;
		struct nfk_loc l = p->tok.loc;
		l.col_end = l.col + digits - 1;
		err_at(p, &l, "syntax error, unexpected number, expecting string");
		return false;
	}
	k->o->expect.timeout = (uint32_t)ms;
	next(p);
	return true;
}

/* mss N wscale N [timestamp] [sack-perm], or with mss and wscale as items
 * of their own: mss N; wscale N; [timestamp] [sack-perm] */
static bool synproxy_config(P *p, struct obj_decl *o)
{
	uint64_t mss, ws;

	if (!number(p, &mss))
		return false;
	bool sep = accept_kind(p, T_NL) || accept_kind(p, ';') || at_cli_end(p);
	if (!is(p, "wscale")) {
		if (at_cli_end(p))
			return unexpected_eof(p, "wscale"), false;
		return unexpected(p, "wscale"), false;
	}
	next(p);
	if (!number(p, &ws) || (sep && !obj_sep(p)))
		return false;
	o->synproxy.mss = (uint16_t)mss;
	o->synproxy.wscale = (uint8_t)ws;
	o->synproxy.flags = NF_SYNPROXY_OPT_MSS | NF_SYNPROXY_OPT_WSCALE;
	if (accept_word(p, "timestamp"))
		o->synproxy.flags |= NF_SYNPROXY_OPT_TIMESTAMP;
	if (accept_word(p, "sack-perm"))
		o->synproxy.flags |= NF_SYNPROXY_OPT_SACK_PERM;
	return true;
}

static bool item_synproxy(P *p, struct objblk *k)
{
	return synproxy_config(p, k->o);
}

static bool item_comment(P *p, struct objblk *k)
{
	const char *c = ident(p, "quoted string");

	if (!c)
		return false;
	if (k->o->comment) {
		struct nfk_loc l = k->kw_loc;
		loc_span(&l, &p->prev);
		err_at(p, &l, "You can only specify this once. This statement is duplicated.");
		k->abandon = true;
		return false;
	}
	k->o->comment = c;
	return true;
}

#define OBJ_BIT(kind) (1u << NFK_OBJ_##kind)
static const struct obj_item {
	const char *word;
	uint32_t kinds;               /* OBJ_BIT()s of the objects that have it */
	bool sep;                     /* a newline or ';' must follow */
	bool (*parse)(P *p, struct objblk *k);
} obj_items[] = {
	{ "protocol", OBJ_BIT(CT_TIMEOUT) | OBJ_BIT(CT_EXPECT), true, item_l4proto },
	{ "policy", OBJ_BIT(CT_TIMEOUT), true, item_policy },
	{ "l3proto", OBJ_BIT(CT_TIMEOUT) | OBJ_BIT(CT_EXPECT), true, item_l3proto },
	{ "dport", OBJ_BIT(CT_EXPECT), true, item_dport },
	{ "timeout", OBJ_BIT(CT_EXPECT), true, item_exp_timeout },
	{ "size", OBJ_BIT(CT_EXPECT), true, item_size },
	{ "mss", OBJ_BIT(SYNPROXY), false, item_synproxy },
	{ "comment", OBJ_BIT(CT_TIMEOUT) | OBJ_BIT(CT_EXPECT) | OBJ_BIT(SYNPROXY), false,
	  item_comment },
};

static bool objblk_item(P *p, struct objblk *k)
{
	k->kw_loc = p->tok.loc;
	for (size_t i = 0; i < sizeof(obj_items) / sizeof(obj_items[0]); i++) {
		const struct obj_item *it = &obj_items[i];
		if (!(it->kinds & (1u << k->o->kind)) || !accept_word(p, it->word))
			continue;
		return it->parse(p, k) && (!it->sep || obj_sep(p));
	}
	unexpected(p, NULL);
	return false;
}

/* nft's checks once the block is read: the timeout policy's states against
 * the protocol (then the defaults for the others), and the expectation's
 * mandatory fields, reported at the object's name. */
static void objblk_finish(P *p, struct objblk *k, const struct nfk_loc *name_loc)
{
	struct obj_decl *o = k->o;

	if (o->kind == NFK_OBJ_CT_TIMEOUT) {
		const struct nfk_ct_timeout_proto *pr = nfk_ct_timeout_proto(o->l4proto);
		o->timeout.n = pr ? pr->nstates : 0;
		for (unsigned i = 1; i <= o->timeout.n; i++)
			o->timeout.secs[i] = pr->dflt[i];
		for (const struct ct_pol *e = k->pol; e; e = e->next) {
			unsigned attr = nfk_ct_timeout_state(pr, e->state);
			if (!attr) {
				err_soft(p, &e->loc, "invalid state for this protocol");
				break;
			}
			o->timeout.secs[attr] = e->secs;
		}
	} else if (o->kind == NFK_OBJ_CT_EXPECT &&
		   (!o->l4proto || !o->expect.dport || !o->expect.timeout || !o->expect.size)) {
		/* nft's location: the (empty) spot right after the name */
		struct nfk_loc l = *name_loc;
		l.offset += l.col_end - l.col;
		l.col = l.col_end;
		err_soft(p, &l, "missing options");
	}
}

/* The { ... } block of a ct timeout, ct expectation or synproxy object. */
static bool parse_objblk(P *p, struct obj_decl *o, const struct nfk_loc *name_loc)
{
	struct objblk k = { .o = o };

	k.pol_tail = &k.pol;
	if (!expect(p, '{', "'{'"))
		return false;
	for (;;) {
		skip_seps(p);
		if (p->tok.kind == '}')
			break;
		if (p->tok.kind == T_EOF)
			return unexpected_eof(p, NULL), false;
		if (!objblk_item(p, &k) && !obj_recover(p))
			return false;
		/* nft gives up the whole command after a duplicated item: what
		 * follows its end is out of place */
		if (k.abandon) {
			if (!at_cli_end(p) && p->tok.loc.line == k.kw_loc.line)
				unexpected(p, NULL);
			return false;
		}
	}
	next(p);
	objblk_finish(p, &k, name_loc);
	return true;
}

/* A secmark object's security context, as nft takes it: any string, at
 * most 255 bytes. */
static bool secmark_ctx(P *p, struct obj_decl *o)
{
	struct nfk_loc l = p->tok.loc;
	uint64_t n;
	/* a number is no string to nft's grammar */
	if (parse_u64(&p->tok, &n))
		return unexpected(p, NULL), false;
	const char *s = ident(p, "string or quoted string or string with a trailing asterisk or '{'");

	if (!s)
		return false;
	if (strlen(s) >= 256) {
		/* nft's message ends in a newline of its own */
		err_at(p, &l, "invalid context '%s', max length is 256\n", s);
		return false;
	}
	o->secctx = s;
	return true;
}

/* secmark NAME { CONTEXT } (the last context given counts, none sends an
 * empty one; a comment may go with it), or in a command the bare context. */
static bool parse_secmark_body(P *p, struct obj_decl *o, bool cmd)
{
	o->secctx = "";
	if (cmd && p->tok.kind != '{')
		return secmark_ctx(p, o);
	if (!expect(p, '{', "'{'"))
		return false;
	for (;;) {
		skip_seps(p);
		if (p->tok.kind == '}')
			break;
		if (p->tok.kind == T_EOF)
			return unexpected_eof(p, NULL), false;
		if (accept_word(p, "comment")) {
			if (!(o->comment = ident(p, "quoted string")) && !obj_recover(p))
				return false;
		} else if (!secmark_ctx(p, o) && !obj_recover(p)) {
			return false;
		}
	}
	next(p);
	return true;
}

/* Any object's body after its name; `synproxy` commands may give the
 * configuration without braces. */
static bool parse_any_obj_body(P *p, struct obj_decl *o, const struct nfk_loc *name_loc,
			       bool cmd)
{
	switch (o->kind) {
	case NFK_OBJ_SYNPROXY:
		if (cmd && p->tok.kind != '{') {
			if (!accept_word(p, "mss")) {
				unexpected(p, "mss or '{'");
				return false;
			}
			return synproxy_config(p, o);
		}
		/* fall through */
	case NFK_OBJ_CT_TIMEOUT:
	case NFK_OBJ_CT_EXPECT:
		return parse_objblk(p, o, name_loc);
	case NFK_OBJ_CT_HELPER:
		return parse_obj_body(p, o, true);
	case NFK_OBJ_SECMARK:
		return parse_secmark_body(p, o, cmd);
	default:
		return parse_obj_body(p, o, !cmd || p->tok.kind == '{');
	}
}

/* "ct helper|timeout|expectation|helpers": the object kind of the word
 * after "ct", or -1. */
static int ct_obj_kind(const struct nfk_tok *t)
{
	static const struct { const char *w; enum nfk_obj_kind kind; } words[] = {
		{ "helper", NFK_OBJ_CT_HELPER }, { "timeout", NFK_OBJ_CT_TIMEOUT },
		{ "expectation", NFK_OBJ_CT_EXPECT }, { "helpers", NFK_OBJ_CT_HELPERS },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (nfk_tok_is(t, words[i].w))
			return (int)words[i].kind;
	return -1;
}

static const struct { const char *w; enum nfk_obj_kind kind; } obj_words[] = {
	{ "counter", NFK_OBJ_COUNTER }, { "quota", NFK_OBJ_QUOTA }, { "limit", NFK_OBJ_LIMIT },
	{ "synproxy", NFK_OBJ_SYNPROXY }, { "secmark", NFK_OBJ_SECMARK },
};

static const struct nfk_sym table_flag_syms[] = {
	{ "dormant", NFT_TABLE_F_DORMANT }, { "owner", NFT_TABLE_F_OWNER }, { NULL, 0 },
};

/* One item of a table block with its separator: 1, or 0 after an error in
 * the item itself (recoverable, as nft), or -1 when a block inside it gave
 * up (it has reported its errors). */
static int table_item(P *p, struct table_decl *t)
{
	struct nfk_loc loc = p->tok.loc;
	bool done = false;
	if (accept_word(p, "chain")) {
		struct chain_decl *c = chain_new(p, &loc);
		if (c)
			c->name_loc = p->tok.loc;
		if (!c || !(c->name = ident(p, "string")))
			return 0;
		if (!parse_chain_body(p, c))
			return 0;
		*t->chains_tail = c;
		t->chains_tail = &c->next;
		done = true;
	} else if (is(p, "set") || is(p, "map")) {
		struct set_decl *s = set_new(p, &loc, is(p, "map"));
		next(p);
		if (!s || !(s->name = ident(p, "string")))
			return 0;
		if (!parse_set_body(p, s))
			return 0;
		*t->sets_tail = s;
		t->sets_tail = &s->next;
		done = true;
	} else if (accept_word(p, "flowtable")) {
		struct flowtable_decl *f = nfk_arena_alloc(p->ar, sizeof(*f));
		if (!f)
			return 0;
		f->loc = loc;
		if (!(f->name = ident(p, "string")))
			return 0;
		if (!parse_flowtable_body(p, f))
			return 0;
		*t->fts_tail = f;
		t->fts_tail = &f->next;
		done = true;
	} else if (is(p, "ct") && ct_obj_kind(peek(p)) >= 0 &&
		   ct_obj_kind(peek(p)) != NFK_OBJ_CT_HELPERS) {
		enum nfk_obj_kind kind = (enum nfk_obj_kind)ct_obj_kind(peek(p));
		next(p);
		next(p);
		struct obj_decl *o = nfk_arena_alloc(p->ar, sizeof(*o));
		if (!o)
			return 0;
		/* nft marks a kernel error about the object at its name */
		o->loc = p->tok.loc;
		o->kind = kind;
		if (!(o->name = ident(p, "string")))
			return 0;
		if (!parse_any_obj_body(p, o, &o->loc, false))
			return 0;
		*t->objs_tail = o;
		t->objs_tail = &o->next;
		done = true;
	} else if (accept_word(p, "flags")) {
		if (!parse_flag_list(p, table_flag_syms, &t->flags))
			return 0;
	} else if (accept_word(p, "comment")) {
		if (!(t->comment = ident(p, "quoted string")))
			return 0;
	} else {
		for (size_t i = 0; i < sizeof(obj_words) / sizeof(obj_words[0]); i++) {
			if (!is(p, obj_words[i].w))
				continue;
			next(p);
			struct obj_decl *o = nfk_arena_alloc(p->ar, sizeof(*o));
			if (!o)
				return 0;
			o->loc = loc;
			o->kind = obj_words[i].kind;
			struct nfk_loc name_loc = p->tok.loc;
			if (o->kind == NFK_OBJ_SYNPROXY || o->kind == NFK_OBJ_SECMARK)
				o->loc = name_loc;
			if (!(o->name = ident(p, "string")))
				return 0;
			if (!parse_any_obj_body(p, o, &name_loc, false))
				return 0;
			*t->objs_tail = o;
			t->objs_tail = &o->next;
			done = true;
			break;
		}
		if (!done) {
			unexpected(p, NULL);
			return 0;
		}
	}
	(void)done;
	return end_strict(p, NL_SEMI) ? 1 : 0;
}

static bool parse_table_body(P *p, struct table_decl *t)
{
	int depth = p->depth;

	if (!expect(p, '{', "'{'"))
		return false;
	skip_seps(p);
	while (p->tok.kind != '}') {
		if (!table_item(p, t) && !recover(p, depth))
			return false;
		skip_seps(p);
	}
	next(p);
	return true;
}

/* ---- commands ---------------------------------------------------------- */

static struct nfk_cmd *cmd_new(P *p, enum nfk_cmd_op op, enum nfk_obj_kind obj,
			       const struct nfk_loc *loc)
{
	struct nfk_script *sc = p->sc;

	if (sc->ncmds == sc->cap) {
		size_t nc = sc->cap ? sc->cap * 2 : 16;
		struct nfk_cmd *n = realloc(sc->cmds, nc * sizeof(*n));
		if (!n) {
			err_at(p, loc, "out of memory");
			return NULL;
		}
		sc->cmds = n;
		sc->cap = nc;
	}
	struct nfk_cmd *c = &sc->cmds[sc->ncmds++];
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->obj = obj;
	c->loc = *loc;
	c->h.loc = *loc;
	c->h.family = NFPROTO_IPV4;
	c->h.index = UINT32_MAX;
	c->body = nfk_arena_alloc(p->ar, sizeof(struct cmd_body));
	if (!c->body) {
		err_at(p, loc, "out of memory");
		return NULL;
	}
	return c;
}

static bool parse_family(P *p, int *family)
{
	char w[16];

	if (p->tok.kind != T_WORD || p->tok.len >= sizeof(w))
		return false;
	nfk_tok_copy(w, sizeof(w), &p->tok);
	int f = nfk_family_by_name(w);
	if (f < 0)
		return false;
	/* "ip" is both a family and a table name: a family only when a name follows */
	const struct nfk_tok *la = peek(p);
	if (la->kind != T_WORD && la->kind != T_STRING && la->kind != T_VAR)
		return false;
	*family = f;
	next(p);
	return true;
}

static const char *parse_name(P *p, const char *what)
{
	if (p->tok.kind == T_VAR) {
		struct ex *v = lookup_define(p, &p->tok);
		next(p);
		return v ? v->s : NULL;
	}
	return ident(p, what);
}

/* A name, remembering where it was written (errors about it point there). */
static const char *parse_name_at(P *p, const char *what, struct nfk_loc *at)
{
	*at = p->tok.loc;
	return parse_name(p, what);
}

/* A handle number, remembering where it was written. */
static bool handle_at(P *p, struct nfk_cmd *c)
{
	uint64_t v;

	c->h.handle_loc = p->tok.loc;
	if (!number(p, &v))
		return false;
	c->h.handle = v;
	return true;
}

/* [family] table */
static bool parse_table_ref(P *p, struct nfk_cmd *c)
{
	parse_family(p, &c->h.family);
	return (c->h.table = parse_name_at(p, "string", &c->h.table_loc)) != NULL;
}

static bool parse_rule_pos(P *p, struct nfk_cmd *c)
{
	uint64_t v;

	if (accept_word(p, "position")) {
		if (!number(p, &v))
			return false;
		c->h.position = v;
	} else if (accept_word(p, "index")) {
		if (!number(p, &v))
			return false;
		c->h.index = v;
		c->h.has_index = true;
	} else if (accept_word(p, "handle")) {
		if (!handle_at(p, c))
			return false;
		c->h.loc = c->h.handle_loc;   /* nft points at the handle when it is wrong */
	}
	return true;
}

static const struct { const char *w; enum nfk_cmd_op op; } cmd_words[] = {
	{ "add", NFK_CMD_ADD }, { "create", NFK_CMD_CREATE }, { "insert", NFK_CMD_INSERT },
	{ "replace", NFK_CMD_REPLACE }, { "delete", NFK_CMD_DELETE },
	{ "destroy", NFK_CMD_DESTROY }, { "flush", NFK_CMD_FLUSH }, { "list", NFK_CMD_LIST },
	{ "get", NFK_CMD_GET }, { "reset", NFK_CMD_RESET }, { "rename", NFK_CMD_RENAME },
	{ "describe", NFK_CMD_DESCRIBE }, { "monitor", NFK_CMD_MONITOR },
};

static const struct { const char *w; enum nfk_obj_kind kind; } obj_kinds[] = {
	{ "ruleset", NFK_OBJ_RULESET }, { "table", NFK_OBJ_TABLE }, { "chain", NFK_OBJ_CHAIN },
	{ "rule", NFK_OBJ_RULE }, { "set", NFK_OBJ_SET }, { "map", NFK_OBJ_MAP },
	{ "element", NFK_OBJ_ELEMENT }, { "counter", NFK_OBJ_COUNTER },
	{ "quota", NFK_OBJ_QUOTA }, { "limit", NFK_OBJ_LIMIT },
	{ "flowtable", NFK_OBJ_FLOWTABLE }, { "tables", NFK_OBJ_TABLES },
	{ "chains", NFK_OBJ_CHAINS }, { "sets", NFK_OBJ_SETS }, { "maps", NFK_OBJ_MAPS },
	{ "counters", NFK_OBJ_COUNTERS }, { "quotas", NFK_OBJ_QUOTAS },
	{ "limits", NFK_OBJ_LIMITS }, { "flowtables", NFK_OBJ_FLOWTABLES },
	{ "synproxy", NFK_OBJ_SYNPROXY }, { "synproxys", NFK_OBJ_SYNPROXYS },
	{ "secmark", NFK_OBJ_SECMARK }, { "secmarks", NFK_OBJ_SECMARKS },
};

static bool parse_command(P *p, enum nfk_cmd_op op, const struct nfk_loc *loc);

static bool parse_table_cmd_body(P *p, struct nfk_cmd *c, enum nfk_cmd_op op)
{
	struct cmd_body *b = c->body;

	switch (c->obj) {
	case NFK_OBJ_RULESET:
		parse_family(p, &c->h.family) || (c->h.family = -1);
		if (p->tok.kind == T_WORD) {
			char w[16];
			nfk_tok_copy(w, sizeof(w), &p->tok);
			if (nfk_family_by_name(w) >= 0) {
				c->h.family = nfk_family_by_name(w);
				next(p);
			}
		}
		return true;
	case NFK_OBJ_CT_HELPERS:
		/* nft knows "list ct helpers table [family] NAME" only */
		if (!accept_word(p, "table"))
			return unexpected(p, "table"), false;
		return parse_table_ref(p, c);
	case NFK_OBJ_TABLES: case NFK_OBJ_CHAINS: case NFK_OBJ_SETS: case NFK_OBJ_MAPS:
	case NFK_OBJ_COUNTERS: case NFK_OBJ_QUOTAS: case NFK_OBJ_LIMITS:
	case NFK_OBJ_FLOWTABLES: case NFK_OBJ_SYNPROXYS: case NFK_OBJ_SECMARKS:
		c->h.family = -1;
		if (p->tok.kind == T_WORD && !nfk_tok_is(&p->tok, "table")) {
			char w[16];
			nfk_tok_copy(w, sizeof(w), &p->tok);
			if (nfk_family_by_name(w) >= 0) {
				c->h.family = nfk_family_by_name(w);
				next(p);
			}
		}
		if (accept_word(p, "table")) {
			if (!parse_table_ref(p, c))
				return false;
		}
		return true;
	case NFK_OBJ_TABLE:
		if (!parse_table_ref(p, c))
			return false;
		if (op == NFK_CMD_DELETE && c->h.table && !strcmp(c->h.table, "handle")) {
			if (!handle_at(p, c))
				return false;
			c->h.table = NULL;
			c->h.table_loc = (struct nfk_loc){ 0 };
		}
		if (p->tok.kind == '{') {
			b->table = nfk_arena_alloc(p->ar, sizeof(*b->table));
			if (!b->table)
				return false;
			b->table->chains_tail = &b->table->chains;
			b->table->sets_tail = &b->table->sets;
			b->table->objs_tail = &b->table->objs;
			b->table->fts_tail = &b->table->fts;
			int saved = p->family;
			p->family = c->h.family;
			bool ok = parse_table_body(p, b->table);
			p->family = saved;
			return ok;
		}
		return true;
	case NFK_OBJ_CHAIN:
		if (!parse_table_ref(p, c))
			return false;
		if (accept_word(p, "handle"))
			return handle_at(p, c);
		if (!(c->h.chain = parse_name_at(p, "string", &c->h.chain_loc)))
			return false;
		if (op == NFK_CMD_RENAME) {
			return (b->newname = ident(p, "string")) != NULL;
		}
		if (p->tok.kind == '{') {
			b->chain = chain_new(p, &c->loc);
			if (!b->chain)
				return false;
			b->chain->name = c->h.chain;
			return parse_chain_body(p, b->chain);
		}
		return true;
	case NFK_OBJ_RULE:
		if (!parse_table_ref(p, c))
			return false;
		if (!(c->h.chain = parse_name_at(p, "string", &c->h.chain_loc)))
			return false;
		if (!parse_rule_pos(p, c))
			return false;
		if (op == NFK_CMD_DELETE || op == NFK_CMD_DESTROY || op == NFK_CMD_LIST ||
		    op == NFK_CMD_RESET || op == NFK_CMD_GET)
			return true;
		b->rule = parse_rule(p);
		return b->rule != NULL;
	case NFK_OBJ_SET:
	case NFK_OBJ_MAP:
		if (!parse_table_ref(p, c))
			return false;
		if (accept_word(p, "handle"))
			return handle_at(p, c);
		if (!(c->h.set = parse_name_at(p, "string", &c->h.set_loc)))
			return false;
		if (p->tok.kind == '{' && (op == NFK_CMD_ADD || op == NFK_CMD_CREATE)) {
			b->set = set_new(p, &c->loc, c->obj == NFK_OBJ_MAP);
			if (!b->set)
				return false;
			b->set->name = c->h.set;
			return parse_set_body(p, b->set);
		}
		return true;
	case NFK_OBJ_ELEMENT:
		if (!parse_table_ref(p, c))
			return false;
		if (!(c->h.set = parse_name_at(p, "string", &c->h.set_loc)))
			return false;
		if (p->tok.kind == '{' || p->tok.kind == T_VAR)
			return capture_elems(p, &b->elems);
		unexpected(p, "'{' or '$'");
		return false;
	case NFK_OBJ_COUNTER:
	case NFK_OBJ_QUOTA:
	case NFK_OBJ_LIMIT:
	case NFK_OBJ_SYNPROXY:
	case NFK_OBJ_SECMARK:
	case NFK_OBJ_CT_HELPER:
	case NFK_OBJ_CT_TIMEOUT:
	case NFK_OBJ_CT_EXPECT: {
		/* nft has no handle form for the ct objects */
		bool by_handle = c->obj != NFK_OBJ_CT_HELPER && c->obj != NFK_OBJ_CT_TIMEOUT &&
				 c->obj != NFK_OBJ_CT_EXPECT;
		if (!parse_table_ref(p, c))
			return false;
		if (by_handle && accept_word(p, "handle"))
			return handle_at(p, c);
		if (!(c->h.set = parse_name_at(p, "string", &c->h.set_loc)))
			return false;
		if (op == NFK_CMD_ADD || op == NFK_CMD_CREATE) {
			/* nft 1.0.6 creates synproxies from the inline form only */
			if (op == NFK_CMD_CREATE && c->obj == NFK_OBJ_SYNPROXY && p->tok.kind == '{')
				return unexpected(p, "mss"), false;
			b->obj = nfk_arena_alloc(p->ar, sizeof(*b->obj));
			if (!b->obj)
				return false;
			b->obj->loc = c->loc;
			b->obj->kind = c->obj;
			b->obj->name = c->h.set;
			return parse_any_obj_body(p, b->obj, &c->h.set_loc, true);
		}
		return true;
	}
	case NFK_OBJ_FLOWTABLE:
		if (!parse_table_ref(p, c))
			return false;
		if (accept_word(p, "handle"))
			return handle_at(p, c);
		if (!(c->h.set = parse_name_at(p, "string", &c->h.set_loc)))
			return false;
		if (p->tok.kind == '{' && (op == NFK_CMD_ADD || op == NFK_CMD_CREATE)) {
			b->ft = nfk_arena_alloc(p->ar, sizeof(*b->ft));
			if (!b->ft)
				return false;
			b->ft->loc = c->loc;
			b->ft->name = c->h.set;
			return parse_flowtable_body(p, b->ft);
		}
		return true;
	default:
		err_at(p, &c->loc, "unsupported command");
		return false;
	}
}

/* nft knows secmark objects after add, create, delete and list only; after
 * the other verbs its syntax error lists what that verb takes instead. */
static bool secmark_op_ok(P *p, enum nfk_cmd_op op)
{
	switch (op) {
	case NFK_CMD_ADD: case NFK_CMD_CREATE: case NFK_CMD_DELETE: case NFK_CMD_LIST:
		return true;
	case NFK_CMD_INSERT: case NFK_CMD_REPLACE:
		return unexpected(p, "rule"), false;
	case NFK_CMD_DESTROY:
		return unexpected(p, "string"), false;
	case NFK_CMD_GET:
		return unexpected(p, "element"), false;
	case NFK_CMD_RESET:
		return unexpected(p, "counter or counters or quotas or quota"), false;
	case NFK_CMD_RENAME:
		return unexpected(p, "chain"), false;
	default:
		return unexpected(p, NULL), false;
	}
}

static bool parse_command(P *p, enum nfk_cmd_op op, const struct nfk_loc *loc)
{
	int kind = -1;

	/* insert and replace take "rule" and nothing else, not even the short
	 * form add allows (the fuzzer's "insert counter" reached the compiler
	 * without an object) */
	if ((op == NFK_CMD_INSERT || op == NFK_CMD_REPLACE) && !is(p, "rule"))
		return unexpected(p, "rule"), false;
	if (accept_word(p, "ct")) {
		kind = ct_obj_kind(&p->tok);
		if (kind == NFK_OBJ_CT_HELPERS && op != NFK_CMD_LIST)
			kind = -1;
		if (kind < 0) {
			unexpected(p, op == NFK_CMD_LIST ? "timeout or expectation or helper or helpers" :
							   "timeout or expectation or helper");
			return false;
		}
		next(p);
	}
	if (kind < 0 && is(p, "secmark") && !secmark_op_ok(p, op))
		return false;
	for (size_t i = 0; kind < 0 && i < sizeof(obj_kinds) / sizeof(obj_kinds[0]); i++)
		if (accept_word(p, obj_kinds[i].w))
			kind = (int)obj_kinds[i].kind;
	if (kind >= 0) {
		struct nfk_cmd *c = cmd_new(p, op, (enum nfk_obj_kind)kind, loc);
		if (!c)
			return false;
		size_t idx = p->sc->ncmds - 1;
		bool ok = parse_table_cmd_body(p, c, op);
		/* the command spans to its last token on its first line */
		c = &p->sc->cmds[idx];
		loc_span(&c->loc, &p->prev);
		if (!c->h.handle)
			c->h.loc = c->loc;
		/* kernel errors about an object that name no attribute mark the
		 * whole command, and nft's span of it takes in the newline after */
		struct cmd_body *b = c->body;
		if (b->obj) {
			b->obj->loc = c->loc;
			b->obj->loc.col_end++;
		}
		return ok;
	}
	/* "add rule" may be written as just "add FAMILY TABLE CHAIN RULE" */
	if (op == NFK_CMD_ADD || op == NFK_CMD_INSERT) {
		struct nfk_cmd *c = cmd_new(p, op, NFK_OBJ_RULE, loc);
		return c && parse_table_cmd_body(p, c, op);
	}
	unexpected(p, NULL);
	return false;
}

static int parse_text(struct nfk_script *sc, const struct nfk_src *src, struct nfk_diags *ds);

/* Reads a whole file into a new source of the script. */
static const struct nfk_src *load_src(P *p, const char *path, const struct nfk_loc *loc)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, len = 0;

	if (!f) {
		err_at(p, loc, "Could not open file \"%s\": %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 65536) {
			char *n = realloc(text, cap + 65536 + 1);
			if (!n) {
				fclose(f);
				free(text);
				err_at(p, loc, "out of memory");
				return NULL;
			}
			text = n;
			cap += 65536;
		}
		size_t r = fread(text + len, 1, cap - len, f);
		if (!r)
			break;
		len += r;
	}
	fclose(f);
	text[len] = 0;
	struct nfk_src *src = calloc(1, sizeof(*src));
	if (!src || p->sc->nsrcs >= sizeof(p->sc->srcs) / sizeof(p->sc->srcs[0])) {
		free(src);
		free(text);
		err_at(p, loc, "too many include files");
		return NULL;
	}
	src->name = strdup(path);
	src->text = text;
	src->len = len;
	struct nfk_loc *from = nfk_arena_alloc(&p->sc->arena, sizeof(*from));
	if (from)
		*from = *loc;
	src->included_from = from;
	p->sc->srcs[p->sc->nsrcs++] = src;
	return src;
}

static bool include_one(P *p, const char *path, const struct nfk_loc *loc)
{
	const struct nfk_src *src = load_src(p, path, loc);

	if (!src)
		return false;
	p->sc->include_depth++;
	int ret = parse_text(p->sc, src, p->ds);
	p->sc->include_depth--;
	if (ret)
		p->failed = true;
	return ret == 0;
}

/* include "name": as nft, names starting with "/", "./" or "../" are
 * used as they are; others are searched in the include path only.
 * Wildcards include every match in order, and matching nothing is fine. */
static bool parse_include(P *p, const struct nfk_loc *kwloc)
{
	/* nft's default directory first, then the -I ones in order */
	static const char *const default_path = "/etc";
	const struct nfk_parse_opts *o = p->sc->opts;

	if (p->tok.kind != T_STRING)
		return unexpected(p, "quoted string"), false;
	struct nfk_loc loc = *kwloc;
	loc_span(&loc, &p->tok.loc);
	loc.col_end++;   /* nft's span of the statement ends after the newline */
	char *name = tokdup(p, &p->tok);
	next(p);
	if (p->sc->include_depth > 16) {
		err_at(p, &loc, "Include nested too deeply, max 16 levels");
		return false;
	}
	bool direct = name[0] == '/' || !strncmp(name, "./", 2) || !strncmp(name, "../", 3);
	bool wild = strpbrk(name, "*?[") != NULL;
	char path[4096];
	size_t ndirs = direct ? 1 : 1 + (o ? o->ninclude : 0);
	for (size_t i = 0; i < ndirs; i++) {
		if (direct)
			snprintf(path, sizeof(path), "%s", name);
		else
			snprintf(path, sizeof(path), "%s/%s", i ? o->include_paths[i - 1] : default_path,
				 name);
		if (wild) {
			glob_t g;
			int r = glob(path, 0, NULL, &g);
			if (r == GLOB_NOMATCH)
				continue;
			if (r) {
				err_at(p, &loc, "Failed to glob the pattern %s", name);
				return false;
			}
			bool ok = true;
			for (size_t j = 0; ok && j < g.gl_pathc; j++)
				ok = include_one(p, g.gl_pathv[j], &loc);
			globfree(&g);
			if (!ok)
				return false;
			continue;
		}
		if (!access(path, F_OK))
			return include_one(p, path, &loc);
	}
	if (wild)
		return true;
	err_at(p, &loc, "File not found: %s", name);
	return false;
}

static bool parse_define(P *p, bool redefine)
{
	if (p->tok.kind != T_WORD)
		return unexpected(p, "string"), false;
	struct define *d = nfk_arena_alloc(p->ar, sizeof(*d));
	if (!d)
		return false;
	d->name = tokdup(p, &p->tok);
	for (const struct define *o = p->sc->defines; o && !redefine; o = o->next)
		if (!strcmp(o->name, d->name)) {
			err_at(p, &p->tok.loc, "redefinition of symbol '%s'", d->name);
			return false;
		}
	next(p);
	if (!expect(p, '=', "'='"))
		return false;
	if (!(d->value = parse_rhs(p)))
		return false;
	d->next = p->sc->defines;
	p->sc->defines = d;
	return true;
}

static bool parse_line(P *p)
{
	struct nfk_loc loc = p->tok.loc;

	if (accept_word(p, "include"))
		return parse_include(p, &loc);
	if (accept_word(p, "define"))
		return parse_define(p, false);
	if (accept_word(p, "redefine"))
		return parse_define(p, true);
	for (size_t i = 0; i < sizeof(cmd_words) / sizeof(cmd_words[0]); i++)
		if (accept_word(p, cmd_words[i].w))
			return parse_command(p, cmd_words[i].op, &loc);
	/* file syntax: "table ..." and "chain ..." mean add */
	if (is(p, "table") || is(p, "chain") || is(p, "set") || is(p, "map") ||
	    is(p, "element") || is(p, "counter") || is(p, "quota") || is(p, "limit") ||
	    is(p, "flowtable") || is(p, "rule") || is(p, "ct") || is(p, "synproxy"))
		return parse_command(p, NFK_CMD_ADD, &loc);
	unexpected(p, NULL);
	return false;
}

static int parse_text(struct nfk_script *sc, const struct nfk_src *src, struct nfk_diags *ds)
{
	P p = { .sc = sc, .ds = ds, .ar = &sc->arena, .family = NFPROTO_IPV4 };

	nfk_lex_init(&p.lx, src);
	next(&p);
	for (;;) {
		skip_seps(&p);
		if (p.tok.kind == T_EOF)
			break;
		bool ok = parse_line(&p) && !p.failed &&
			  (p.tok.kind == T_EOF || end_sep(&p, "end of file or newline or semicolon"));
		if (!ok && !recover(&p, 0)) {
			p.failed = true;
			break;
		}
	}
	return p.failed || p.any_failed ? -EINVAL : 0;
}

/* Adds text (owned from now on) as a source of sc. */
static struct nfk_src *script_add_src(struct nfk_script *sc, const char *name, char *text,
				      size_t len)
{
	struct nfk_src *src = calloc(1, sizeof(*src));

	if (!src || sc->nsrcs >= sizeof(sc->srcs) / sizeof(sc->srcs[0])) {
		free(src);
		free(text);
		return NULL;
	}
	src->name = name ? strdup(name) : NULL;
	src->text = text;
	src->len = len;
	sc->srcs[sc->nsrcs++] = src;
	return src;
}

/* nft -D: the definitions form a text of their own, "define n=v; ...",
 * parsed ahead of the input (errors in it are shown on that line). */
static int parse_defines(struct nfk_script *sc, const struct nfk_parse_opts *o,
			 struct nfk_diags *ds)
{
	size_t len = 0;

	for (size_t i = 0; i < o->ndefines; i++)
		len += strlen(o->defines[i]) + sizeof("define ; ");
	char *text = malloc(len + 1), *t = text;
	if (!text)
		return -ENOMEM;
	for (size_t i = 0; i < o->ndefines; i++)
		t += sprintf(t, "define %s; ", o->defines[i]);
	struct nfk_src *src = script_add_src(sc, NULL, text, (size_t)(t - text));
	return src ? parse_text(sc, src, ds) : -ENOMEM;
}

static int script_parse_src(struct nfk_script **out, const char *name, char *text, size_t len,
			    const struct nfk_parse_opts *o, struct nfk_diags *ds)
{
	struct nfk_script *sc = calloc(1, sizeof(*sc));
	int ret = 0;

	*out = sc;
	if (!sc) {
		free(text);
		return -ENOMEM;
	}
	sc->opts = o;
	if (o && o->ndefines)
		ret = parse_defines(sc, o, ds);
	struct nfk_src *src = script_add_src(sc, name, text, len);
	if (!src)
		ret = -ENOMEM;
	else if (!ret)
		ret = parse_text(sc, src, ds);
	sc->opts = NULL;
	return ret;
}

int nfk_script_parse_opts(struct nfk_script **out, const char *name, const char *text,
			  const struct nfk_parse_opts *o, struct nfk_diags *ds)
{
	size_t len = strlen(text);
	char *copy = malloc(len + 1);

	*out = NULL;
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len + 1);
	return script_parse_src(out, name, copy, len, o, ds);
}

int nfk_script_parse(struct nfk_script **out, const char *name, const char *text,
		     struct nfk_diags *ds)
{
	return nfk_script_parse_opts(out, name, text, NULL, ds);
}

int nfk_script_parse_file_opts(struct nfk_script **out, const char *path,
			       const struct nfk_parse_opts *o, struct nfk_diags *ds)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, len = 0;

	*out = NULL;
	if (!f) {
		int e = errno;
		struct nfk_loc loc = { 0 };
		nfk_diag_add(ds, &loc, "Could not open file \"%s\": %s", path, strerror(e));
		return -e;
	}
	for (;;) {
		if (cap - len < 65536) {
			char *n = realloc(text, cap + 65536 + 1);
			if (!n) {
				fclose(f);
				free(text);
				return -ENOMEM;
			}
			text = n;
			cap += 65536;
		}
		size_t r = fread(text + len, 1, cap - len, f);
		if (!r)
			break;
		len += r;
	}
	fclose(f);
	text[len] = 0;
	return script_parse_src(out, path, text, len, o, ds);
}

int nfk_script_parse_file(struct nfk_script **out, const char *path, struct nfk_diags *ds)
{
	return nfk_script_parse_file_opts(out, path, NULL, ds);
}

void nfk_script_free(struct nfk_script *sc)
{
	if (!sc)
		return;
	for (unsigned i = 0; i < sc->nsrcs; i++) {
		free((char *)sc->srcs[i]->name);
		free((char *)sc->srcs[i]->text);
		free(sc->srcs[i]);
	}
	nfk_arena_free(&sc->arena);
	free(sc->cmds);
	free(sc);
}

size_t nfk_script_ncmds(const struct nfk_script *sc)
{
	return sc ? sc->ncmds : 0;
}

const struct nfk_cmd *nfk_script_cmd(const struct nfk_script *sc, size_t i)
{
	return sc && i < sc->ncmds ? &sc->cmds[i] : NULL;
}

/* Parses the elements of a captured block one by one into scratch,
 * handing each to cb; scratch is reset between elements so a million
 * elements never become a million nodes. */
int nfk_parse_elements(struct nfk_script *sc, const struct elem_src *es,
		       struct nfk_arena *scratch, struct nfk_diags *ds,
		       int (*cb)(void *arg, struct ex *elem), void *arg)
{
	P p = { .sc = sc, .ds = ds, .ar = scratch };

	if (!es->src)   /* a command that failed to parse has no block */
		return 0;
	/* lex only up to the closing brace */
	nfk_lex_init(&p.lx, es->src);
	p.lx.end = es->end;
	p.lx.pos = es->pos;
	p.lx.line = es->line;
	p.lx.col = es->col;
	p.lx.line_start = es->line_start;
	/* locations must point at the real source for diagnostics */
	next(&p);
	skip_nl(&p);
	while (p.tok.kind != T_EOF) {
		nfk_arena_reset(scratch);
		struct ex *e = parse_set_elem(&p);
		if (!e)
			return -EINVAL;
		int ret = cb(arg, e);
		if (ret)
			return ret;
		skip_nl(&p);
		if (accept_kind(&p, ',')) {
			skip_nl(&p);
			continue;
		}
		if (p.tok.kind != T_EOF) {
			unexpected(&p, "comma or '}'");
			return -EINVAL;
		}
	}
	return 0;
}
